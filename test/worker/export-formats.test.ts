import { createMessageBatch, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import { EXPORT_FORMATS, FORMAT_INFO, type OutputFormat } from '../../core/api/formats.ts'
import { bytesSource, readMasterInfo } from '../../core/audio/container.ts'
import { FlacDecoder } from '../../core/audio/flac.ts'
import { id3Text, readId3 } from '../../core/audio/id3.ts'
import { chunkData, decodeWav, readInfo, readWavInfo } from '../../core/audio/wav.ts'
import { sha256Hex, utf8Decode } from '../../core/lib/bytes.ts'
import { crc32 } from '../../core/lib/crc32.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import { loadMpegDecoder } from '../../worker/audio/decoders.ts'
import type { ExportRow } from '../../worker/db/exports.ts'
import { consumeJobs } from '../../worker/jobs/consumer.ts'
import { stemIdFor } from '../../worker/seed.ts'
import { FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json } from './http.ts'
import { shortLicence } from '../support/licence.ts'
import { remixRecipe } from '../support/recipe.ts'
import { linkOf } from '../support/downloads.ts'
import { eventCount } from './events.ts'

// Every export renders, marks and encodes on the server: on a shared machine, generous waits.
vi.setConfig({ testTimeout: 120_000 })

const SLUG = 'format-moons'
let fan: string

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  const licence = shortLicence(manifest.licence, { minSeconds: 0.5 })
  await seedWithMasters({ ...input, manifest: { ...manifest, slug: SLUG, licence } })
  const login = await call('/api/auth/login', {
    method: 'POST',
    ...json({ email: FAN.email, password: FAN.password }),
  })
  fan = cookieOf(login)
})

async function createRemix(slug = SLUG, length = 1) {
  const res = await call('/api/remixes', {
    method: 'POST',
    ...json(
      { campaign: slug, title: 'Night drive', recipe: remixRecipe({ campaign: slug, length }) },
      fan,
    ),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { remix: { id: string } }).remix
}

const postExport = (body: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  call('/api/exports', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Cookie: fan },
    body: JSON.stringify(body),
  })

async function waitFinished(id: string): Promise<ExportView> {
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      const res = await call(`/api/exports/${id}`, { headers: { Cookie: fan } })
      view = ((await res.json()) as { export: ExportView }).export
      expect(['ready', 'rejected']).toContain(view.status)
    },
    { timeout: 90_000, interval: 100 },
  )
  return view!
}

async function exportIn(formats: readonly string[], slug = SLUG) {
  const remix = await createRemix(slug)
  const res = await postExport({ remix: remix.id, version: 1, formats })
  expect(res.status).toBe(202)
  return waitFinished(((await res.json()) as { export: ExportView }).export.id)
}

const row = (id: string) =>
  env.DB.prepare('SELECT * FROM exports WHERE id = ?1').bind(id).first<ExportRow>()

async function keys(prefix: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix })).objects.map((o) => o.key).sort()
}

async function bytesOf(key: string): Promise<Uint8Array> {
  const object = await env.MEDIA.get(key)
  expect(object, key).not.toBeNull()
  return new Uint8Array(await object!.arrayBuffer())
}

const manifestOf = async (id: string) => JSON.parse((await row(id))!.manifest!) as ExportManifest

/** The interleaved integer samples of a PCM WAV (16- or 24-bit). */
function pcmOf(wav: Uint8Array): Int32Array {
  const info = readWavInfo(wav)
  const width = info.encoding === 'pcm16' ? 2 : 3
  const data = wav.subarray(info.dataOffset, info.dataOffset + info.dataBytes)
  const out = new Int32Array(data.length / width)
  for (let i = 0, at = 0; i < out.length; i++, at += width)
    out[i] =
      width === 2
        ? data[at]! | ((data[at + 1]! << 24) >> 16)
        : data[at]! | (data[at + 1]! << 8) | ((data[at + 2]! << 24) >> 8)
  return out
}

/** A FLAC decoded by core's decoder: its shape and interleaved integer samples. */
async function flacOf(bytes: Uint8Array) {
  const info = await readMasterInfo(bytesSource(bytes), bytes.length)
  const decoder = new FlacDecoder({ ...info, maxBlockSize: info.flac!.maxBlockSize })
  const out = new Int32Array(info.lengthSamples * info.channels)
  let at = 0
  decoder.push(bytes.subarray(info.dataOffset))
  decoder.drain((b) => {
    for (let i = 0; i < b.length; i++)
      for (let ch = 0; ch < info.channels; ch++) out[at++] = b.channels[ch]![i]!
  }, true)
  return { info, samples: out }
}

