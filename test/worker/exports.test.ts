import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { id3Text, readId3 } from '../../core/audio/id3.ts'
import { chunkData, encodeWav, readInfo, readWavInfo, wavSamples } from '../../core/audio/wav.ts'
import type { ExportView } from '../../core/api/exports.ts'
import { hexOf, sha256Hex } from '../../core/lib/bytes.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import { MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { contributionsOf } from '../../worker/db/contributions.ts'
import { insertExport, markRejected, type ExportRow } from '../../worker/db/exports.ts'
import type { LedgerRow } from '../../worker/db/events.ts'
import { eventCount, eventRows, eventsDbHolding } from './events.ts'
import { consumeJobs } from '../../worker/jobs/consumer.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import { BufferSource, RecipeRenderer } from '../../core/render/index.ts'
import { StreamingEmbedder } from '../../core/watermark/stream.ts'
import { createMp3Encoder } from '../../worker/audio/mp3-encoder.ts'
import { BLOCK_FRAMES, ditherSeedOf, payloadOf } from '../../worker/export/render.ts'
import { TpdfDither } from '../../core/audio/dither.ts'
import { seedCampaign, stemIdFor } from '../../worker/seed.ts'
import { FAN, manifest, masterAudio, seed, seedInput, seedWithMasters } from './fixture.ts'
import { mp3FrameCount } from './wav-fixture.ts'
import { call, cookieOf, json, requestExport } from './http.ts'
import { shortLicence } from '../support/licence.ts'
import { remixRecipe } from '../support/recipe.ts'
import { linkOf } from '../support/downloads.ts'

declare global {
  interface ImportMeta {
    glob(
      pattern: string,
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>
  }
}

// Every export renders, marks and encodes on the server: on a shared machine, generous waits.
vi.setConfig({ testTimeout: 120_000 })

type ErrorBody = {
  error: {
    code: string
    message: string
    current?: number
    issues?: { path: (string | number)[]; message: string }[]
    violations?: { code: string; message: string }[]
  }
}

const DEMO = manifest.slug
const SHORT = 'short-moons' // a campaign whose licence allows exports from half a second
const CLOSED = 'closed-moons' // a campaign whose window ended
const LIMITED = 'limited-moons' // a campaign that allows one export a day
const TWICE = 'twice-moons' // a campaign that allows two exports a day
const LOSSY = 'lossy-moons' // a campaign like the demo: MP3 renditions, no masters

let fan: string
let otherFan: string

/** The demo licence allowing exports from half a second, then `changes`. */
function policyWith(changes: (p: LicencePolicy) => void = () => {}): LicencePolicy {
  const policy = shortLicence(manifest.licence, { minSeconds: 0.5 })
  changes(policy)
  return policy
}

async function seedVariant(slug: string, licence: LicencePolicy) {
  const input = await seedInput()
  await seedWithMasters({ ...input, manifest: { ...manifest, slug, licence } })
}

const withLimit = (n: number) => (p: LicencePolicy) => {
  const remix = p.permissions.find((x) => x.action === 'remix')!
  remix.constraints = remix.constraints.map((c) =>
    c.leftOperand === 'exportsPerDay' ? { ...c, rightOperand: n } : c,
  )
}

/** The stems' masters as the fixture made them, by stem id (what the job reads from R2). */
function mastersOf(slug: string): Map<string, Float32Array[]> {
  return new Map(manifest.stems.map((s, i) => [stemIdFor(slug, s.id), masterAudio(i, 4410)]))
}

/**
 * The reference: the recipe rendered from the same sources in this isolate, then (if `id` is
 * given) marked by the streaming embedder with the export's id: planar float, the file's length.
 */
async function reference(json: string, slug: string, id: string | null): Promise<Float32Array[]> {
  const sources = new Map([...mastersOf(slug)].map(([k, v]) => [k, new BufferSource(v)]))
  const renderer = new RecipeRenderer(RecipeSchema.parse(JSON.parse(json)), sources, {
    sampleRate: 44100,
    blockFrames: BLOCK_FRAMES,
  })
  const frames = renderer.frames
  const out = [new Float32Array(frames), new Float32Array(frames)]
  const embedder = id
    ? new StreamingEmbedder({
        sampleRate: 44100,
        channels: 2,
        key: env.WATERMARK_KEY,
        payload: payloadOf(id),
      })
    : null
  const latency = embedder?.latency ?? 0
  const block = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)] as [
    Float32Array,
    Float32Array,
  ]
  const marked = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)]
  for (let fed = 0; fed - latency < frames;) {
    let n = await renderer.next(block)
    if (n === 0) {
      n = BLOCK_FRAMES
      block[0].fill(0)
      block[1].fill(0)
    }
    const input = [block[0].subarray(0, n), block[1].subarray(0, n)]
    const output = embedder ? marked.map((m) => m.subarray(0, n)) : input
    embedder?.process(input, output)
    for (let i = 0; i < n; i++) {
      const at = fed + i - latency
      if (at < 0 || at >= frames) continue
      out[0]![at] = output[0]![i]!
      out[1]![at] = output[1]![i]!
    }
    fed += n
  }
  return out
}

/** The export's 16-bit dither added to planar float, as the job adds it before the 16-bit WAV. */
function dithered(channels: Float32Array[], exportId: string): Float32Array[] {
  const out = channels.map((c) => new Float32Array(c.length))
  new TpdfDither(ditherSeedOf(exportId)).process(channels, out, channels[0]!.length)
  return out
}

