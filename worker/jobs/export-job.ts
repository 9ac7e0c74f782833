import { Mp3Encoder } from '@breezystack/lamejs'
import { concatBytes } from '../../core/audio/bytes.ts'
import { writeId3, type Id3Frame } from '../../core/audio/id3.ts'
import { coverFrames } from '../../core/artwork/cover.ts'
import { renderCover } from '../artwork/cover.ts'
import { decodeWav, encodeWav, infoChunk } from '../../core/audio/wav.ts'
import { contributionsFrom } from '../../core/credits/contributions.ts'
import { DomainError } from '../../core/errors.ts'
import {
  canonicalJson,
  sha256Hex,
  type ExportFormat,
  type ExportManifest,
} from '../../core/provenance/manifest.ts'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import type { Hertz } from '../../core/units.ts'
import { detectWatermark, MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import { decodeAudio } from '../audio/decode.ts'
import type { Bindings } from '../env.ts'
import { contributionsOf, exportRecipeOf, recordContributions } from '../db/contributions.ts'
import {
  findExportRow,
  markProcessing,
  markReady,
  markRejected,
  saveOutputs,
  type ExportRow,
} from '../db/exports.ts'
import { recordLedgerEvent } from '../db/ledger.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { signExportManifest } from '../provenance/sign.ts'

/** The sentence every export carries, in its tags and its manifest. */
export const AI_DISCLOSURE = 'AI-assisted remix made from officially licensed stems on Stemfair'

/** Constant bit rate of the MP3 rendition. */
export const MP3_KBPS = 192

/** How often the queue delivers a message: wrangler.toml's `max_retries` (3) plus the first try. */
export const EXPORT_ATTEMPTS = 4

/** The media type of each format. */
const CONTENT_TYPE: Record<ExportFormat, string> = { wav: 'audio/wav', mp3: 'audio/mpeg' }

// The manifest and its rules live in core/provenance; re-exported for the routes that import them here.
export {
  canonicalJson,
  digitalSourceTypeOf,
  manifestFrom,
  sha256Hex,
  type ExportFormat,
  type ExportManifest,
  type ManifestClaim,
} from '../../core/provenance/manifest.ts'

export const quarantineKey = (id: string) => `quarantine/${id}.wav`
export const outputKey = (id: string, format: ExportFormat) => `exports/${id}/${id}.${format}`

function creditsLine(m: ExportManifest): string {
  return [...m.credits, { name: m.remix.fan, roles: ['remixer'] }]
    .map((c) => `${c.name} (${c.roles.join(', ')})`)
    .join('; ')
}

/** The ID3v2.4 frames of an export: title, artists, credits, sources, licence, AI disclosure, ids. */
export function id3FramesFrom(m: ExportManifest): Id3Frame[] {
  const text = (id: string, ...values: string[]): Id3Frame => ({ kind: 'text', id, values })
  const user = (description: string, value: string): Id3Frame => ({
    kind: 'userText',
    description,
    value,
  })
  const people = [...m.credits, { name: m.remix.fan, roles: ['remixer'] }]
  const composers = m.credits.filter((c) => c.roles.includes('composer')).map((c) => c.name)
  const isrcs = m.sources.flatMap((s) => (s.isrc ? [s.isrc] : []))
  return [
    text('TIT2', m.remix.title),
    text('TPE1', `${m.campaign.artist} (${m.remix.fan} remix)`),
    text('TPE2', m.campaign.artist),
    ...(composers.length ? [text('TCOM', ...composers)] : []),
    text('TIPL', ...people.flatMap((p) => p.roles.flatMap((role) => [role, p.name]))),
    user('CREDITS', creditsLine(m)),
    ...(isrcs.length ? [text('TSRC', isrcs[0]!), user('SOURCE_ISRCS', isrcs.join(', '))] : []),
    text('TDRC', m.createdAt.slice(0, 10)),
    text('TSSE', `Stemfair (LAME ${MP3_KBPS} kbit/s)`),
    { kind: 'userUrl', description: 'licence', url: m.licence.url },
    user('LICENCE', `${m.licence.uid} (version ${m.licence.version})`),
    user('AI_DISCLOSURE', m.aiDisclosure),
    user('DIGITAL_SOURCE_TYPE', m.digitalSourceType),
    user('STEMFAIR_EXPORT_ID', m.exportId),
    // The signed manifest covers the outputs' hashes, so a file can only carry the claim's hash
    // (which the manifest repeats) and where to fetch the signed manifest, never its own signature.
    ...(m.manifestUrl ? [user('STEMFAIR_MANIFEST_URL', m.manifestUrl)] : []),
    user('STEMFAIR_MANIFEST_SHA256', m.claimSha256),
    {
      kind: 'comment',
      language: 'eng',
      description: '',
      text: m.licence.attribution ?? creditsLine(m),
    },
  ]
}

/** The RIFF LIST/INFO fields of the WAV rendition. */
export function infoFieldsFrom(m: ExportManifest) {
  const licence = `Licence ${m.licence.uid} (version ${m.licence.version}): ${m.licence.url}`
  return {
    INAM: m.remix.title,
    IART: `${m.campaign.artist} (${m.remix.fan} remix)`,
    ICMT:
      `Credits: ${creditsLine(m)}. ${m.aiDisclosure}. Stemfair export ${m.exportId}.` +
      (m.manifestUrl ? ` Signed manifest: ${m.manifestUrl} (claim sha256 ${m.claimSha256}).` : ''),
    ICOP: m.licence.attribution ? `${m.licence.attribution}. ${licence}` : licence,
    ISFT: 'Stemfair',
  }
}

function int16From(pcm: Float32Array, start: number, out: Int16Array): Int16Array {
  const n = Math.min(out.length, pcm.length - start)
  for (let i = 0; i < n; i++) {
    const v = Math.round(pcm[start + i]! * 32768)
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v
  }
  return out.subarray(0, n)
}

// Yields to the event loop between blocks: the encoder is synchronous JavaScript, and an isolate
// that shares the consumer with fetches (local dev) must keep answering them.
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/** Encodes mono or stereo PCM as constant-bit-rate MP3 frames (no tag). */
export async function encodeMp3(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  kbps = MP3_KBPS,
): Promise<Uint8Array> {
  const stereo = channels.length > 1
  const encoder = new Mp3Encoder(stereo ? 2 : 1, sampleRate, kbps)
  const block = 1152 * 32
  const left = new Int16Array(block)
  const right = new Int16Array(block)
  const parts: Uint8Array[] = []
  const keep = (frames: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number }) => {
    if (frames.length) parts.push(new Uint8Array(frames.buffer, frames.byteOffset, frames.length))
  }
  const length = channels[0]?.length ?? 0
  for (let start = 0; start < length; start += block) {
    const l = int16From(channels[0]!, start, left)
    keep(encoder.encodeBuffer(l, stereo ? int16From(channels[1]!, start, right) : undefined))
    await yieldToEventLoop()
  }
  keep(encoder.flush())
  return concatBytes(parts)
}

