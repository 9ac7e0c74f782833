import { Mp3Encoder } from '@breezystack/lamejs'
import { activityFrom } from '../../core/analysis/activity.ts'
import { LoudnessMeter, loudnessFrom } from '../../core/analysis/loudness.ts'
import { analyseMix } from '../../core/analysis/mix.ts'
import type { CampaignAnalysis, Loudness } from '../../core/analysis/types.ts'
import { readMasterInfo, type ByteSource, type MasterInfo } from '../../core/audio/container.ts'
import {
  AnalysisCopy,
  Decimator,
  int16Into,
  LevelMeter,
  PeaksBuilder,
  renditionRate,
} from '../../core/audio/ingest.ts'
import { SILENCE_DB } from '../../core/audio/levels.ts'
import { MasterStream } from '../../core/audio/master-stream.ts'
import { LENGTH_TOLERANCE_SAMPLES } from '../../core/campaign/stem-shape.ts'
import { DomainError } from '../../core/errors.ts'
import type { Bindings } from '../env.ts'
import { findAuthorStemRow, listAuthorStemRows, type AuthorStemRow } from '../db/author-stems.ts'
import { queueFingerprint } from '../fingerprint/index-stem.ts'

/** How often the queue delivers a message: wrangler.toml's `max_retries` (3) plus the first try. */
export const INGEST_ATTEMPTS = 4

/** Constant bit rate of the fans' rendition (stereo; mono gets 128). */
export const RENDITION_KBPS = 192

/** Frames read from R2 at a time (about 768 KiB of 24-bit stereo), whatever the file size. */
const READ_FRAMES = 1 << 17

/** Frames analysed and encoded between two yields to the event loop. */
const BLOCK_FRAMES = 1 << 15

/** R2 multipart parts of the rendition: all equal, at least 5 MiB, but the last. */
const RENDITION_PART_BYTES = 5 * 1024 * 1024

/** The first bytes of a master, read once, serve the many small header reads. */
const HEAD_BYTES = 64 * 1024

// The encoder is synchronous JavaScript: between blocks the job yields to the event loop (a timer,
// not only R2 reads) so that an isolate sharing the consumer with fetches (local dev) keeps
// answering them.
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/** Range reads of an R2 object of known size. */
export function r2Source(bucket: R2Bucket, key: string, size?: number): ByteSource {
  let head: Promise<Uint8Array> | null = null
  const get = async (offset: number, length: number): Promise<Uint8Array> => {
    const end = size === undefined ? offset + length : Math.min(size, offset + length)
    if (end <= offset) return new Uint8Array(0)
    const object = await bucket.get(key, { range: { offset, length: end - offset } })
    if (!object) throw new DomainError('invalid_audio', 'The master is gone; upload it again.')
    return new Uint8Array(await object.arrayBuffer())
  }
  return async (offset, length) => {
    if (offset + length <= HEAD_BYTES) {
      head ??= get(0, HEAD_BYTES)
      const bytes = await head
      return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length))
    }
    return get(offset, length)
  }
}

/** Where a stem's rendition and peaks live: fixed per stem, so a retry overwrites its own. */
export const renditionKey = (row: { campaign_id: string; id: string }) =>
  `stems/${row.campaign_id}/${row.id}/rendition.mp3`
export const peaksKeyOf = (row: { campaign_id: string; id: string }) =>
  `peaks/${row.campaign_id}/${row.id}/peaks.json`
/** The stem's mono analysis copy (float32 at `analysisCopyRate`), read when the campaign is analysed. */
export const analysisCopyKeyOf = (row: { campaign_id: string; id: string }) =>
  `analysis/${row.campaign_id}/${row.id}/mono.f32`

function hex(buffer: ArrayBuffer): string {
  let out = ''
  for (const b of new Uint8Array(buffer)) out += b.toString(16).padStart(2, '0')
  return out
}