/** The bit rate (kbit/s) in an MPEG-1 Layer III frame header, and frames counted after the tag. */
function mp3Shape(mp3: Uint8Array, tagSize: number) {
  const kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
  const rates = new Set<number>()
  let frames = 0
  for (let at = tagSize; at + 4 <= mp3.length;) {
    if (mp3[at] !== 0xff || (mp3[at + 1]! & 0xe0) !== 0xe0) break
    const rate = kbps[mp3[at + 2]! >> 4]!
    const padding = (mp3[at + 2]! >> 1) & 1
    rates.add(rate)
    frames++
    at += Math.floor((144 * rate * 1000) / 44100) + padding
  }
  return { rates: [...rates], frames }
}

/** The entries of a ZIP, read from its central directory and checked against local headers. */
function zipEntries(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const end = zip.length - 22
  expect(view.getUint32(end, true)).toBe(0x06054b50)
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const entries: { name: string; method: number; crc: number; data: Uint8Array }[] = []
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50)
    const method = view.getUint16(at + 10, true)
    const crc = view.getUint32(at + 16, true)
    const size = view.getUint32(at + 20, true)
    const nameLength = view.getUint16(at + 28, true)
    const offset = view.getUint32(at + 42, true)
    const name = utf8Decode(zip.subarray(at + 46, at + 46 + nameLength))
    expect(view.getUint32(offset, true)).toBe(0x04034b50)
    const local =
      offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true)
    entries.push({ name, method, crc, data: zip.subarray(local, local + size) })
    at += 46 + nameLength
  }
  return entries
}

