import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { peaksFrom } from '../../core/audio/peaks.ts'
import { decodeWav, encodeWav, type WavEncoding } from '../../core/audio/wav.ts'
import type { AuthorStem, UploadView } from '../../core/api/authoring.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { decodeAudio } from '../../worker/audio/decode.ts'
import { listAuthorStems, type AuthorStemRow } from '../../worker/db/author-stems.ts'
import { MAX_MASTER_BYTES, PART_SIZE } from '../../worker/ingest/upload.ts'
import { consumeJobs } from '../../worker/jobs/consumer.ts'
import { seedCampaign } from '../../worker/seed.ts'
import type { SeedUser } from '../../worker/seed.ts'
import { ARTIST, FAN, manifest, seedInput } from './fixture.ts'
import { encodeFlac } from './flac-fixture.ts'
import { call, json, login } from './http.ts'

type ErrorBody = { error: { code: string; message: string } }

const ARTIST_B: SeedUser = {
  email: 'artist-b@example.test',
  displayName: 'Other Artist',
  role: 'artist',
  password: 'artist-b-password-1',
}
const ADMIN: SeedUser = {
  email: 'admin@example.test',
  displayName: 'Admin',
  role: 'admin',
  password: 'admin-password-1',
}

let artist: string
let artistB: string
let fan: string
let admin: string

beforeAll(async () => {
  const input = await seedInput()
  await seedCampaign(env, { ...input, users: [FAN, ARTIST_B, ADMIN] })
  ;[artist, artistB, fan, admin] = await Promise.all([
    login(ARTIST.email, ARTIST.password),
    login(ARTIST_B.email, ARTIST_B.password),
    login(FAN.email, FAN.password),
    login(ADMIN.email, ADMIN.password),
  ])
})

/** A draft campaign of the test artist: the seeded one's row under a new id and slug. */
async function draftCampaign(): Promise<string> {
  const seeded = await env.DB.prepare('SELECT * FROM campaigns WHERE slug = ?1')
    .bind(manifest.slug)
    .first<Record<string, unknown>>()
  const id = `cmp-draft-${crypto.randomUUID().slice(0, 8)}`
  const row: Record<string, unknown> = { ...seeded!, id, slug: id, status: 'draft' }
  const columns = Object.keys(row)
  await env.DB.prepare(
    `INSERT INTO campaigns (${columns.join(', ')}) VALUES (${columns.map((_, i) => `?${i + 1}`).join(', ')})`,
  )
    .bind(...columns.map((c) => row[c] ?? null))
    .run()
  return id
}

/** A tone (different per `hz`) as planar floats. */
function tone(seconds: number, sampleRate: number, hz: number, channels = 2): Float32Array[] {
  const frames = Math.round(seconds * sampleRate)
  return Array.from({ length: channels }, (_, ch) =>
    Float32Array.from(
      { length: frames },
      (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * (ch + 1) * i) / sampleRate),
    ),
  )
}

function wav(seconds: number, sampleRate = 48000, encoding: WavEncoding = 'pcm24', hz = 220) {
  return encodeWav(tone(seconds, sampleRate, hz), sampleRate, { encoding })
}

const withCookie = (cookie: string | null): RequestInit =>
  cookie ? { headers: { Cookie: cookie } } : {}

function create(campaignId: string, body: unknown, cookie: string | null = artist) {
  return call(`/api/artist/campaigns/${campaignId}/uploads`, {
    method: 'POST',
    ...json(body, cookie ?? undefined),
  })
}

function putPart(uploadId: string, n: number, bytes: Uint8Array, cookie: string | null = artist) {
  return call(`/api/artist/uploads/${uploadId}/parts/${n}`, {
    method: 'PUT',
    headers: cookie ? { Cookie: cookie } : {},
    body: bytes,
  })
}

const complete = (uploadId: string, cookie: string | null = artist) =>
  call(`/api/artist/uploads/${uploadId}/complete`, { method: 'POST', ...withCookie(cookie) })

const getUpload = (uploadId: string, cookie: string | null = artist) =>
  call(`/api/artist/uploads/${uploadId}`, withCookie(cookie))