/** The tagged WAV (16-bit, LIST/INFO + id3 chunk) and MP3 of marked audio. */
export async function renditionsFrom(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  manifest: ExportManifest,
  cover: Uint8Array | null = null,
): Promise<Record<ExportFormat, Uint8Array>> {
  const tag = writeId3([...id3FramesFrom(manifest), ...coverFrames(cover)])
  const wav = encodeWav(channels, sampleRate, {
    encoding: 'pcm16',
    chunks: [infoChunk(infoFieldsFrom(manifest)), { id: 'id3 ', data: tag }],
  })
  const frames = await encodeMp3(channels, sampleRate)
  const mp3 = new Uint8Array(tag.length + frames.length)
  mp3.set(tag)
  mp3.set(frames, tag.length)
  return { wav, mp3 }
}

/**
 * Records what each stem contributes to the export, from the recipe it was made of (captured when
 * the export was created, or else the remix as saved), checked against the export's recipe hash.
 * Once recorded it never changes.
 */
async function ensureContributions(env: Bindings, row: ExportRow): Promise<void> {
  if (Object.keys(await contributionsOf(env.DB, row.id)).length > 0) return
  const json =
    (await exportRecipeOf(env.DB, row.id)) ?? (await findRemixRow(env.DB, row.remix_id))?.recipe
  if (!json) throw new DomainError('not_found', 'The remix of this export is gone.')
  const recipe = RecipeSchema.parse(JSON.parse(json))
  if ((await sha256Hex(canonicalJson(recipe))) !== row.recipe_hash)
    throw new DomainError(
      'conflict',
      'The remix changed before this export could be credited; export it again.',
    )
  const stems = await listStems(env.DB, row.campaign_id)
  await recordContributions(env.DB, row.id, contributionsFrom(recipe, stems))
}

/** How much of the MP3 the self-check reads at most: enough to get past any quiet intro. */
export const SELF_CHECK_SECONDS = 120

/** The self-check searches windows this long in turn, so no one search blocks the isolate long. */
const SELF_CHECK_WINDOW = 30

/** What the final MP3 of an export decodes to, stored with the export (`exports.watermark`). */
export type WatermarkCheck =
  | { checked: true; payload: string; confidence: number; bitErrors: number }
  | { checked: false; reason: string }

/**
 * Reads the watermark back from the MP3 as a verifier would, window by window until one answers
 * the export's id. An export too short to carry a readable mark is not checked; any other whose
 * windows all fail is refused.
 */
export async function checkWatermark(
  mp3: Uint8Array,
  exportId: string,
  key: string,
): Promise<WatermarkCheck> {
  const { channels, sampleRate } = await decodeAudio(mp3, SELF_CHECK_SECONDS)
  const frames = channels[0]!.length
  if (frames < MIN_DETECT_SECONDS * sampleRate)
    return { checked: false, reason: `shorter than ${MIN_DETECT_SECONDS} s` }
  const window = SELF_CHECK_WINDOW * sampleRate
  for (let start = 0; start < frames; start += window) {
    const end = Math.min(frames, start + window)
    if (start > 0 && end - start < MIN_DETECT_SECONDS * sampleRate) break
    await yieldToEventLoop()
    const found = detectWatermark(
      channels.map((c) => c.subarray(start, end)),
      sampleRate,
      key,
    )
    if (found.found && found.payload === exportId) {
      const { payload, confidence, bitErrors } = found
      return { checked: true, payload, confidence, bitErrors }
    }
  }
  throw new DomainError(
    'invalid_audio',
    'The watermark could not be read back from the MP3 (the mix may be too quiet or too ' +
      'narrow in range to carry it). Please export again.',
  )
}