describe('POST /api/exports with formats', () => {
  it('writes every chosen format in one pass, each tagged, hashed in the manifest', async () => {
    const view = await exportIn(EXPORT_FORMATS)
    expect(view).toMatchObject({ status: 'ready', formats: [...EXPORT_FORMATS] })
    const id = view.id
    const m = await manifestOf(id)
    // One file per format, under the keys storage names; the stems' own WAVs are gone.
    const stored = await keys(`exports/${id}/`)
    expect(stored).toEqual(
      EXPORT_FORMATS.map((f) => `exports/${id}/${id}${FORMAT_INFO[f].suffix}`).sort(),
    )
    expect(Object.keys(m.outputs!).sort()).toEqual([...EXPORT_FORMATS].sort())
    const files = {} as Record<OutputFormat, Uint8Array>
    for (const format of EXPORT_FORMATS) {
      const output = m.outputs![format]!
      files[format] = await bytesOf(output.key)
      expect(await sha256Hex(files[format]), format).toBe(output.sha256)
      expect(files[format].length, format).toBe(output.bytes)
    }
    // The downloads list each file with what it is and its size.
    expect(view.downloads!.files.map((f) => [f.format, f.label, f.bytes])).toEqual(
      EXPORT_FORMATS.map((f) => [f, FORMAT_INFO[f].label, m.outputs![f]!.bytes]),
    )

    // WAV 24 and 16: a second of stereo; the 16-bit one is the 24-bit one within its dither.
    const wav24 = files['wav-24']
    const info24 = readWavInfo(wav24)
    expect(info24).toMatchObject({
      encoding: 'pcm24',
      channels: 2,
      sampleRate: 44100,
      frames: 44100,
    })
    expect(readInfo(wav24, info24).INAM).toBe('Night drive')
    expect(id3Text(readId3(chunkData(wav24, info24, 'id3 ')!)!, 'TXXX:STEMFAIR_EXPORT_ID')).toBe(id)
    const wav16 = files['wav-16']
    expect(readWavInfo(wav16)).toMatchObject({ encoding: 'pcm16', frames: 44100 })
    const s24 = pcmOf(wav24)
    const s16 = pcmOf(wav16)
    let off = 0
    let differ = 0
    for (let i = 0; i < s24.length; i++) {
      const d = Math.abs(s16[i]! - Math.round(s24[i]! / 256))
      off = Math.max(off, d)
      if (s16[i]! * 256 !== s24[i]) differ++
    }
    expect(off).toBeLessThanOrEqual(1)
    expect(differ).toBeGreaterThan(0)

    // FLAC: 24-bit, decodes bit for bit to the 24-bit WAV's samples; Vorbis comments carry the tags.
    const flac = await flacOf(files.flac)
    expect(flac.info).toMatchObject({
      sampleRate: 44100,
      channels: 2,
      bitDepth: 24,
      lengthSamples: 44100,
    })
    expect(flac.samples).toEqual(s24)
    const text = utf8Decode(files.flac.subarray(0, 4096))
    expect(text).toContain('TITLE=Night drive')
    expect(text).toContain(`STEMFAIR_EXPORT_ID=${id}`)
    expect(text).toContain('AI_DISCLOSURE=')

    // The MP3s: their tags, their constant bit rates, a second of frames that decodes.
    const decoder = await loadMpegDecoder()
    try {
      for (const [format, rate] of [
        ['mp3-320', 320],
        ['mp3-192', 192],
      ] as const) {
        const mp3 = files[format]
        const tag = readId3(mp3)!
        expect(id3Text(tag, 'TIT2')).toBe('Night drive')
        expect(id3Text(tag, 'TSSE')).toBe(`Stemfair (LAME ${rate} kbit/s)`)
        const shape = mp3Shape(mp3, tag.size)
        expect(shape.rates).toEqual([rate])
        expect(shape.frames).toBeGreaterThanOrEqual(39)
        const decoded = decoder.decode(mp3.subarray(tag.size))
        expect(decoded.sampleRate).toBe(44100)
        expect(decoded.samplesDecoded).toBeGreaterThan(40_000)
        await decoder.reset()
      }
    } finally {
      decoder.free()
    }

    // The stems zip: one STORE'd 32-bit float WAV per stem the remix uses, each decoding to a second.
    const entries = zipEntries(files['stems-zip'])
    expect(entries.map((e) => e.name)).toEqual(['01 Drums.wav', '02 Bass.wav'])
    const stems = entries.map((e) => {
      expect(e.method).toBe(0)
      expect(crc32(e.data) >>> 0).toBe(e.crc)
      const info = readWavInfo(e.data)
      expect(info).toMatchObject({
        encoding: 'float32',
        channels: 2,
        sampleRate: 44100,
        frames: 44100,
      })
      expect(readInfo(e.data, info).INAM).toMatch(/^Night drive \((Drums|Bass) stem\)$/)
      return decodeWav(e.data).channels
    })
    for (const channels of stems)
      expect(Math.max(...channels[0]!.map(Math.abs))).toBeGreaterThan(0.01)
    expect(stems[0]![0]).not.toEqual(stems[1]![0])
  })

  it('adds the 192 kbit/s MP3 for the share page when no MP3 is chosen', async () => {
    const view = await exportIn(['flac'])
    expect(view.formats).toEqual(['flac'])
    expect(view.downloads!.files.map((f) => f.format)).toEqual(['mp3-192', 'flac'])
    const stored = (await row(view.id))!
    expect(stored.mp3_key).toBe(`exports/${view.id}/${view.id}.mp3`)
    expect(stored.wav_key).toBeNull()
    expect(stored.seconds).toBe(1)
    // the share page plays it and a play ticket asks for the export's length without a WAV
    const ticket = await call(`/api/share/${view.id}/tickets`, { method: 'POST' })
    expect(ticket.status).toBe(201)
  })

  it('400 with the paths for formats that are not a non-empty set of known ones', async () => {
    const remix = await createRemix()
    const cases: [unknown, (string | number)[]][] = [
      [[], ['formats']],
      [['ogg'], ['formats', 0]],
      [['flac', 'mp3-320', 'flac'], ['formats']],
      ['flac', ['formats']],
    ]
    for (const [formats, path] of cases) {
      const res = await postExport({ remix: remix.id, version: 1, formats })
      expect(res.status, JSON.stringify(formats)).toBe(400)
      const body = (await res.json()) as { error: { code: string; issues: { path: unknown[] }[] } }
      expect(body.error.code).toBe('invalid_request')
      expect(body.error.issues.map((i) => i.path)).toContainEqual(path)
    }
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE remix_id = ?1')
      .bind(remix.id)
      .all()
    expect(results).toEqual([])
  })

  it('one Idempotency-Key is one export: the same set replays it, other formats are a 409', async () => {
    const remix = await createRemix()
    const key = crypto.randomUUID()
    const first = await postExport(
      { remix: remix.id, version: 1, formats: ['flac', 'mp3-320'] },
      key,
    )
    expect(first.status).toBe(202)
    const { export: made } = (await first.json()) as { export: ExportView }
    // the same set in another order is the same request
    const again = await postExport(
      { remix: remix.id, version: 1, formats: ['mp3-320', 'flac'] },
      key,
    )
    expect(again.status).toBe(202)
    expect(((await again.json()) as { export: ExportView }).export.id).toBe(made.id)
    for (const formats of [['flac'], undefined]) {
      const other = await postExport({ remix: remix.id, version: 1, formats }, key)
      expect(other.status).toBe(409)
      expect(await other.json()).toMatchObject({ error: { code: 'conflict' } })
    }
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE remix_id = ?1')
      .bind(remix.id)
      .all()
    expect(results).toHaveLength(1)
    await waitFinished(made.id)
  })
})