/** Writes bytes to an R2 object as a multipart upload of equal parts, as they come. */
class MultipartWriter {
  private readonly buffer = new Uint8Array(RENDITION_PART_BYTES)
  private filled = 0
  private readonly parts: R2UploadedPart[] = []
  bytes = 0

  private readonly upload: R2MultipartUpload

  private constructor(upload: R2MultipartUpload) {
    this.upload = upload
  }

  static async open(bucket: R2Bucket, key: string, contentType: string): Promise<MultipartWriter> {
    return new MultipartWriter(
      await bucket.createMultipartUpload(key, { httpMetadata: { contentType } }),
    )
  }

  async write(bytes: Uint8Array): Promise<void> {
    let at = 0
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.buffer.length - this.filled)
      this.buffer.set(bytes.subarray(at, at + n), this.filled)
      this.filled += n
      at += n
      if (this.filled === this.buffer.length) await this.flushPart()
    }
    this.bytes += bytes.length
  }

  private async flushPart(): Promise<void> {
    // R2 has the bytes once uploadPart resolves: the buffer is reused for the next part.
    const part = this.buffer.subarray(0, this.filled)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part))
    this.filled = 0
  }

  async close(): Promise<void> {
    if (this.filled > 0 || this.parts.length === 0) await this.flushPart()
    await this.upload.complete(this.parts)
  }

  async abort(): Promise<void> {
    try {
      await this.upload.abort()
    } catch {
      // Already completed or aborted.
    }
  }
}

type IngestResult = {
  sha256: string
  levels: { peakDbfs: number; rmsDbfs: number }
  loudness: Loudness
}

/** Streams the master once: hash, levels, peaks, and the MP3 rendition written as it is encoded. */
async function ingest(env: Bindings, row: AuthorStemRow): Promise<IngestResult> {
  if (!row.master_key) throw new DomainError('invalid_audio', 'This stem has no master to process.')
  const head = await env.MEDIA.head(row.master_key)
  if (!head) throw new DomainError('invalid_audio', 'The master is gone; upload it again.')
  const source = r2Source(env.MEDIA, row.master_key, head.size)
  const info = await readMasterInfo(source, head.size)
  const digest = new crypto.DigestStream('SHA-256')
  const hash = digest.getWriter()
  const stream = new MasterStream(source, head.size, info, READ_FRAMES, (bytes) =>
    hash.write(bytes),
  )
  const channels = info.channels
  const block = Array.from({ length: channels }, () => new Float32Array(BLOCK_FRAMES))
  const peaks = new PeaksBuilder(channels, info.sampleRate)
  const levels = new LevelMeter()
  const loudness = new LoudnessMeter(channels, info.sampleRate, info.lengthSamples)
  const copy = new AnalysisCopy(channels, info.sampleRate, info.lengthSamples, BLOCK_FRAMES)
  const { rate, factor } = renditionRate(info.sampleRate)
  const decimator = new Decimator(factor, channels, BLOCK_FRAMES)
  const encoder = new Mp3Encoder(channels, rate, channels > 1 ? RENDITION_KBPS : 128)
  const left = new Int16Array(BLOCK_FRAMES)
  const right = new Int16Array(BLOCK_FRAMES)
  const out = await MultipartWriter.open(env.MEDIA, renditionKey(row), 'audio/mpeg')
  try {
    for (;;) {
      const n = await stream.next(block)
      if (n === 0) break
      peaks.add(block, n)
      levels.add(block, n)
      loudness.add(block, n)
      copy.add(block, n)
      const low = decimator.process(block, n)
      const l = int16Into(low.channels[0]!, low.length, left)
      const r = channels > 1 ? int16Into(low.channels[1]!, low.length, right) : undefined
      await out.write(encoder.encodeBuffer(l, r))
      await yieldToEventLoop()
    }
    if (stream.position !== info.lengthSamples)
      throw new DomainError(
        'invalid_audio',
        `The master is truncated: ${stream.position} of ${info.lengthSamples} samples could be read.`,
      )
    await out.write(encoder.flush())
    await out.close()
  } catch (err) {
    await out.abort()
    throw err
  }
  await hash.close()
  const peaksJson = new TextEncoder().encode(JSON.stringify(peaks.result()))
  await env.MEDIA.put(peaksKeyOf(row), peaksJson, {
    httpMetadata: { contentType: 'application/json' },
  })
  await env.MEDIA.put(analysisCopyKeyOf(row), copy.bytes(), {
    customMetadata: { sampleRate: String(copy.rate), channels: String(channels) },
  })
  return {
    sha256: hex(await digest.digest),
    levels: levels.result(),
    loudness: loudness.result(),
  }
}

