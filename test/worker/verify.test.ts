import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import bassMp3 from '../../stems/audio/bass.mp3?inline'
import drumsMp3 from '../../stems/audio/drums.mp3?inline'
import leadMp3 from '../../stems/audio/lead.mp3?inline'
import flacTone from '../fixtures/tone-11s.flac?inline'
import oggFlacTone from '../fixtures/tone-1s-flac.ogg?inline'
import oggTone from '../fixtures/tone-11s.ogg?inline'
import opusTone from '../fixtures/tone-11s.opus?inline'
import { readId3 } from '../../core/audio/id3.ts'
import { decodeWav, encodeWav } from '../../core/audio/wav.ts'
import { MAX_VERIFY_BYTES, type Verification } from '../../core/campaign/verification.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import { decodeAudio } from '../../worker/audio/decode.ts'
import type { ExportRow } from '../../worker/db/exports.ts'
import type { WatermarkCheck } from '../../worker/export/check.ts'
import { VERIFY_LIMIT } from '../../worker/routes/verify.ts'
import { contributionsOf } from '../../worker/db/contributions.ts'
import { seedCampaign, stemIdFor } from '../../worker/seed.ts'
import { FAN, installMaster, manifest, seed, seedInput } from './fixture.ts'
import { call, json, login, requestExport } from './http.ts'
import { remixRecipe } from '../support/recipe.ts'
import { shortLicence } from '../support/licence.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { findCampaignRow } from '../../worker/db/campaigns.ts'
import { saveLicence } from '../../worker/db/author-campaigns.ts'
import { eventCount } from './events.ts'

// Detection is CPU-bound and this machine is shared: generous waits, no timing asserted.
const SLOW = { timeout: 180_000 }

type Found = Extract<Verification, { found: true }>
type ErrorBody = { error: { code: string; message: string } }

const SECONDS = 30 // the demo licence's shortest export
const VERIFIED = 'verified-moons' // the demo campaign with three real stems as masters
const SILENT = 'silent-moons' // the same with silent masters
const RATE = 44100
let fan: string

const bytesOf = async (dataUrl: string) =>
  new Uint8Array(await (await fetch(dataUrl)).arrayBuffer())

let address = 0
/** Posts a file to verify, from its own client address unless one is given. */
function postVerify(body: BodyInit | null, init: { type?: string; ip?: string } = {}) {
  const headers: Record<string, string> = {
    'CF-Connecting-IP': init.ip ?? `198.51.100.${++address}`,
  }
  if (init.type !== '') headers['Content-Type'] = init.type ?? 'application/octet-stream'
  return call('/api/verify', { method: 'POST', headers, body })
}

async function verified(body: BodyInit, type?: string): Promise<Verification> {
  const res = await postVerify(body, { type })
  expect(res.status).toBe(200)
  return (await res.json()) as Verification
}

async function refused(body: BodyInit | null, status: number, code: string, type?: string) {
  const res = await postVerify(body, { type })
  expect(res.status).toBe(status)
  const { error } = (await res.json()) as ErrorBody
  expect(error.code).toBe(code)
  return error.message
}

/** The first 30 s of three demo stems, decoded: the masters the test campaigns render from. */
async function demoStems(): Promise<Float32Array[][]> {
  const out: Float32Array[][] = []
  for (const url of [drumsMp3, bassMp3, leadMp3])
    out.push((await decodeAudio(await bytesOf(url), SECONDS)).channels)
  return out
}

/** Their mix at −6 dB each, as the recipe below plays them (for the marks made in tests). */
function mixOf(stems: Float32Array[][]): Float32Array[] {
  const mix = [new Float32Array(SECONDS * RATE), new Float32Array(SECONDS * RATE)]
  for (const stem of stems)
    for (const [ch, out] of mix.entries()) {
      const src = stem[Math.min(ch, stem.length - 1)]!
      for (let i = 0; i < out.length; i++) out[i]! += 0.5 * src[i]!
    }
  return mix
}

const STEMS = ['drums', 'bass', 'lead']

/** A campaign like the demo whose drums, bass and lead masters are `stems`. */
async function seedWith(slug: string, stems: Float32Array[][]) {
  const input = await seedInput()
  await seedCampaign(env, { ...input, manifest: { ...manifest, slug } })
  for (const [i, name] of STEMS.entries()) await installMaster(stemIdFor(slug, name), stems[i]!)
}