/** The 16-bit samples of planar float, as the WAV stores them. */
function pcm16(channels: Float32Array[]): Int16Array {
  const bytes = new Uint8Array(channels[0]!.length * 4)
  wavSamples(channels, 0, channels[0]!.length, 'pcm16', bytes)
  return new Int16Array(bytes.buffer)
}

/** The samples of a stored 16-bit WAV. */
function samplesOf(wav: Uint8Array): Int16Array {
  const info = readWavInfo(wav)
  const data = wav.slice(info.dataOffset, info.dataOffset + info.dataBytes)
  return new Int16Array(data.buffer)
}

/** A remix using drums and bass (the demo licence wants two stems), `length` seconds long. */
function recipe(slug: string, length = 1, aiActions: unknown[] = []) {
  return remixRecipe({ campaign: slug, length, aiActions })
}

async function createRemix(slug = SHORT, cookie = fan, length = 1, aiActions: unknown[] = []) {
  const res = await call('/api/remixes', {
    method: 'POST',
    ...json(
      { campaign: slug, title: 'Night drive', recipe: recipe(slug, length, aiActions) },
      cookie,
    ),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { remix: RemixView }).remix
}

const postExport = requestExport

async function readExport(id: string, cookie = fan): Promise<ExportView> {
  const res = await call(`/api/exports/${id}`, { headers: { Cookie: cookie } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { export: ExportView }).export
}

async function waitFinished(id: string, cookie = fan): Promise<ExportView> {
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      view = await readExport(id, cookie)
      expect(['ready', 'rejected']).toContain(view.status)
    },
    { timeout: 60_000, interval: 100 },
  )
  return view!
}

/** Exports to the end of the pipeline and answers the ready view. */
async function exportReady(slug = SHORT, cookie = fan) {
  const remix = await createRemix(slug, cookie)
  const res = await postExport(remix.id, 1, cookie)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  const view = await waitFinished(queued.id, cookie)
  expect(view).toMatchObject({ status: 'ready', reason: null })
  return { remix, view }
}

async function findRemix(id: string) {
  const found = await env.DB.prepare('SELECT recipe FROM remixes WHERE id = ?1')
    .bind(id)
    .first<{ recipe: string }>()
  return found!
}

const row = (id: string) =>
  env.DB.prepare('SELECT * FROM exports WHERE id = ?1').bind(id).first<ExportRow>()

const events = (exportId: string) =>
  eventRows<LedgerRow>(
    `SELECT id, type, export_id, remix_id, campaign_id, occurred_at, received_at
     FROM ledger_events WHERE export_id = ?1 ORDER BY id`,
    exportId,
  )

async function keys(prefix = ''): Promise<string[]> {
  const listed = await env.MEDIA.list({ prefix })
  return listed.objects.map((o) => o.key).sort()
}

async function bytesOf(key: string): Promise<Uint8Array> {
  const object = await env.MEDIA.get(key)
  expect(object, key).not.toBeNull()
  return new Uint8Array(await object!.arrayBuffer())
}

/** Every export row and stored object, once no job is still running. */
async function snapshot() {
  await vi.waitFor(
    async () =>
      expect(
        await env.DB.prepare(
          "SELECT COUNT(*) AS n FROM exports WHERE status IN ('queued', 'processing')",
        ).first('n'),
      ).toBe(0),
    { timeout: 20_000, interval: 100 },
  )
  const { results } = await env.DB.prepare('SELECT id FROM exports ORDER BY id').all()
  const ledger = await eventCount('true')
  return { rows: results, ledger, objects: await keys() }
}

/** Sends a request that must be refused with `status`, and checks it left nothing behind. */
async function expectRefused(send: () => Promise<Response>, status: number, code: string) {
  const before = await snapshot()
  const res = await send()
  expect(res.status).toBe(status)
  const body = (await res.json()) as ErrorBody
  expect(body.error.code).toBe(code)
  expect(await snapshot()).toEqual(before)
  return body.error
}

beforeAll(async () => {
  await seed()
  await seedVariant(SHORT, policyWith())
  await seedVariant(
    CLOSED,
    policyWith((p) => {
      const remix = p.permissions.find((x) => x.action === 'remix')!
      remix.constraints = remix.constraints.map((c) =>
        c.leftOperand === 'dateTime' && c.operator === 'lt'
          ? { ...c, rightOperand: '2026-06-30T00:00:00Z' }
          : c,
      )
    }),
  )
  await seedVariant(LIMITED, policyWith(withLimit(1)))
  await seedVariant(TWICE, policyWith(withLimit(2)))
  const login = await call('/api/auth/login', {
    method: 'POST',
    ...json({ email: FAN.email, password: FAN.password }),
  })
  fan = cookieOf(login)
  const signup = await call('/api/auth/signup', {
    method: 'POST',
    ...json({ email: 'other@example.test', displayName: 'Other Fan', password: 'a-strong-pass-9' }),
  })
  otherFan = cookieOf(signup)
})