async function campaignMusic(db: D1Database, campaignId: string) {
  return db
    .prepare('SELECT tempo, musical_key, reference_key FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<{ tempo: number | null; musical_key: string | null; reference_key: string | null }>()
}

/** Queues the null test once a campaign with a reference mix has every stem processed. */
async function maybeQueueNullTest(env: Bindings, campaignId: string): Promise<void> {
  const campaign = await campaignMusic(env.DB, campaignId)
  if (!campaign?.reference_key) return
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.every((r) => r.ingest_status !== 'processing'))
    await env.JOBS.send({ type: 'null-test', campaignId })
}

/**
 * Processes an uploaded stem: rendition (MP3), peaks, SHA-256 of the master, levels. Idempotent:
 * a stem that is not 'processing' is left alone, and outputs have fixed keys. A bad master fails
 * the stem at once with the reason; other errors are retried, and fail it on the last attempt.
 * A failed stem keeps no rendition or peaks.
 */
export async function runIngestJob(
  env: Bindings,
  stemId: string,
  options: { finalAttempt: boolean },
): Promise<void> {
  const row = await findAuthorStemRow(env.DB, stemId)
  if (!row || row.ingest_status !== 'processing') return
  const outputs = [renditionKey(row), peaksKeyOf(row), analysisCopyKeyOf(row)]
  let result: IngestResult
  try {
    result = await ingest(env, row)
  } catch (err) {
    await env.MEDIA.delete(outputs)
    if (!(err instanceof DomainError) && !options.finalAttempt) throw err
    const message =
      err instanceof DomainError
        ? err.message
        : 'Processing this stem failed; retry it, or upload the file again.'
    if (!(err instanceof DomainError)) console.error('ingest failed for good', stemId, err)
    await env.DB.prepare(
      `UPDATE stems SET ingest_status = 'failed', ingest_error = ?2
       WHERE id = ?1 AND ingest_status = 'processing'`,
    )
      .bind(stemId, message)
      .run()
    return
  }
  const music = await campaignMusic(env.DB, row.campaign_id)
  const analysis = {
    tempo: music?.tempo ?? 0,
    key: music?.musical_key ?? '',
    peakDbfs: result.levels.peakDbfs,
    rmsDbfs: result.levels.rmsDbfs,
    loudness: result.loudness,
  }
  const updated = await env.DB.prepare(
    `UPDATE stems SET r2_key = ?2, peaks_key = ?3, sha256 = ?4, analysis = ?5,
       ingest_status = 'ready', ingest_error = NULL
     WHERE id = ?1 AND ingest_status = 'processing'`,
  )
    .bind(stemId, outputs[0], outputs[1], result.sha256, JSON.stringify(analysis))
    .run()
  if (updated.meta.changes === 0) {
    // Deleted (or finished by a duplicate delivery) meanwhile: keep nothing that no row names.
    const now = await findAuthorStemRow(env.DB, stemId)
    if (!now || now.r2_key !== outputs[0]) await env.MEDIA.delete(outputs)
    return
  }
  await maybeQueueNullTest(env, row.campaign_id)
  await queueFingerprint(env, stemId)
  try {
    await maybeAnalyseCampaign(env, row.campaign_id)
  } catch (err) {
    // The stems stay playable without it: the campaign's analysis stays as it was.
    console.error('campaign analysis failed', row.campaign_id, err)
  }
}