function recipe(slug: string, length: number) {
  return remixRecipe({
    campaign: slug,
    stems: STEMS,
    length,
    tempo: manifest.tempo,
    timeSignature: manifest.timeSignature,
    region: { duration: length, gainDb: -6 },
  })
}

/** Runs a real export of a campaign's remix through the queue and answers its finished view. */
async function exportOf(slug: string): Promise<ExportView> {
  const created = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: slug, title: 'Verified drive', recipe: recipe(slug, SECONDS) }, fan),
  })
  expect(created.status, await created.clone().text()).toBe(201)
  const { remix } = (await created.json()) as { remix: RemixView }
  const res = await requestExport(remix.id, 1, fan)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      const read = await call(`/api/exports/${queued.id}`, { headers: { Cookie: fan } })
      view = ((await read.json()) as { export: ExportView }).export
      expect(['ready', 'rejected']).toContain(view.status)
    },
    { timeout: 120_000, interval: 200 },
  )
  return view!
}

const row = (id: string) =>
  env.DB.prepare('SELECT * FROM exports WHERE id = ?1').bind(id).first<ExportRow>()

async function stored(key: string): Promise<Uint8Array> {
  const object = await env.MEDIA.get(key)
  expect(object, key).not.toBeNull()
  return new Uint8Array(await object!.arrayBuffer())
}

let mix: Float32Array[]
let ready: ExportView
let wav: Uint8Array
let mp3: Uint8Array

beforeAll(async () => {
  await seed()
  fan = await login(FAN.email, FAN.password)
  const stems = await demoStems()
  mix = mixOf(stems)
  await seedWith(VERIFIED, stems)
  ready = await exportOf(VERIFIED)
  expect(ready).toMatchObject({ status: 'ready', reason: null })
  wav = await stored(`exports/${ready.id}/${ready.id}.wav`)
  mp3 = await stored(`exports/${ready.id}/${ready.id}.mp3`)
}, 180_000)

describe('the export job reads its own watermark back', SLOW, () => {
  it('stores the MP3’s detection with the export', async () => {
    const check = JSON.parse((await row(ready.id))!.watermark!) as WatermarkCheck
    expect(check).toEqual({
      checked: true,
      payload: ready.id,
      confidence: expect.any(Number),
      bitErrors: expect.any(Number),
    })
    if (check.checked) expect(check.confidence).toBeGreaterThan(0)
  })

  it('refuses an export whose mark does not read back, leaving nothing behind', async () => {
    const quiet = () => [new Float32Array(SECONDS * RATE), new Float32Array(SECONDS * RATE)]
    await seedWith(SILENT, [quiet(), quiet(), quiet()])
    const silent = await exportOf(SILENT)
    expect(silent.status).toBe('rejected')
    expect(silent.reason).toMatch(/watermark could not be read back/)
    const rejected = (await row(silent.id))!
    expect(rejected).toMatchObject({ wav_key: null, mp3_key: null, watermark: null })
    expect((await env.MEDIA.list({ prefix: `exports/${silent.id}/` })).objects).toEqual([])
    expect(await contributionsOf(env.DB, silent.id)).toEqual({})
    const events = await eventCount('export_id = ?1', silent.id)
    expect(events).toBe(0)
  })
})