describe('POST /api/exports: the happy path', () => {
  it('queues the export, then the job renders a tagged WAV and MP3 and one ledger event', async () => {
    const remix = await createRemix()
    const res = await postExport(remix.id, 1, fan)
    expect(res.status).toBe(202)
    const { export: queued } = (await res.json()) as { export: ExportView }
    expect(queued).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      remixId: remix.id,
      remixVersion: 1,
      campaign: SHORT,
      status: 'queued',
      stage: 'queued',
      progress: 0,
      reason: null,
      createdAt: expect.any(String),
      licenceVersion: manifest.licence.version,
      formats: ['mp3-192', 'wav-16'],
      downloads: null,
      approval: 'none',
      approvalReason: null,
    })
    const id = queued.id

    const ready = await waitFinished(id)
    expect(ready).toMatchObject({ id, status: 'ready', stage: 'done', progress: 1, reason: null })
    const signedLink = (format: string) =>
      expect.stringMatching(
        new RegExp(`^/api/downloads/${id}/${format}\\?exp=\\d+&sig=[0-9a-f]{64}$`),
      )
    // Without formats in the request: today's 192 kbit/s MP3 and 16-bit WAV, each with its size.
    expect(ready.downloads).toEqual({
      files: [
        {
          format: 'mp3-192',
          label: 'MP3, 192 kbit/s',
          bytes: expect.any(Number),
          url: signedLink('mp3-192'),
        },
        {
          format: 'wav-16',
          label: 'WAV, 16-bit (CD quality, dithered)',
          bytes: expect.any(Number),
          url: signedLink('wav-16'),
        },
      ],
      expiresAt: expect.any(String),
    })
    const ttl = Date.parse(ready.downloads!.expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(9 * 60_000)
    expect(ttl).toBeLessThanOrEqual(10 * 60_000)

    expect(await keys(`exports/${id}/`)).toEqual([
      `exports/${id}/${id}.mp3`,
      `exports/${id}/${id}.wav`,
    ])
    const stored = (await row(id))!
    // A second is too short to read a watermark back (test/worker/verify.test.ts checks one that is).
    expect(JSON.parse(stored.watermark!)).toEqual({
      checked: false,
      reason: `shorter than ${MIN_DETECT_SECONDS} s`,
    })
    const manifestOf = JSON.parse(stored.manifest!) as ExportManifest
    expect(manifestOf).toMatchObject({
      exportId: id,
      remix: { id: remix.id, version: 1, title: 'Night drive', fan: FAN.displayName },
      licence: { uid: manifest.licence.uid, version: manifest.licence.version },
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/humanEdits',
      trainingMining: 'notAllowed',
      aiActions: [],
      credits: manifest.credits,
    })
    expect(manifestOf.remix.recipeSha256).toBe(stored.recipe_hash)
    expect(stored.recipe_hash).toMatch(/^[0-9a-f]{64}$/)
    // The snapshot it was rendered and credited from is the saved version, written with the row.
    const snapshot = await env.DB.prepare('SELECT recipe FROM export_recipes WHERE export_id = ?1')
      .bind(id)
      .first<string>('recipe')
    expect(snapshot).toBe((await findRemix(remix.id)).recipe)

    // The WAV: 16-bit, same length, LIST/INFO and an id3 chunk.
    const wav = await bytesOf(`exports/${id}/${id}.wav`)
    expect(await sha256Hex(wav)).toBe(stored.wav_sha256)
    expect(manifestOf.outputs!['wav-16']!.sha256).toBe(stored.wav_sha256)
    const info = readWavInfo(wav)
    expect(info).toMatchObject({ encoding: 'pcm16', channels: 2, sampleRate: 44100, frames: 44100 })
    const fields = readInfo(wav, info)
    expect(fields.INAM).toBe('Night drive')
    expect(fields.IART).toBe(`${manifest.artist} (${FAN.displayName} remix)`)
    expect(fields.ICMT).toContain('Remix of officially licensed stems, edited by hand: no AI')
    expect(fields.ICMT).not.toContain('AI-assisted')
    expect(fields.ICMT).toContain(id)
    expect(fields.ICMT).toContain('Mira Vale (featured performer, voice)')
    expect(fields.ICOP).toContain(`http://x/c/${SHORT}#licence`) // the origin that served the request
    expect(id3Text(readId3(chunkData(wav, info, 'id3 ')!)!, 'TXXX:STEMFAIR_EXPORT_ID')).toBe(id)

    // The MP3: an ID3v2.4 tag, then about a second of 192 kbit/s frames.
    const mp3 = await bytesOf(`exports/${id}/${id}.mp3`)
    expect(await sha256Hex(mp3)).toBe(stored.mp3_sha256)
    const tag = readId3(mp3)!
    expect(tag.version).toBe(4)
    expect(id3Text(tag, 'TIT2')).toBe('Night drive')
    expect(id3Text(tag, 'TPE1')).toBe(`${manifest.artist} (${FAN.displayName} remix)`)
    expect(id3Text(tag, 'TPE2')).toBe(manifest.artist)
    expect(id3Text(tag, 'TSRC')).toBe('QZSF12600001')
    expect(id3Text(tag, 'TXXX:SOURCE_ISRCS')).toBe('QZSF12600001, QZSF12600002')
    // this recipe has no AI actions: the file says so instead of claiming AI assistance
    expect(id3Text(tag, 'TXXX:AI_DISCLOSURE')).toBe(
      'Remix of officially licensed stems, edited by hand: no AI',
    )
    expect(id3Text(tag, 'TXXX:STEMFAIR_EXPORT_ID')).toBe(id)
    expect(id3Text(tag, 'TXXX:STEMFAIR_MANIFEST_SHA256')).toBe(manifestOf.claimSha256)
    expect(id3Text(tag, 'TXXX:CREDITS')).toBe(
      'Halcyon Drift (artist, composer, producer); Mira Vale (featured performer, voice); ' +
        `Stemfair Demo Records (label); ${FAN.displayName} (remixer)`,
    )
    expect(id3Text(tag, 'TIPL')!.split('\0')).toEqual(
      expect.arrayContaining(['voice', 'Mira Vale', 'remixer', FAN.displayName]),
    )
    expect(tag.frames).toContainEqual({
      kind: 'userUrl',
      description: 'licence',
      url: `http://x/c/${SHORT}#licence`,
    })
    const attribution = manifest.licence.duties.find((d) => d.action === 'attribute')!
    expect(tag.frames).toContainEqual({
      kind: 'comment',
      language: 'eng',
      description: '',
      text: 'text' in attribution ? attribution.text : '',
    })
    const frames = mp3FrameCount(mp3, tag.size)
    expect(frames).toBeGreaterThanOrEqual(39) // 44 100 samples / 1152 per frame
    expect(frames).toBeLessThanOrEqual(42)

    const ledger = await events(id)
    expect(ledger).toEqual([
      {
        id: `export:${id}`,
        type: 'export',
        export_id: id,
        remix_id: remix.id,
        campaign_id: `cmp-${SHORT}`,
        occurred_at: stored.created_at,
        received_at: expect.any(String),
      },
    ])
  })

  it('renders at the campaign’s 44.1 kHz from the masters: core render, then the watermark', async () => {
    const { remix, view } = await exportReady()
    const wav = await bytesOf(`exports/${view.id}/${view.id}.wav`)
    expect(readWavInfo(wav)).toMatchObject({ sampleRate: 44100, channels: 2, frames: 44100 })
    const recipeJson = (await findRemix(remix.id)).recipe
    const stored = samplesOf(wav)
    // Sample for sample: the recipe rendered from the same masters here, marked with the id, with
    // the export's seeded TPDF dither before the 16 bits.
    const marked = pcm16(dithered(await reference(recipeJson, SHORT, view.id), view.id))
    expect(stored.length).toBe(marked.length)
    let mismatches = 0
    for (let i = 0; i < stored.length; i++) if (stored[i] !== marked[i]) mismatches++
    expect(mismatches).toBe(0)
    // And before the watermark: the unmarked render differs only by the mark, a small change.
    const plain = pcm16(await reference(recipeJson, SHORT, null))
    let signal = 0
    let residual = 0
    let changed = 0
    for (let i = 0; i < plain.length; i++) {
      signal += plain[i]! ** 2
      residual += (stored[i]! - plain[i]!) ** 2
      if (stored[i] !== plain[i]) changed++
    }
    expect(signal).toBeGreaterThan(0)
    expect(changed).toBeGreaterThan(0)
    expect(10 * Math.log10(residual / signal)).toBeLessThan(-20)
  }, 60_000)

  it('renders from 16-, 24-bit and mono masters, and marks AI-assisted remixes as composites', async () => {
    const ai = [
      {
        id: 'ai1',
        tool: 'arranger',
        version: '1.0.0',
        provider: 'local',
        parameters: { intent: 'chill' },
        appliedAt: '2026-11-01T10:00:00.000Z',
      },
    ]
    const slug = 'depth-moons'
    await seedVariant(slug, policyWith())
    const [drums, bass] = [stemIdFor(slug, 'drums'), stemIdFor(slug, 'bass')]
    const tone = masterAudio(7, 4410)
    await env.MEDIA.put(`masters/test/${drums}.wav`, encodeWav(tone, 44100, { encoding: 'pcm16' }))
    await env.MEDIA.put(
      `masters/test/${bass}.wav`,
      encodeWav([tone[0]!], 44100, { encoding: 'pcm24' }),
    )
    const remix = await createRemix(slug, fan, 1, ai)
    const res = await postExport(remix.id, 1, fan)
    expect(res.status).toBe(202)
    const { id } = ((await res.json()) as { export: ExportView }).export
    expect(await waitFinished(id)).toMatchObject({ status: 'ready' })
    const stored = JSON.parse((await row(id))!.manifest!) as ExportManifest
    expect(stored.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic', // a rule-based tool only
    )
    expect(stored.aiActions).toEqual(ai)
    expect(stored.aiDisclosure).toBe('AI-assisted remix of officially licensed stems (arranger)')
    const info = readWavInfo(await bytesOf(`exports/${id}/${id}.wav`))
    expect(info).toMatchObject({ channels: 2, sampleRate: 44100, frames: 44100 })
  }, 60_000)

  it('renders a campaign that has only MP3 renditions (as the demo has) from them', async () => {
    const input = await seedInput()
    const encoder = await createMp3Encoder({ sampleRate: 44100, channels: 2, kbps: 192 })
    const audio = masterAudio(3, 44100)
    const mp3 = new Uint8Array([...encoder.encode(audio), ...encoder.finish()])
    const stems = input.stems.map((stem) => ({ ...stem, bytes: mp3, lengthSamples: 44100 }))
    await seedCampaign(env, {
      ...input,
      stems,
      manifest: { ...manifest, slug: LOSSY, licence: policyWith() },
    })
    const { view } = await exportReady(LOSSY)
    const wav = samplesOf(await bytesOf(`exports/${view.id}/${view.id}.wav`))
    expect(wav.length).toBe(2 * 44100)
    expect(wav.some((v) => Math.abs(v) > 1000)).toBe(true)
  }, 60_000)

  it('lists the fan’s exports newest first, and only theirs', async () => {
    const res = await call('/api/exports', { headers: { Cookie: fan } })
    expect(res.status).toBe(200)
    const { exports: list } = (await res.json()) as { exports: ExportView[] }
    expect(list.length).toBeGreaterThanOrEqual(4)
    const times = list.map((e) => e.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
    const other = await call('/api/exports', { headers: { Cookie: otherFan } })
    expect(await other.json()).toEqual({ exports: [] })
    expect((await call('/api/exports')).status).toBe(401)
  })
})