describe('the job with every format, again and failing', () => {
  const jobMessage = (id: string, n: number, attempts = 1) => ({
    id: `m${n}`,
    timestamp: new Date(),
    attempts,
    body: { type: 'export', exportId: id },
  })

  it('a redelivered job writes the same bytes under the same keys, and nothing twice', async () => {
    const view = await exportIn(EXPORT_FORMATS)
    const id = view.id
    const before = await manifestOf(id)
    const listed = await keys(`exports/${id}/`)
    await env.DB.prepare(
      `UPDATE exports SET status = 'processing', stage = 'rendering', progress = 0.4,
         wav_sha256 = NULL, mp3_sha256 = NULL WHERE id = ?1`,
    )
      .bind(id)
      .run()
    await consumeJobs(createMessageBatch('stemfair-jobs', [jobMessage(id, 1, 2)]), env)
    expect(await row(id)).toMatchObject({ status: 'ready' })
    expect((await manifestOf(id)).outputs).toEqual(before.outputs)
    expect(await keys(`exports/${id}/`)).toEqual(listed)
  })

  it('a rejected export leaves no object of any format behind', async () => {
    const slug = 'formats-broken-moons'
    const input = await seedInput()
    const licence = shortLicence(manifest.licence, { minSeconds: 0.5 })
    await seedWithMasters({ ...input, manifest: { ...manifest, slug, licence } })
    // The bass master is cut short: the job renders the drums first, then fails on it.
    const key = `masters/test/${stemIdFor(slug, 'bass')}.wav`
    const whole = await bytesOf(key)
    await env.MEDIA.put(key, whole.slice(0, 9000))
    const view = await exportIn(EXPORT_FORMATS, slug)
    expect(view).toMatchObject({ status: 'rejected', downloads: null })
    expect(await keys(`exports/${view.id}/`)).toEqual([])
  })
})

describe('downloads of each file', () => {
  it('serves each format as its own attachment; a completed one counts once a day', async () => {
    const view = await exportIn(['flac', 'mp3-320', 'stems-zip'])
    const flac = await call(linkOf(view.downloads, 'flac'))
    expect(flac.status).toBe(200)
    expect(flac.headers.get('Content-Type')).toBe('audio/flac')
    expect(flac.headers.get('Content-Disposition')).toMatch(
      /filename="Night drive \(Stemfair remix, flac\)\.flac"/,
    )
    const listener = flac.headers
      .getSetCookie()
      .find((c) => c.startsWith('sf_listener='))!
      .split(';')[0]!
    const body = new Uint8Array(await flac.arrayBuffer())
    expect(await sha256Hex(body)).toBe((await manifestOf(view.id)).outputs!.flac!.sha256)
    const zip = await call(linkOf(view.downloads, 'stems-zip'), { headers: { Cookie: listener } })
    expect(zip.headers.get('Content-Type')).toBe('application/zip')
    await zip.arrayBuffer()
    const downloads = () => eventCount("export_id = ?1 AND type = 'download'", view.id)
    await vi.waitFor(async () => expect(await downloads()).toBe(1), {
      timeout: 30_000,
      interval: 100,
    })
    // a format the export was not made in is not there to download
    const url = new URL(linkOf(view.downloads, 'flac'), 'http://x')
    const wav = await call(url.pathname.replace('/flac', '/wav-24') + url.search)
    expect(wav.status).toBe(403)
  })
})