describe('POST /api/verify finds the export a file comes from', SLOW, () => {
  const expectExport = (answer: Verification) => {
    expect(answer).toEqual({
      found: true,
      confidence: expect.any(Number),
      export: { id: ready.id, createdAt: ready.createdAt, formats: ['mp3-192', 'wav-16'] },
      remix: { id: ready.remixId, title: 'Verified drive', status: expect.any(String) },
      campaign: { slug: VERIFIED, title: manifest.title, artist: manifest.artist },
      fan: { name: FAN.displayName },
      licence: {
        uid: manifest.licence.uid,
        version: manifest.licence.version,
        url: expect.stringContaining(`/c/${VERIFIED}#licence`),
        summary: expect.arrayContaining([expect.stringMatching(/\w/)]),
      },
      credits: manifest.credits,
      status: 'ready',
      shareUrl: `http://x/r/${ready.id}`,
      by: 'watermark',
    })
    expect((answer as Found).confidence).toBeGreaterThan(0)
    expect((answer as Found).confidence).toBeLessThanOrEqual(1)
  }

  it('from the MP3 and the WAV, raw or as a form', async () => {
    expectExport(await verified(mp3, 'audio/mpeg'))
    expectExport(await verified(wav, 'audio/wav'))
    const form = new FormData()
    form.append('file', new File([mp3], 'remix.mp3', { type: 'audio/mpeg' }))
    const res = await call('/api/verify', {
      method: 'POST',
      headers: { 'CF-Connecting-IP': '203.0.113.200' },
      body: form,
    })
    expect(res.status).toBe(200)
    expectExport((await res.json()) as Verification)
  })

  it('describes the licence the export was made under, after the artist changed it', async () => {
    const before = await verified(wav, 'audio/wav')
    const campaign = (await findCampaignRow(env.DB, VERIFIED))!
    const old = LicencePolicySchema.parse(JSON.parse(campaign.licence))
    const changed = {
      ...shortLicence(old, { minSeconds: SECONDS, approval: true }),
      version: old.version + 1,
    }
    expect(await saveLicence(env.DB, campaign.id, changed, old.version)).toBe(true)
    const names = Object.fromEntries(STEMS.map((s) => [stemIdFor(VERIFIED, s), s]))
    // the change shows in a description, so an answer under the current licence would differ
    expect(describeLicence(changed, names).join(' ')).toMatch(
      /approves a remix before it is shared/,
    )
    const after = (await verified(wav, 'audio/wav')) as Found
    expect(after.licence).toEqual((before as Found).licence)
    expect(after.licence.version).toBe(old.version)
    expect(after.licence.summary.join(' ')).not.toMatch(/approves a remix before it is shared/)
  })

  it('from a 12 s clip cut from the middle of the WAV, and 22 s of the MP3’s bytes', async () => {
    const { channels } = decodeWav(wav)
    const clip = channels.map((c) => c.slice(9 * RATE, 21 * RATE))
    expectExport(await verified(encodeWav(clip, RATE, { encoding: 'pcm16' }), 'audio/wav'))
    const tag = readId3(mp3)!.size
    const perSecond = (192_000 / 8) | 0
    // A cut mid-frame loses the bit reservoir of its first frames. Measured over 40 random export
    // ids on this mix: 15 s of the MP3 decoded for 25 of 40 ids, 20 s for 29 of 30, 22 s for 40 of
    // 40 (short clips after lossy coding are the watermark issue's work; bench:watermark).
    const cut = mp3.slice(tag + 4 * perSecond + 417, tag + 26 * perSecond)
    expectExport(await verified(cut, 'audio/mpeg'))
  })

  it('says so when the remix was taken down', async () => {
    const before = await env.DB.prepare('SELECT status FROM remixes WHERE id = ?1')
      .bind(ready.remixId)
      .first<string>('status')
    await env.DB.prepare("UPDATE remixes SET status = 'taken_down' WHERE id = ?1")
      .bind(ready.remixId)
      .run()
    try {
      const answer = await verified(mp3, 'audio/mpeg')
      expect(answer).toMatchObject({ found: true, status: 'taken_down' })
      expect((answer as Found).remix.status).toBe('taken_down')
    } finally {
      await env.DB.prepare('UPDATE remixes SET status = ?2 WHERE id = ?1')
        .bind(ready.remixId, before)
        .run()
    }
  })
})

describe('POST /api/verify finds nothing in other audio', SLOW, () => {
  const nothing = { found: false, message: 'No Stemfair watermark found' }

  it('in an unmarked demo stem (MP3), FLAC and Ogg Vorbis', async () => {
    expect(await verified(await bytesOf(bassMp3), 'audio/mpeg')).toEqual(nothing)
    expect(await verified(await bytesOf(flacTone), 'audio/flac')).toEqual(nothing)
    expect(await verified(await bytesOf(oggTone), 'audio/ogg')).toEqual(nothing)
  })

  it('in audio marked with an id no export has', async () => {
    const marked = embedWatermark(mix, RATE, '0123456789abcdef', env.WATERMARK_KEY)
    const clip = marked.map((c) => c.subarray(0, 15 * RATE))
    expect(await verified(encodeWav(clip, RATE, { encoding: 'pcm16' }), 'audio/wav')).toEqual(
      nothing,
    )
  })

  it('in audio marked with another key', async () => {
    const marked = embedWatermark(mix, RATE, ready.id, 'someone-else’s-key')
    const clip = marked.map((c) => c.subarray(0, 15 * RATE))
    expect(await verified(encodeWav(clip, RATE, { encoding: 'pcm16' }), 'audio/wav')).toEqual(
      nothing,
    )
  })
})