const jobMessage = (id: string, n: number, attempts = 1) => ({
  id: `m${n}`,
  timestamp: new Date(),
  attempts,
  body: { type: 'export', exportId: id },
})

/** Everything an export left in D1 and R2 beyond its row. */
async function leftovers(id: string) {
  const count = (table: string) =>
    env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE export_id = ?1`).bind(id).first('n')
  return {
    objects: await keys(`exports/${id}/`),
    contributions: await contributionsOf(env.DB, id),
    events: await eventCount('export_id = ?1', id),
    snapshots: await count('export_recipes'),
  }
}

describe('the export job is idempotent', () => {
  it('a job that died mid-render and is redelivered (twice) makes the same files, one event', async () => {
    const { view } = await exportReady()
    const id = view.id
    const first = (await row(id))!
    // Died mid-render: the row is processing without outputs; the files may be half written.
    await env.DB.prepare(
      `UPDATE exports SET status = 'processing', stage = 'rendering', progress = 0.4,
         wav_sha256 = NULL, mp3_sha256 = NULL WHERE id = ?1`,
    )
      .bind(id)
      .run()
    const batch = createMessageBatch('stemfair-jobs', [jobMessage(id, 1, 2), jobMessage(id, 2, 2)])
    const ctx = createExecutionContext()
    await consumeJobs(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2'])
    expect(result.retryMessages).toEqual([])

    const again = (await row(id))!
    expect(again).toMatchObject({ id, status: 'ready', stage: 'done' })
    // The render is deterministic: the same bytes under the same keys.
    expect(again.wav_sha256).toBe(first.wav_sha256)
    expect(again.mp3_sha256).toBe(first.mp3_sha256)
    expect(await keys(`exports/${id}/`)).toHaveLength(2)
    expect((await events(id)).map((e) => e.id)).toEqual([`export:${id}`])
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE id = ?1').bind(id).all()
    expect(results).toHaveLength(1)

    // And once ready, more deliveries change nothing at all.
    await consumeJobs(createMessageBatch('stemfair-jobs', [jobMessage(id, 3)]), env)
    expect(await row(id)).toEqual(again)
  }, 60_000)

  it('gives up a job its retries could not finish: the dead-letter consumer rejects it, no files', async () => {
    const { view } = await exportReady()
    const id = view.id
    // Every attempt died mid-render: the row is processing, the files half written.
    await env.DB.prepare(
      `UPDATE exports SET status = 'processing', stage = 'rendering', progress = 0.4,
         wav_sha256 = NULL, mp3_sha256 = NULL WHERE id = ?1`,
    )
      .bind(id)
      .run()
    const batch = createMessageBatch('stemfair-jobs-failed', [jobMessage(id, 1, 1)])
    const ctx = createExecutionContext()
    await consumeJobs(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['m1'])
    expect(await row(id)).toMatchObject({
      status: 'rejected',
      reason: 'We could not process this export. Please export again.',
    })
    expect(await keys(`exports/${id}/`)).toEqual([])
    const res = await call(`/api/exports/${id}`, { headers: { Cookie: fan } })
    expect(await res.json()).toMatchObject({ export: { status: 'rejected', downloads: null } })
  }, 60_000)

  const broken: [string, (stem: string, key: string) => Promise<void>, RegExp][] = [
    ['missing', async (_, key) => env.MEDIA.delete(key), /“Drums” .*master is missing/],
    [
      'corrupt',
      async (_, key) => void (await env.MEDIA.put(key, new TextEncoder().encode('not audio'))),
      /“Drums” could not be read .*damaged or truncated/,
    ],
    [
      'truncated',
      async (_, key) => {
        const whole = new Uint8Array(await (await env.MEDIA.get(key))!.arrayBuffer())
        await env.MEDIA.put(key, whole.slice(0, 9000))
      },
      /“Drums” could not be read .*damaged or truncated/,
    ],
  ]
  for (const [what, breakIt, reason] of broken)
    it(`rejects an export whose master is ${what}, with a reason and nothing left behind`, async () => {
      const slug = `${what}-moons`
      await seedVariant(slug, policyWith())
      const stem = stemIdFor(slug, 'drums')
      await breakIt(stem, `masters/test/${stem}.wav`)
      const remix = await createRemix(slug)
      const res = await postExport(remix.id, 1, fan)
      expect(res.status).toBe(202)
      const { id } = ((await res.json()) as { export: ExportView }).export
      const view = await waitFinished(id)
      expect(view).toMatchObject({ status: 'rejected', downloads: null })
      expect(view.reason).toMatch(reason)
      expect(view.reason).toMatch(/Nothing was counted against your daily exports/)
      expect(await leftovers(id)).toEqual({
        objects: [],
        contributions: {},
        events: 0,
        snapshots: 0,
      })
      expect(await row(id)).toMatchObject({
        wav_key: null,
        mp3_key: null,
        manifest_signature: null,
      })
    }, 60_000)
})

describe('Idempotency-Key: one export per key', () => {
  it('a retried request answers the same export, and makes no second row or job', async () => {
    const remix = await createRemix()
    const key = crypto.randomUUID()
    const first = (await (await postExport(remix.id, 1, fan, key)).json()) as { export: ExportView }
    const again = await postExport(remix.id, 1, fan, key)
    expect(again.status).toBe(202)
    expect(((await again.json()) as { export: ExportView }).export.id).toBe(first.export.id)
    await waitFinished(first.export.id)
    // After it finished, a replay still answers it (now ready), even past the daily limit.
    const late = (await (await postExport(remix.id, 1, fan, key)).json()) as { export: ExportView }
    expect(late.export).toMatchObject({ id: first.export.id, status: 'ready' })
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE idempotency_key = ?1')
      .bind(key)
      .all()
    expect(results).toHaveLength(1)
    expect((await events(first.export.id)).map((e) => e.type)).toEqual(['export'])
  }, 60_000)

  it('20 concurrent identical requests with one key make one export', async () => {
    const remix = await createRemix()
    const key = crypto.randomUUID()
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postExport(remix.id, 1, fan, key)),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(202))
    const ids = new Set(
      await Promise.all(
        answers.map(async (r) => ((await r.json()) as { export: ExportView }).export.id),
      ),
    )
    expect(ids.size).toBe(1)
    const [id] = [...ids]
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE remix_id = ?1')
      .bind(remix.id)
      .all()
    expect(results).toEqual([{ id }])
    expect(await waitFinished(id!)).toMatchObject({ status: 'ready' })
    expect((await events(id!)).length).toBe(1)
  }, 60_000)

  it('refuses a key reused for another remix (409), and a request without a key (400)', async () => {
    const a = await createRemix()
    const b = await createRemix()
    const key = crypto.randomUUID()
    expect((await postExport(a.id, 1, fan, key)).status).toBe(202)
    const error = await expectRefused(() => postExport(b.id, 1, fan, key), 409, 'conflict')
    expect(error.message).toMatch(/Idempotency-Key was used for another export/)
    const keyless = () =>
      call('/api/exports', { method: 'POST', ...json({ remix: b.id, version: 1 }, fan) })
    const missing = await expectRefused(keyless, 400, 'invalid_request')
    expect(missing.message).toMatch(/Idempotency-Key/)
  })
})

describe('the daily export limit holds under concurrency', () => {
  it('20 concurrent exports of 20 remixes by one fan: exactly the limit (2) are accepted', async () => {
    const remixes = []
    for (let i = 0; i < 20; i++) remixes.push(await createRemix(TWICE))
    const answers = await Promise.all(remixes.map((r) => postExport(r.id, 1, fan)))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([...Array(2).fill(202), ...Array(18).fill(422)])
    for (const res of answers.filter((r) => r.status === 422)) {
      const body = (await res.json()) as ErrorBody
      expect(body.error.violations!.map((v) => v.code)).toEqual(['export_limit'])
    }
    const count = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM exports WHERE campaign_id = ?1 AND owner_id = (SELECT id FROM users WHERE email = ?2)',
    )
      .bind(`cmp-${TWICE}`, FAN.email)
      .first('n')
    expect(count).toBe(2)
  }, 120_000)
})

describe('POST /api/exports refuses, leaving nothing behind', () => {
  it('the WAV upload route is gone: an audio body or the old query answers 404', async () => {
    const remix = await createRemix()
    const wav = encodeWav(masterAudio(1, 44100), 44100)
    const upload = () =>
      call(`/api/exports?remix=${remix.id}&version=1`, {
        method: 'POST',
        headers: { 'Content-Type': 'audio/wav', Cookie: fan, 'Idempotency-Key': 'k-0000001' },
        body: wav,
      })
    const error = await expectRefused(upload, 404, 'not_found')
    expect(error.message).toMatch(/no longer uploaded/)
    const octets = () =>
      call('/api/exports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', Cookie: fan },
        body: wav,
      })
    await expectRefused(octets, 404, 'not_found')
  })

  it('401 without a session', async () => {
    const remix = await createRemix()
    await expectRefused(() => postExport(remix.id, 1), 401, 'unauthorized')
  })

  it('404 for an unknown remix, 403 for another fan’s', async () => {
    await expectRefused(() => postExport('nope', 1, fan), 404, 'not_found')
    const remix = await createRemix()
    await expectRefused(() => postExport(remix.id, 1, otherFan), 403, 'forbidden')
  })

  it('409 when the remix was saved since the version named', async () => {
    const remix = await createRemix()
    const saved = await call(`/api/remixes/${remix.id}`, {
      method: 'PUT',
      ...json({ recipe: recipe(SHORT, 1), version: 1 }, fan),
    })
    expect(saved.status).toBe(200)
    const error = await expectRefused(() => postExport(remix.id, 1, fan), 409, 'conflict')
    expect(error.current).toBe(2)
  })

  it('400 with the paths for a body or a saved recipe that fails the schema', async () => {
    const remix = await createRemix()
    const bad = () =>
      call('/api/exports', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': 'k-0000002',
          Cookie: fan,
        },
        body: JSON.stringify({ remix: remix.id, version: 'one', extra: 1 }),
      })
    const error = await expectRefused(bad, 400, 'invalid_request')
    expect(error.issues!.map((i) => i.path)).toEqual(expect.arrayContaining([['version']]))
    // A saved recipe from before a schema change: the export names what is wrong in it.
    const broken = JSON.parse((await findRemix(remix.id)).recipe) as {
      tracks: { gainDb: number }[]
    }
    broken.tracks[0]!.gainDb = 99
    await env.DB.prepare('UPDATE remixes SET recipe = ?2 WHERE id = ?1')
      .bind(remix.id, JSON.stringify(broken))
      .run()
    const stale = await expectRefused(() => postExport(remix.id, 1, fan), 400, 'invalid_request')
    expect(stale.issues!.map((i) => i.path)).toContainEqual(['tracks', 0, 'gainDb'])
  })

  it('422 for a remix the demo licence does not allow: too short', async () => {
    const remix = await createRemix(DEMO, fan, 1)
    const error = await expectRefused(() => postExport(remix.id, 1, fan), 422, 'licence_violation')
    expect(error.violations).toEqual([
      expect.objectContaining({ code: 'too_short', path: ['length'] }),
    ])
    expect(error.message).toBe(error.violations![0]!.message)
    expect(error.message).toMatch(/at least 30 seconds/)
  })

  it('422 once the campaign window has ended', async () => {
    const remix = await createRemix(CLOSED)
    const error = await expectRefused(() => postExport(remix.id, 1, fan), 422, 'licence_violation')
    expect(error.violations!.map((v) => v.code)).toEqual(['campaign_closed'])
  })

  it('422 past the daily export limit; rejected exports do not count', async () => {
    const remix = await createRemix(LIMITED)
    const first = await postExport(remix.id, 1, fan)
    expect(first.status).toBe(202)
    const again = await createRemix(LIMITED)
    const error = await expectRefused(() => postExport(again.id, 1, fan), 422, 'licence_violation')
    expect(error.violations!.map((v) => v.code)).toEqual(['export_limit'])
    // Another fan has their own allowance, and a rejected export does not use it up.
    const theirs = await createRemix(LIMITED, otherFan)
    const made = (await row(((await first.json()) as { export: ExportView }).export.id))!
    const inserted = await insertExport(env.DB, {
      id: 'feedfacefeedface',
      needsApproval: false,
      formats: ['mp3-192', 'wav-16'],
      remixId: theirs.id,
      remixVersion: 1,
      campaignId: made.campaign_id,
      ownerId: theirs.ownerId,
      licenceVersion: 1,
      recipeHash: made.recipe_hash,
      recipe: (await findRemix(theirs.id)).recipe,
      manifest: made.manifest!,
      createdAt: new Date().toISOString(),
      idempotencyKey: 'rejected-one',
      limit: { max: 1, since: new Date(Date.now() - 86_400_000).toISOString() },
    })
    expect(inserted.outcome).toBe('created')
    await markRejected(env.DB, 'feedfacefeedface', 'The stem could not be read.')
    expect((await postExport(theirs.id, 1, otherFan)).status).toBe(202)
  })
})

describe('GET /api/exports/:id', () => {
  it('shows an export to its fan only', async () => {
    const { view } = await exportReady()
    const res = await call(`/api/exports/${view.id}`, { headers: { Cookie: otherFan } })
    expect(res.status).toBe(403)
    expect((await call(`/api/exports/${view.id}`)).status).toBe(401)
    const missing = await call('/api/exports/0000000000000000', { headers: { Cookie: fan } })
    expect(missing.status).toBe(404)
  })
})

describe('GET /api/downloads/:id/:format', () => {
  it('streams a signed link as an attachment and counts one completed download per listener and day', async () => {
    const { view } = await exportReady()
    const links = view.downloads!
    const res = await call(linkOf(links, 'mp3-192'))
    const listener = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('sf_listener='))!
      .split(';')[0]!
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Night drive (Stemfair remix, 192 kbps).mp3"; filename*=UTF-8''Night%20drive%20(Stemfair%20remix%2C%20192%20kbps).mp3`,
    )
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body).toEqual(await bytesOf(`exports/${view.id}/${view.id}.mp3`))
    // A range retry of the same link is the same download.
    const part = await call(linkOf(links, 'mp3-192'), {
      headers: { Range: 'bytes=0-9', Cookie: listener },
    })
    expect(part.status).toBe(206)
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(body.slice(0, 10))
    const wav = await call(linkOf(links, 'wav-16'), { headers: { Cookie: listener } })
    expect(wav.status).toBe(200)
    expect(wav.headers.get('Content-Type')).toBe('audio/wav')
    await wav.arrayBuffer()
    // The events consumer writes it: one download for this listener today, whatever the formats.
    await vi.waitFor(
      async () =>
        expect((await events(view.id)).map((e) => e.type)).toEqual(['download', 'export']),
      { timeout: 30_000, interval: 100 },
    )
    await new Promise((r) => setTimeout(r, 2500))
    expect((await events(view.id)).map((e) => e.type)).toEqual(['download', 'export'])
  }, 60_000)

  it('refuses a tampered or expired link with 403, counting nothing', async () => {
    const { view } = await exportReady()
    const url = new URL(linkOf(view.downloads, 'mp3-192'), 'http://x')
    const sig = url.searchParams.get('sig')!
    const exp = url.searchParams.get('exp')!
    const flipped = `${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}`
    const expired = await signed(`${view.id}:mp3-192:${Math.floor(Date.now() / 1000) - 1}`)
    for (const path of [
      `/api/downloads/${view.id}/mp3-192?exp=${exp}&sig=${flipped}`,
      `/api/downloads/${view.id}/mp3-192?exp=${Number(exp) + 60}&sig=${sig}`,
      `/api/downloads/${view.id}/wav-16?exp=${exp}&sig=${sig}`,
      `/api/downloads/${view.id}/mp3-192?exp=${exp}`,
      `/api/downloads/${view.id}/mp3-192?exp=${Math.floor(Date.now() / 1000) - 1}&sig=${expired}`,
    ]) {
      const res = await call(path)
      expect(res.status, path).toBe(403)
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } })
    }
    expect((await events(view.id)).map((e) => e.type)).toEqual(['export'])
  })
})