/** A stem's mono analysis copy from R2, or null when it has none (processed before copies existed). */
async function analysisCopy(env: Bindings, row: AuthorStemRow) {
  const object = await env.MEDIA.get(analysisCopyKeyOf(row))
  if (!object) return null
  const rate = Number(object.customMetadata?.sampleRate)
  const channels = Number(object.customMetadata?.channels)
  return { pcm: new Float32Array(await object.arrayBuffer()), rate, channels }
}

/**
 * The campaign's analysis once no stem is processing: grid, key, sections and loudness of the sum
 * of the ready stems' mono copies, and each stem's activity on that grid. Reads one copy at a time
 * (twice) so memory stays near two copies. Leaves everything as it was when a copy is missing or
 * the copies disagree in rate; rewrites the same result when run again.
 */
export async function maybeAnalyseCampaign(env: Bindings, campaignId: string): Promise<void> {
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.length === 0 || rows.some((r) => r.ingest_status === 'processing')) return
  const ready = rows.filter((r) => r.ingest_status === 'ready')
  if (ready.length === 0) return
  let mix = new Float32Array(0)
  let rate = 0
  let stereo = false
  for (const row of ready) {
    const copy = await analysisCopy(env, row)
    if (!copy || (rate !== 0 && copy.rate !== rate) || !(copy.rate > 0)) return
    rate = copy.rate
    stereo ||= copy.channels > 1
    if (copy.pcm.length > mix.length) {
      const longer = new Float32Array(copy.pcm.length)
      longer.set(mix)
      mix = longer
    }
    for (let i = 0; i < copy.pcm.length; i++) mix[i] = mix[i]! + copy.pcm[i]!
  }
  const grid = analyseMix([mix], rate)
  // The copies are (L + R) / 2: counting the mono sum on both channels matches stereo loudness
  // for centred material (see the report of the ingest analysis for the measured difference).
  const analysis: CampaignAnalysis = {
    version: 1,
    ...grid,
    loudness: loudnessFrom(stereo ? [mix, mix] : [mix], rate),
  }
  const updates: D1PreparedStatement[] = []
  for (const row of ready) {
    const copy = await analysisCopy(env, row)
    if (!copy) return
    const activity = activityFrom([copy.pcm], rate, grid.downbeats)
    const stemAnalysis = { ...(JSON.parse(row.analysis) as Record<string, unknown>), activity }
    updates.push(
      env.DB.prepare(
        `UPDATE stems SET analysis = ?2 WHERE id = ?1 AND ingest_status = 'ready'`,
      ).bind(row.id, JSON.stringify(stemAnalysis)),
    )
  }
  updates.push(
    env.DB.prepare('UPDATE campaigns SET analysis = ?2 WHERE id = ?1').bind(
      campaignId,
      JSON.stringify(analysis),
    ),
  )
  await env.DB.batch(updates)
}

/** The campaign columns the null test reads. */
type ReferenceRow = { reference_key: string | null; reference_file_name: string | null }

async function saveNullTest(
  db: D1Database,
  campaignId: string,
  referenceKey: string,
  result: { db: number | null; error: string | null },
) {
  await db
    .prepare(
      `UPDATE campaigns SET null_test_db = ?3, null_test_error = ?4 WHERE id = ?1 AND reference_key = ?2`,
    )
    .bind(campaignId, referenceKey, result.db, result.error)
    .run()
}

async function openStream(env: Bindings, key: string, frames: number): Promise<MasterStream> {
  const head = await env.MEDIA.head(key)
  if (!head) throw new DomainError('invalid_audio', 'A master is gone; upload it again.')
  const source = r2Source(env.MEDIA, key, head.size)
  const info: MasterInfo = await readMasterInfo(source, head.size)
  return new MasterStream(source, head.size, info, frames)
}