describe('POST /api/verify refuses bad input with a clear message', SLOW, () => {
  it('400 for an empty file, one that is not audio, and Opus', async () => {
    expect(await refused(new Uint8Array(0), 400, 'invalid_audio')).toBe('The file is empty.')
    expect(
      await refused(new TextEncoder().encode('just some text, not a song'), 400, 'invalid_audio'),
    ).toMatch(/not an audio file we can read; send WAV, MP3, FLAC or Ogg Vorbis/)
    expect(await refused(await bytesOf(opusTone), 400, 'invalid_audio', 'audio/ogg')).toMatch(
      /Ogg Opus is not supported/,
    )
  })

  it('400 for Ogg FLAC, naming what to send instead', async () => {
    expect(await refused(await bytesOf(oggFlacTone), 400, 'invalid_audio', 'audio/ogg')).toBe(
      'Ogg FLAC is not supported; send native FLAC, WAV, MP3 or Ogg Vorbis.',
    )
  })

  it('400 for a corrupt or cut-off MP3 and a corrupt WAV', async () => {
    const tag = readId3(mp3)!.size
    const garbage = new Uint8Array(64 * 1024)
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251
    const corrupt = new Uint8Array([...mp3.subarray(0, tag + 4), ...garbage])
    expect(await refused(corrupt, 400, 'invalid_audio', 'audio/mpeg')).toMatch(/MP3|lasts|no audio/)
    const cutOff = mp3.slice(0, tag + 20_000)
    expect(await refused(cutOff, 400, 'invalid_audio', 'audio/mpeg')).toMatch(
      new RegExp(`lasts \\d\\.\\d s; verification needs at least ${MIN_DETECT_SECONDS} s`),
    )
    expect(await refused(wav.slice(0, 100_000), 400, 'invalid_audio', 'audio/wav')).toMatch(
      /The WAV is truncated/,
    )
  })

  it('400 for audio shorter than the minimum', async () => {
    const { channels } = decodeWav(wav)
    const short = channels.map((c) => c.slice(0, 5 * RATE))
    expect(await refused(encodeWav(short, RATE), 400, 'invalid_audio', 'audio/wav')).toBe(
      `The audio lasts 5.0 s; verification needs at least ${MIN_DETECT_SECONDS} s.`,
    )
  })

  it('400 without an audio Content-Type', async () => {
    expect(await refused(mp3, 400, 'invalid_request', 'text/plain')).toMatch(/Content-Type audio/)
    expect(await refused(mp3, 400, 'invalid_request', '')).toMatch(/content-type/)
  })

  it('413 over the size limit, by Content-Length or while reading', async () => {
    const over = MAX_VERIFY_BYTES + 1
    const declared = await call('/api/verify', {
      method: 'POST',
      headers: {
        'Content-Type': 'audio/wav',
        'Content-Length': String(over),
        'CF-Connecting-IP': '203.0.113.201',
      },
      body: new Uint8Array(over),
    })
    expect(declared.status).toBe(413)
    expect(((await declared.json()) as ErrorBody).error.code).toBe('payload_too_large')
    const chunk = new Uint8Array(1024 * 1024)
    let chunks = MAX_VERIFY_BYTES / chunk.length + 1
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (chunks-- > 0) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const message = await refused(stream, 413, 'payload_too_large', 'audio/wav')
    expect(message).toMatch(/at most 60 MiB/)
  })

  it('429 once one address asks too often', async () => {
    // Fixed windows: a window may end mid-loop, so the limit is passed within twice its count.
    const statuses: number[] = []
    let res: Response | undefined
    for (let i = 0; i <= 2 * VERIFY_LIMIT.limit && res?.status !== 429; i++) {
      res = await postVerify(new Uint8Array(0), { ip: '192.0.2.99' })
      statuses.push(res.status)
    }
    expect(res!.status).toBe(429)
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true)
    expect(statuses.length).toBeGreaterThan(VERIFY_LIMIT.limit)
    expect(res!.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect(((await res!.json()) as ErrorBody).error.code).toBe('rate_limited')
    // Another address is not affected.
    expect((await postVerify(new Uint8Array(0), { ip: '192.0.2.100' })).status).toBe(400)
  })
})