/** Signs like the worker does, to make a link that is genuine but expired. */
async function signed(text: string): Promise<string> {
  const hmac = { name: 'HMAC', hash: 'SHA-256' }
  const enc = new TextEncoder()
  const root = await crypto.subtle.importKey('raw', enc.encode(env.SESSION_SECRET), hmac, false, [
    'sign',
  ])
  const derived = await crypto.subtle.sign('HMAC', root, enc.encode('downloads'))
  const key = await crypto.subtle.importKey('raw', derived, hmac, false, ['sign'])
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(text)))
  return hexOf(sig)
}

describe('the ledger is append-only', () => {
  // Two exceptions, each its own guard: migration 0013 fills the new `day` column once (between
  // dropping and recreating the update trigger), and the daily archive deletes a day's rows only
  // after its R2 object is recorded (the delete trigger refuses before; test/worker/ledger.test.ts).
  const EXCEPTIONS = ['worker/migrations/0013_counting.sql', 'worker/db/events.ts']
  it('no worker file updates or deletes ledger events', () => {
    const files = import.meta.glob('../../worker/**/*.{ts,sql}', {
      query: '?raw',
      import: 'default',
      eager: true,
    })
    expect(Object.keys(files).length).toBeGreaterThan(10)
    for (const [path, text] of Object.entries(files)) {
      if (EXCEPTIONS.some((e) => path.endsWith(e))) continue
      expect(text, path).not.toMatch(/UPDATE\s+ledger_events/i)
      expect(text, path).not.toMatch(/DELETE\s+FROM\s+ledger_events/i)
    }
  })

  it('and the database refuses to, too', async () => {
    const { view } = await exportReady()
    const db = (await eventsDbHolding('export_id = ?1', view.id))!
    await expect(
      db.prepare("UPDATE ledger_events SET type = 'play' WHERE export_id = ?1").bind(view.id).run(),
    ).rejects.toThrow(/append-only/)
    await expect(
      db.prepare('DELETE FROM ledger_events WHERE export_id = ?1').bind(view.id).run(),
    ).rejects.toThrow(/only once archived/)
  })
})