/** Residual of the stems' sum against the reference, in dB relative to the reference's energy. */
async function nullTest(env: Bindings, referenceKey: string, rows: AuthorStemRow[]) {
  const frames = 1 << 16
  const reference = await openStream(env, referenceKey, frames)
  const stems: MasterStream[] = []
  for (const row of rows) stems.push(await openStream(env, row.master_key!, frames))
  const { sampleRate, lengthSamples, channels } = reference.info
  for (const [i, s] of stems.entries()) {
    if (s.info.sampleRate !== sampleRate)
      return `The reference mix is at ${sampleRate} Hz but stem “${rows[i]!.name}” is at ${s.info.sampleRate} Hz.`
    if (Math.abs(s.info.lengthSamples - lengthSamples) > LENGTH_TOLERANCE_SAMPLES)
      return `The reference mix lasts ${lengthSamples} samples but stem “${rows[i]!.name}” lasts ${s.info.lengthSamples}; export both from the same start to the same end.`
  }
  const ref = Array.from({ length: channels }, () => new Float32Array(frames))
  const sum = Array.from({ length: channels }, () => new Float32Array(frames))
  const stemBlock = [new Float32Array(frames), new Float32Array(frames)]
  let residual = 0
  let energy = 0
  for (;;) {
    const n = await reference.next(ref)
    if (n === 0) break
    for (const s of sum) s.fill(0, 0, n)
    for (const stream of stems) {
      const m = await stream.next(
        stemBlock.slice(0, stream.info.channels).map((b) => b.subarray(0, n)),
      )
      for (let c = 0; c < channels; c++) {
        const dst = sum[c]!
        if (channels === 1 && stream.info.channels === 2) {
          const a = stemBlock[0]!
          const b = stemBlock[1]!
          for (let i = 0; i < m; i++) dst[i] = dst[i]! + (a[i]! + b[i]!) / 2
        } else {
          const src = stemBlock[stream.info.channels === 1 ? 0 : c]!
          for (let i = 0; i < m; i++) dst[i] = dst[i]! + src[i]!
        }
      }
    }
    for (let c = 0; c < channels; c++) {
      const r = ref[c]!
      const s = sum[c]!
      for (let i = 0; i < n; i++) {
        const d = r[i]! - s[i]!
        residual += d * d
        energy += r[i]! * r[i]!
      }
    }
  }
  if (energy === 0) return 'The reference mix is silent; upload the full mix.'
  const db = residual > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(residual / energy)) : SILENCE_DB
  return Math.round(db * 10) / 10
}

/**
 * The null test: sums every stem's master and compares it with the reference mix. Runs when the
 * reference arrives and when the last stem is processed; waits while a stem is still processing.
 * Stores the residual in dB (more negative is closer), or why it could not run.
 */
export async function runNullTestJob(
  env: Bindings,
  campaignId: string,
  options: { finalAttempt: boolean },
): Promise<void> {
  const campaign = await env.DB.prepare(
    'SELECT reference_key, reference_file_name FROM campaigns WHERE id = ?1',
  )
    .bind(campaignId)
    .first<ReferenceRow>()
  if (!campaign?.reference_key) return
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.some((r) => r.ingest_status === 'processing')) return // the last ingest queues it again
  const fail = (error: string) =>
    saveNullTest(env.DB, campaignId, campaign.reference_key!, { db: null, error })
  if (rows.length === 0) return fail('Upload the stems; the null test sums them.')
  if (rows.some((r) => r.ingest_status === 'failed' || !r.master_key))
    return fail('Every stem must be processed (with its master) before the null test can run.')
  try {
    const result = await nullTest(env, campaign.reference_key, rows)
    if (typeof result === 'string') return fail(result)
    await saveNullTest(env.DB, campaignId, campaign.reference_key, { db: result, error: null })
  } catch (err) {
    if (err instanceof DomainError) return fail(err.message)
    if (!options.finalAttempt) throw err
    console.error('null test failed for good', campaignId, err)
    return fail('The null test failed; upload the reference mix again to retry.')
  }
}