async function started(campaignId: string, bytes: Uint8Array, fileName: string, kind = 'stem') {
  const res = await create(campaignId, { fileName, size: bytes.length, kind })
  expect(res.status).toBe(201)
  return ((await res.json()) as { upload: UploadView }).upload
}

/** Uploads a whole file part by part and completes it. */
async function uploadFile(campaignId: string, bytes: Uint8Array, fileName: string, kind = 'stem') {
  const upload = await started(campaignId, bytes, fileName, kind)
  for (let n = 1; n <= upload.partCount; n++) {
    const part = bytes.subarray((n - 1) * upload.partSize, n * upload.partSize)
    expect((await putPart(upload.id, n, part)).status).toBe(200)
  }
  return { upload, res: await complete(upload.id) }
}

async function stemRow(id: string) {
  return env.DB.prepare('SELECT * FROM stems WHERE id = ?1').bind(id).first<AuthorStemRow>()
}

/** Waits for the real queue consumer to finish a stem's ingest. */
async function processed(id: string): Promise<AuthorStemRow> {
  await vi.waitFor(async () => expect((await stemRow(id))?.ingest_status).not.toBe('processing'), {
    timeout: 60_000,
    interval: 100,
  })
  return (await stemRow(id))!
}

async function uploadStem(campaignId: string, bytes: Uint8Array, fileName: string) {
  const { res } = await uploadFile(campaignId, bytes, fileName)
  expect(res.status).toBe(202)
  return ((await res.json()) as { stem: AuthorStem }).stem
}