/** Watermarks the quarantined upload and makes its renditions; the decoded audio dies here. */
async function markedRenditions(
  env: Bindings,
  row: ExportRow,
  upload: R2ObjectBody,
  manifest: ExportManifest,
) {
  const decoded = decodeWav(new Uint8Array(await upload.arrayBuffer()))
  await yieldToEventLoop()
  const marked = embedWatermark(decoded.channels, decoded.sampleRate, row.id, env.WATERMARK_KEY)
  await yieldToEventLoop()
  // The cover the worker rendered for the artwork this export's recipe records.
  const json =
    (await exportRecipeOf(env.DB, row.id)) ?? (await findRemixRow(env.DB, row.remix_id))?.recipe
  const recipe = json ? RecipeSchema.parse(JSON.parse(json)) : null
  const cover = recipe ? await renderCover(env, { id: row.remix_id, recipe }) : null
  return renditionsFrom(marked, decoded.sampleRate, manifest, cover)
}

async function reject(env: Bindings, row: ExportRow, reason: string): Promise<void> {
  await env.MEDIA.delete([outputKey(row.id, 'wav'), outputKey(row.id, 'mp3'), row.upload_key])
  await markRejected(env.DB, row.id, reason)
}

async function processExport(env: Bindings, row: ExportRow): Promise<void> {
  if (!(await markProcessing(env.DB, row.id))) return
  if (!row.manifest) throw new DomainError('bad_request', 'The export has no manifest.')
  let manifest = JSON.parse(row.manifest) as ExportManifest
  if (!row.wav_sha256) {
    const upload = await env.MEDIA.get(row.upload_key)
    if (!upload) {
      // A duplicate delivery may have finished this export meanwhile; otherwise the upload is gone.
      const now = await findExportRow(env.DB, row.id)
      if (now && (now.status !== 'processing' || now.wav_sha256)) return run(env, now)
      throw new DomainError('invalid_audio', 'The uploaded audio is missing; export again.')
    }
    const files = await markedRenditions(env, row, upload, manifest)
    const watermark = await checkWatermark(files.mp3, row.id, env.WATERMARK_KEY)
    const outputs = {} as NonNullable<ExportManifest['outputs']>
    for (const format of ['wav', 'mp3'] as const) {
      const key = outputKey(row.id, format)
      const sha256 = await sha256Hex(files[format])
      await env.MEDIA.put(key, files[format], {
        httpMetadata: { contentType: CONTENT_TYPE[format] },
        customMetadata: { exportId: row.id, sha256 },
      })
      outputs[format] = { key, sha256, bytes: files[format].length }
    }
    manifest = { ...manifest, outputs }
    await saveOutputs(env.DB, row.id, {
      wavKey: outputs.wav.key,
      mp3Key: outputs.mp3.key,
      wavSha256: outputs.wav.sha256,
      mp3Sha256: outputs.mp3.sha256,
      manifest: JSON.stringify(manifest),
      watermark: JSON.stringify(watermark),
    })
  }
  await signExportManifest(env, row.id)
  await ensureContributions(env, row)
  await recordLedgerEvent(env.DB, {
    id: `export:${row.id}`,
    type: 'export',
    exportId: row.id,
    remixId: row.remix_id,
    campaignId: row.campaign_id,
    occurredAt: row.created_at,
  })
  await env.MEDIA.delete(row.upload_key)
  await markReady(env.DB, row.id)
}

async function run(env: Bindings, row: ExportRow): Promise<void> {
  if (row.status === 'ready' || row.status === 'rejected') return
  await processExport(env, row)
}

/**
 * The export pipeline for one export: decode the quarantined upload, watermark it, make the
 * tagged WAV and MP3, check the MP3's watermark reads back, write them, record the stems' contributions and the export in the ledger, then mark it
 * ready. Every step can run
 * again: a retried or duplicated job writes the same objects under the same keys and no second
 * ledger event. A failure retrying cannot fix (a corrupt upload, or the last attempt) rejects it.
 */
export async function runExportJob(
  env: Bindings,
  exportId: string,
  { finalAttempt = false } = {},
): Promise<void> {
  const row = await findExportRow(env.DB, exportId)
  if (!row) return
  try {
    await run(env, row)
  } catch (err) {
    if (err instanceof DomainError) return reject(env, row, err.message)
    if (!finalAttempt) throw err
    console.error('export failed on its last attempt', exportId, err)
    await reject(env, row, 'We could not process this export. Please export again.')
  }
}