describe('every rule of the demo licence is enforced on export', () => {
  type Recipe = ReturnType<typeof recipe>
  type Track = Recipe['tracks'][number] & Record<string, unknown>
  const stem = (id: string) => `${SHORT}-${id}`
  const withTracks = (tracks: Track[], length = 1): Recipe => ({ ...recipe(SHORT, length), tracks })
  const track = (
    id: string,
    stemId: string,
    extra: Record<string, unknown> = {},
    region: Record<string, unknown> = {},
  ): Track => ({
    id,
    stem: stem(stemId),
    ...extra,
    regions: [{ id: `${id}r`, start: 0, offset: 0, duration: 0.05, loops: 20, ...region }],
  })
  const drums = track('t1', 'drums')
  const bass = track('t2', 'bass')
  const distortion = { id: 'fx1', type: 'distortion', amount: 0.5, wet: 1 }
  const shift = (semitones: number) => ({ id: 'fx2', type: 'pitchShift', semitones, wet: 1 })

  const cases: [string, Recipe, string][] = [
    [
      'the voice pitched beyond ±2 semitones',
      withTracks([drums, track('t3', 'vox', {}, { pitch: 5 })]),
      'pitch_out_of_range',
    ],
    [
      'any stem pitched beyond ±12 semitones',
      withTracks([track('t1', 'drums', { effects: [shift(12)] }, { pitch: 12 }), bass]),
      'pitch_out_of_range',
    ],
    [
      'a playback rate above 2×',
      withTracks([track('t1', 'drums', {}, { rate: 3, duration: 0.03, loops: 34 }), bass]),
      'rate_out_of_range',
    ],
    ['fewer than two stems', withTracks([drums]), 'too_few_stems'],
    ['longer than ten minutes', withTracks([drums, bass], 700), 'too_long'],
    [
      'the voice on its own',
      withTracks([track('t1', 'drums', { muted: true }), track('t3', 'vox')]),
      'voice_isolation',
    ],
    [
      'the voice soloed',
      withTracks([drums, track('t3', 'vox', { soloed: true })]),
      'voice_isolation',
    ],
    [
      'an identity-changing effect on the voice',
      withTracks([drums, track('t3', 'vox', { effects: [distortion] })]),
      'voice_identity',
    ],
  ]

  for (const [rule, breaking, code] of cases)
    it(`refuses ${rule} (${code})`, async () => {
      const res = await call('/api/remixes', {
        method: 'POST',
        ...json({ campaign: SHORT, title: rule, recipe: breaking }, fan),
      })
      expect(res.status).toBe(201)
      const { remix } = (await res.json()) as { remix: RemixView }
      const error = await expectRefused(
        () => postExport(remix.id, 1, fan),
        422,
        'licence_violation',
      )
      expect(error.violations!.map((v) => v.code)).toContain(code)
    })
})