/** Rows and objects an upload may have left. */
async function leftovers(campaignId: string, uploadId: string) {
  const rows = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM uploads WHERE id = ?1) AS uploads,
            (SELECT COUNT(*) FROM upload_parts WHERE upload_id = ?1) AS parts,
            (SELECT COUNT(*) FROM stems WHERE id = ?2) AS stems`,
  )
    .bind(uploadId, `stm-${uploadId}`)
    .first<{ uploads: number; parts: number; stems: number }>()
  const objects = await env.MEDIA.list({ prefix: `masters/${campaignId}/${uploadId}` })
  return { ...rows, objects: objects.objects.length }
}

/** A WAV padded with a JUNK chunk so that it needs two parts, with a short tone after it. */
function twoPartWav(): Uint8Array {
  const audio = wav(0.5)
  const junk = PART_SIZE + 1000
  const out = new Uint8Array(audio.length + 8 + junk)
  const view = new DataView(out.buffer)
  out.set(audio.subarray(0, 36))
  out.set([0x4a, 0x55, 0x4e, 0x4b], 36) // JUNK
  view.setUint32(40, junk, true)
  for (let i = 0; i < junk; i++) out[44 + i] = i & 0xff
  out.set(audio.subarray(36), 44 + junk)
  view.setUint32(4, out.length - 8, true)
  return out
}

// Ingest runs in the real queue consumer; the machine may be busy.
describe('stem uploads', { timeout: 120_000 }, () => {
  it('uploads a 24-bit WAV, reads its container and makes a playable rendition and the peaks', async () => {
    const campaign = await draftCampaign()
    const bytes = wav(1.5)
    const stem = await uploadStem(campaign, bytes, 'Drums.wav')
    expect(stem).toMatchObject({
      name: 'Drums',
      role: 'drums',
      fileName: 'Drums.wav',
      status: 'processing',
      format: 'wav',
      sampleRate: 48000,
      channels: 2,
      bitDepth: 24,
      lengthSamples: 72000,
      problem: null,
      audioUrl: null,
    })
    const row = await processed(stem.id)
    expect(row.ingest_status).toBe('ready')
    expect(row.sha256).toBe(await sha256Hex(bytes))
    const [view] = await listAuthorStems(env.DB, campaign)
    expect(view).toMatchObject({ status: 'ready', audioUrl: `/api/stems/${stem.id}/audio` })

    // A draft campaign's stems reach its owner (and admins) only.
    expect((await call(view!.audioUrl!)).status).toBe(404)
    const audio = await call(view!.audioUrl!, { headers: { Cookie: artist } })
    expect(audio.status).toBe(200)
    expect(audio.headers.get('Content-Type')).toBe('audio/mpeg')
    const mp3 = new Uint8Array(await audio.arrayBuffer())
    const decoded = await decodeAudio(mp3, 10)
    expect(decoded).toMatchObject({ format: 'mp3', sampleRate: 48000 })
    expect(decoded.channels).toHaveLength(2)
    const seconds = decoded.channels[0]!.length / 48000
    expect(seconds).toBeGreaterThan(1.45)
    expect(seconds).toBeLessThan(1.6)
    // The tone is there: its level matches the master's within a decibel.
    const rms = (pcm: Float32Array) =>
      Math.sqrt(pcm.subarray(4800, 62400).reduce((s, v) => s + v * v, 0) / 57600)
    const master = decodeWav(bytes).channels[0]!
    expect(Math.abs(20 * Math.log10(rms(decoded.channels[0]!) / rms(master)))).toBeLessThan(1)

    const peaks = await (await call(view!.peaksUrl!, { headers: { Cookie: artist } })).json()
    expect(peaks).toEqual(peaksFrom(decodeWav(bytes).channels, 48000))
    const analysis = JSON.parse(row.analysis) as { peakDbfs: number }
    expect(analysis.peakDbfs).toBeCloseTo(20 * Math.log10(0.3), 1)
  })

  it('resumes an upload: lists the parts in R2, refuses to complete with one missing, then completes', async () => {
    const campaign = await draftCampaign()
    const bytes = twoPartWav()
    const upload = await started(campaign, bytes, 'Bass.wav')
    expect(upload).toMatchObject({
      partSize: PART_SIZE,
      partCount: 2,
      uploadedParts: [],
      status: 'open',
    })
    expect((await putPart(upload.id, 2, bytes.subarray(PART_SIZE))).status).toBe(200)
    const resumed = ((await (await getUpload(upload.id)).json()) as { upload: UploadView }).upload
    expect(resumed.uploadedParts).toEqual([2])
    const early = await complete(upload.id)
    expect(early.status).toBe(400)
    expect(((await early.json()) as ErrorBody).error.message).toMatch(/missing part 1/)
    expect((await putPart(upload.id, 1, bytes.subarray(0, PART_SIZE))).status).toBe(200)
    expect(
      ((await (await getUpload(upload.id)).json()) as { upload: UploadView }).upload.uploadedParts,
    ).toEqual([1, 2])
    const done = await complete(upload.id)
    expect(done.status).toBe(202)
    const { stem } = (await done.json()) as { stem: AuthorStem }
    expect(stem).toMatchObject({ role: 'bass', lengthSamples: 24000 })
    // A replayed completion answers the same stem and makes nothing new.
    const again = await complete(upload.id)
    expect(again.status).toBe(202)
    expect(((await again.json()) as { stem: AuthorStem }).stem.id).toBe(stem.id)
    const row = await processed(stem.id)
    expect(row.ingest_status).toBe('ready')
    expect(row.sha256).toBe(await sha256Hex(bytes))
    expect((await env.MEDIA.head(row.master_key!))?.size).toBe(bytes.length)
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM stems WHERE campaign_id = ?1')
      .bind(campaign)
      .first<{ n: number }>()
    expect(count?.n).toBe(1)
  })

  it('aborts an upload: the R2 multipart upload and the rows are gone', async () => {
    const campaign = await draftCampaign()
    const bytes = twoPartWav()
    const upload = await started(campaign, bytes, 'Keys.wav')
    expect((await putPart(upload.id, 1, bytes.subarray(0, PART_SIZE))).status).toBe(200)
    expect((await leftovers(campaign, upload.id)).parts).toBe(1)
    const res = await call(`/api/artist/uploads/${upload.id}`, {
      method: 'DELETE',
      ...withCookie(artist),
    })
    expect(res.status).toBe(204)
    expect((await getUpload(upload.id)).status).toBe(404)
    expect(await leftovers(campaign, upload.id)).toEqual({
      uploads: 0,
      parts: 0,
      stems: 0,
      objects: 0,
    })
    // The multipart upload itself is aborted in R2: completing it fails.
    const multipart = env.MEDIA.resumeMultipartUpload(`masters/${campaign}/${upload.id}`, 'x')
    await expect(multipart.complete([])).rejects.toThrow()
  })

  it('reads FLAC (16 and 24-bit), float WAV and a 96 kHz master, whose rendition is at 48 kHz', async () => {
    const campaign = await draftCampaign()
    const flac16 = encodeFlac(tone(0.5, 48000, 330), 48000, 16)
    const flac24 = encodeFlac(tone(0.5, 48000, 440), 48000, 24)
    const float = wav(0.5, 48000, 'float32')
    const hi = wav(0.5, 96000, 'pcm24')
    const stems = [
      await uploadStem(campaign, flac16, 'Guitar.flac'),
      await uploadStem(campaign, flac24, 'Lead Vocal.flac'),
      await uploadStem(campaign, float, 'Pads.wav'),
      await uploadStem(campaign, hi, 'FX 96k.wav'),
    ]
    expect(stems.map((s) => [s.format, s.bitDepth, s.sampleRate, s.lengthSamples, s.role])).toEqual(
      [
        ['flac', 16, 48000, 24000, 'guitar'],
        ['flac', 24, 48000, 24000, 'vocals'],
        ['wav', 32, 48000, 24000, 'pads'],
        ['wav', 24, 96000, 48000, 'fx'],
      ],
    )
    expect(stems[1]!.isVoice).toBe(true)
    for (const [i, stem] of stems.entries()) {
      expect((await processed(stem.id)).ingest_status).toBe('ready')
      const mp3 = new Uint8Array(
        await (
          await call(`/api/stems/${stem.id}/audio`, { headers: { Cookie: artist } })
        ).arrayBuffer(),
      )
      const decoded = await decodeAudio(mp3, 10)
      expect(decoded.sampleRate).toBe(48000)
      expect(decoded.channels[0]!.length / 48000).toBeGreaterThan(0.45)
      if (i < 2) {
        const peaks = (await (
          await call(`/api/stems/${stem.id}/peaks`, { headers: { Cookie: artist } })
        ).json()) as {
          length: number
        }
        expect(peaks.length).toBe(24000)
      }
    }
    // The 96 kHz stem is reported against the others, not refused.
    const views = await listAuthorStems(env.DB, campaign)
    expect(views[3]!.problem).toMatch(/96000 Hz but the campaign's other stems are at 48000 Hz/)
  })

  it('reports a sample-rate or length mismatch per stem instead of refusing it', async () => {
    const campaign = await draftCampaign()
    await uploadStem(campaign, wav(1), 'Drums.wav')
    await uploadStem(campaign, wav(1), 'Bass.wav')
    const slow = await uploadStem(campaign, wav(1, 44100), 'Keys.wav')
    const long = await uploadStem(campaign, wav(1.01), 'Pads.wav')
    expect(slow.problem).toMatch(/44100 Hz.*export it again at 48000 Hz/)
    expect(long.problem).toMatch(/480 samples longer/)
    const views = await listAuthorStems(env.DB, campaign)
    expect(views.map((v) => v.problem === null)).toEqual([true, true, false, false])
  })

  const bad: [string, () => Uint8Array, RegExp][] = [
    ['not audio', () => new TextEncoder().encode('%PDF-1.7\n'.repeat(200)), /not audio/],
    [
      'an MP3 as master',
      () => Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, ...new Array(500).fill(0)]),
      /MP3.*lossy.*lossless/,
    ],
    [
      'a corrupt WAV',
      () => Uint8Array.from([...new TextEncoder().encode('RIFF\x10\x00\x00\x00WAVEfmt '), 1, 2, 3]),
      /truncated|corrupt/,
    ],
    ['a truncated WAV', () => wav(1).subarray(0, 200_000), /truncated/],
    [
      'an 8-bit WAV',
      () => {
        const w = wav(0.1, 48000, 'pcm16')
        const view = new DataView(w.buffer)
        view.setUint16(32, 2, true)
        view.setUint16(34, 8, true)
        return w
      },
      /16- or 24-bit PCM or 32-bit float/,
    ],
    [
      'a FLAC over 15 minutes',
      () => encodeFlac(tone(0.1, 48000, 220), 48000, 16, 48000 * 60 * 15 + 48000),
      /at most 15 minutes/,
    ],
  ]
  for (const [name, bytes, message] of bad)
    it(`refuses ${name} with 400 and leaves no rows or objects`, async () => {
      const campaign = await draftCampaign()
      const { upload, res } = await uploadFile(campaign, bytes(), 'file.wav')
      expect(res.status).toBe(400)
      const body = (await res.json()) as ErrorBody
      expect(body.error.code).toBe('invalid_audio')
      expect(body.error.message).toMatch(message)
      expect(await leftovers(campaign, upload.id)).toEqual({
        uploads: 0,
        parts: 0,
        stems: 0,
        objects: 0,
      })
      expect(await listAuthorStems(env.DB, campaign)).toEqual([])
    })

  it('answers 413 for a file over the limit and for a part larger than its size', async () => {
    const campaign = await draftCampaign()
    const res = await create(campaign, {
      fileName: 'huge.wav',
      size: MAX_MASTER_BYTES + 1,
      kind: 'stem',
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/at most 720 MiB/)
    const bytes = wav(0.1)
    const upload = await started(campaign, bytes, 'x.wav')
    const big = await putPart(upload.id, 1, new Uint8Array(bytes.length + 10))
    expect(big.status).toBe(413)
    const small = await putPart(upload.id, 1, bytes.subarray(1))
    expect(small.status).toBe(400)
    expect((await putPart(upload.id, 2, bytes)).status).toBe(400)
    expect((await leftovers(campaign, upload.id)).parts).toBe(0)
  })

  it('refuses stems for a published campaign and bad requests', async () => {
    const live = await env.DB.prepare('SELECT id FROM campaigns WHERE slug = ?1')
      .bind(manifest.slug)
      .first<{ id: string }>()
    const res = await create(live!.id, { fileName: 'late.wav', size: 1000, kind: 'stem' })
    expect(res.status).toBe(409)
    const draft = await draftCampaign()
    expect((await create(draft, { fileName: 'a/b.wav', size: 1000, kind: 'stem' })).status).toBe(
      400,
    )
    expect((await create(draft, { fileName: 'a.wav', size: 0, kind: 'stem' })).status).toBe(400)
    expect((await create(draft, { fileName: 'a.wav', size: 10, kind: 'mix' })).status).toBe(400)
    expect((await create('cmp-nope', { fileName: 'a.wav', size: 10, kind: 'stem' })).status).toBe(
      404,
    )
  })

  it('lets only the campaign’s artist (or an admin) upload, see, send, complete or cancel', async () => {
    const campaign = await draftCampaign()
    const bytes = wav(0.1)
    const upload = await started(campaign, bytes, 'Drums.wav')
    const body = { fileName: 'x.wav', size: 100, kind: 'stem' }
    for (const [cookie, status] of [
      [null, 401],
      [fan, 403],
      [artistB, 403],
    ] as const) {
      expect((await create(campaign, body, cookie)).status).toBe(status)
      expect((await getUpload(upload.id, cookie)).status).toBe(status)
      expect((await putPart(upload.id, 1, bytes, cookie)).status).toBe(status)
      expect((await complete(upload.id, cookie)).status).toBe(status)
      const del = await call(`/api/artist/uploads/${upload.id}`, {
        method: 'DELETE',
        ...withCookie(cookie),
      })
      expect(del.status).toBe(status)
    }
    expect((await getUpload(upload.id, admin)).status).toBe(200)
    expect((await create(campaign, body, admin)).status).toBe(201)
    expect((await putPart(upload.id, 1, bytes)).status).toBe(200)
    expect((await complete(upload.id)).status).toBe(202)
  })

  it('fails the ingest of a corrupt FLAC with the reason and no outputs, and retries it', async () => {
    const campaign = await draftCampaign()
    const good = encodeFlac(tone(0.5, 48000, 220), 48000, 16)
    const corrupt = good.slice()
    corrupt[corrupt.length - 5000] = corrupt[corrupt.length - 5000]! ^ 0x55
    const stem = await uploadStem(campaign, corrupt, 'Broken.flac')
    const row = await processed(stem.id)
    expect(row.ingest_status).toBe('failed')
    expect(row.ingest_error).toMatch(/FLAC file is corrupt/)
    const outputs = await env.MEDIA.list({ prefix: `stems/${campaign}/${stem.id}/` })
    const peaks = await env.MEDIA.list({ prefix: `peaks/${campaign}/${stem.id}/` })
    expect(outputs.objects.length + peaks.objects.length).toBe(0)
    const [view] = await listAuthorStems(env.DB, campaign)
    expect(view).toMatchObject({ status: 'failed', audioUrl: null })
    expect(view!.error).toMatch(/corrupt/)
    // Nothing is served for it (and the master never is).
    expect((await call(`/api/stems/${stem.id}/audio`)).status).toBe(404)
    expect((await call(`/api/stems/${stem.id}/peaks`)).status).toBe(404)

    // The master is repaired in place (as a retried transient fault would be): retrying succeeds.
    await env.MEDIA.put(row.master_key!, good)
    expect(
      (
        await call(`/api/artist/stems/${stem.id}/ingest`, {
          method: 'POST',
          ...withCookie(artistB),
        })
      ).status,
    ).toBe(403)
    const retry = await call(`/api/artist/stems/${stem.id}/ingest`, {
      method: 'POST',
      ...withCookie(artist),
    })
    expect(retry.status).toBe(202)
    expect(((await retry.json()) as { stem: AuthorStem }).stem.status).toBe('processing')
    expect((await processed(stem.id)).ingest_status).toBe('ready')
    const again = await call(`/api/artist/stems/${stem.id}/ingest`, {
      method: 'POST',
      ...withCookie(artist),
    })
    expect(again.status).toBe(409)
  })

  it('fails a stem whose ingest its retries could not finish, with no outputs left', async () => {
    const campaign = await draftCampaign()
    const stem = await uploadStem(campaign, wav(0.5), 'Given up.wav')
    expect((await processed(stem.id)).ingest_status).toBe('ready')
    const outputs = async () =>
      (await env.MEDIA.list({ prefix: `stems/${campaign}/${stem.id}/` })).objects.length +
      (await env.MEDIA.list({ prefix: `peaks/${campaign}/${stem.id}/` })).objects.length
    expect(await outputs()).toBeGreaterThan(0)
    // Every attempt died after writing part of its outputs: the stem is still processing.
    await env.DB.prepare("UPDATE stems SET ingest_status = 'processing' WHERE id = ?1")
      .bind(stem.id)
      .run()
    const batch = createMessageBatch('stemfair-ingest-failed', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { type: 'ingest', stemId: stem.id } },
    ])
    const ctx = createExecutionContext()
    await consumeJobs(batch, env)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m1'])
    const row = await stemRow(stem.id)
    expect(row).toMatchObject({ ingest_status: 'failed' })
    expect(row!.ingest_error).toMatch(/failed; retry it, or upload the file again/)
    expect(await outputs()).toBe(0)
  })

  it('null-tests the stems against the reference mix', async () => {
    const campaign = await draftCampaign()
    const a = tone(0.5, 48000, 220)
    const b = tone(0.5, 48000, 330)
    const wavA = encodeWav(a, 48000, { encoding: 'pcm24' })
    const wavB = encodeWav(b, 48000, { encoding: 'pcm24' })
    const qa = decodeWav(wavA).channels
    const qb = decodeWav(wavB).channels
    // A reference 1 % off the stems' sum: a residual of -40 dB.
    const mix = qa.map((ch, c) => ch.map((v, i) => (v + qb[c]![i]!) * 1.01))
    const ids = [
      await uploadStem(campaign, wavA, 'A.wav'),
      await uploadStem(campaign, wavB, 'B.wav'),
    ]
    const { res } = await uploadFile(
      campaign,
      encodeWav(mix, 48000, { encoding: 'float32' }),
      'Mix.wav',
      'reference',
    )
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ reference: { fileName: 'Mix.wav' } })
    for (const s of ids) await processed(s.id)
    await vi.waitFor(
      async () => {
        const row = await env.DB.prepare(
          'SELECT null_test_db, null_test_error, reference_file_name FROM campaigns WHERE id = ?1',
        )
          .bind(campaign)
          .first<{ null_test_db: number | null; null_test_error: string | null }>()
        expect(row?.null_test_error).toBeNull()
        expect(row?.null_test_db).toBeCloseTo(20 * Math.log10(0.01 / 1.01), 0)
      },
      { timeout: 60_000, interval: 100 },
    )
  })
})
