import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { id3Text, readId3 } from '../../core/audio/id3.ts'
import { chunkData, readInfo, readWavInfo } from '../../core/audio/wav.ts'
import type { ExportView, RemixView } from '../../core/campaign/views.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import { MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { insertExport, markRejected, type ExportRow } from '../../worker/db/exports.ts'
import type { LedgerRow } from '../../worker/db/ledger.ts'
import { consumeJobs } from '../../worker/jobs/consumer.ts'
import type { ExportManifest } from '../../worker/jobs/export-job.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { FAN, manifest, seed, seedInput } from './fixture.ts'
import { mp3FrameCount, renderWav, truncated } from './wav-fixture.ts'
import { call, cookieOf, json } from './http.ts'

declare global {
  interface ImportMeta {
    glob(
      pattern: string,
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>
  }
}

type ErrorBody = {
  error: {
    code: string
    message: string
    current?: number
    violations?: { code: string; message: string }[]
  }
}

const DEMO = manifest.slug
const SHORT = 'short-moons' // a campaign whose licence allows exports from half a second
const CLOSED = 'closed-moons' // a campaign whose window ended
const LIMITED = 'limited-moons' // a campaign that allows one export a day

let fan: string
let otherFan: string

function policyWith(changes: (p: LicencePolicy) => void): LicencePolicy {
  const policy = structuredClone(manifest.licence)
  changes(policy)
  return policy
}

const allowShort = (p: LicencePolicy) => {
  const remix = p.permissions.find((x) => x.action === 'remix')!
  remix.constraints = remix.constraints.map((c) =>
    c.leftOperand === 'outputDuration' && c.operator === 'gteq' ? { ...c, rightOperand: 0.5 } : c,
  )
}

async function seedVariant(slug: string, licence: LicencePolicy) {
  const input = await seedInput()
  await seedCampaign(env, { ...input, manifest: { ...manifest, slug, licence } })
}

/** A remix using drums and bass (the demo licence wants two stems), `length` seconds long. */
function recipe(slug: string, length = 1, aiActions: unknown[] = []) {
  const track = (id: string, stem: string) => ({
    id,
    stem: `${slug}-${stem}`,
    regions: [{ id: `${id}r`, start: 0, offset: 0, duration: 0.1, loops: Math.ceil(length / 0.1) }],
  })
  return {
    version: 2,
    campaign: slug,
    tempo: 100,
    timeSignature: [4, 4],
    length,
    tracks: [track('t1', 'drums'), track('t2', 'bass')],
    aiActions,
  }
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

function postExport(remix: string, version: number, body: BodyInit | null, cookie?: string) {
  return call(`/api/exports?remix=${remix}&version=${version}`, {
    method: 'POST',
    headers: { 'Content-Type': 'audio/wav', ...(cookie ? { Cookie: cookie } : {}) },
    body,
  })
}

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
    { timeout: 20_000, interval: 100 },
  )
  return view!
}

/** Exports to the end of the pipeline and answers the ready view. */
async function exportReady(slug = SHORT, cookie = fan) {
  const remix = await createRemix(slug, cookie)
  const res = await postExport(remix.id, 1, renderWav(1), cookie)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  const view = await waitFinished(queued.id, cookie)
  expect(view).toMatchObject({ status: 'ready', reason: null })
  return { remix, view }
}

const row = (id: string) =>
  env.DB.prepare('SELECT * FROM exports WHERE id = ?1').bind(id).first<ExportRow>()

const events = async (exportId: string) =>
  (
    await env.DB.prepare(
      `SELECT id, type, export_id, remix_id, campaign_id, occurred_at, received_at
       FROM ledger_events WHERE export_id = ?1 ORDER BY id`,
    )
      .bind(exportId)
      .all<LedgerRow>()
  ).results

async function keys(prefix = ''): Promise<string[]> {
  const listed = await env.MEDIA.list({ prefix })
  return listed.objects.map((o) => o.key).sort()
}

async function bytesOf(key: string): Promise<Uint8Array> {
  const object = await env.MEDIA.get(key)
  expect(object, key).not.toBeNull()
  return new Uint8Array(await object!.arrayBuffer())
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
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
  const ledger = await env.DB.prepare('SELECT COUNT(*) AS n FROM ledger_events').first('n')
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
  await seedVariant(SHORT, policyWith(allowShort))
  await seedVariant(
    CLOSED,
    policyWith((p) => {
      allowShort(p)
      const remix = p.permissions.find((x) => x.action === 'remix')!
      remix.constraints = remix.constraints.map((c) =>
        c.leftOperand === 'dateTime' && c.operator === 'lt'
          ? { ...c, rightOperand: '2026-06-30T00:00:00Z' }
          : c,
      )
    }),
  )
  await seedVariant(
    LIMITED,
    policyWith((p) => {
      allowShort(p)
      const remix = p.permissions.find((x) => x.action === 'remix')!
      remix.constraints = remix.constraints.map((c) =>
        c.leftOperand === 'exportsPerDay' ? { ...c, rightOperand: 1 } : c,
      )
    }),
  )
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
  it('queues the upload, then the job makes a tagged WAV and MP3 and one ledger event', async () => {
    const remix = await createRemix()
    const res = await postExport(remix.id, 1, renderWav(1), fan)
    expect(res.status).toBe(202)
    const { export: queued } = (await res.json()) as { export: ExportView }
    expect(queued).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      remixId: remix.id,
      remixVersion: 1,
      campaign: SHORT,
      status: 'queued',
      reason: null,
      createdAt: expect.any(String),
      licenceVersion: manifest.licence.version,
      downloads: null,
    })
    const id = queued.id

    const ready = await waitFinished(id)
    expect(ready).toMatchObject({ id, status: 'ready', reason: null })
    expect(ready.downloads).toEqual({
      wav: expect.stringMatching(
        new RegExp(`^/api/downloads/${id}/wav\\?exp=\\d+&sig=[0-9a-f]{64}$`),
      ),
      mp3: expect.stringMatching(
        new RegExp(`^/api/downloads/${id}/mp3\\?exp=\\d+&sig=[0-9a-f]{64}$`),
      ),
      expiresAt: expect.any(String),
    })
    const ttl = Date.parse(ready.downloads!.expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(9 * 60_000)
    expect(ttl).toBeLessThanOrEqual(10 * 60_000)

    expect(await keys(`exports/${id}/`)).toEqual([
      `exports/${id}/${id}.mp3`,
      `exports/${id}/${id}.wav`,
    ])
    expect(await keys('quarantine/')).toEqual([])
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
    expect(stored.upload_sha256).toBe(await sha256(renderWav(1)))

    // The WAV: 16-bit, same length, LIST/INFO and an id3 chunk.
    const wav = await bytesOf(`exports/${id}/${id}.wav`)
    expect(await sha256(wav)).toBe(stored.wav_sha256)
    expect(manifestOf.outputs!.wav.sha256).toBe(stored.wav_sha256)
    const info = readWavInfo(wav)
    expect(info).toMatchObject({ encoding: 'pcm16', channels: 2, sampleRate: 44100, frames: 44100 })
    const fields = readInfo(wav, info)
    expect(fields.INAM).toBe('Night drive')
    expect(fields.IART).toBe(`${manifest.artist} (${FAN.displayName} remix)`)
    expect(fields.ICMT).toContain(
      'AI-assisted remix made from officially licensed stems on Stemfair',
    )
    expect(fields.ICMT).toContain(id)
    expect(fields.ICMT).toContain('Mira Vale (featured performer, voice)')
    expect(fields.ICOP).toContain(`http://localhost:8787/c/${SHORT}#licence`)
    expect(id3Text(readId3(chunkData(wav, info, 'id3 ')!)!, 'TXXX:STEMFAIR_EXPORT_ID')).toBe(id)

    // The MP3: an ID3v2.4 tag, then about a second of 192 kbit/s frames.
    const mp3 = await bytesOf(`exports/${id}/${id}.mp3`)
    expect(await sha256(mp3)).toBe(stored.mp3_sha256)
    const tag = readId3(mp3)!
    expect(tag.version).toBe(4)
    expect(id3Text(tag, 'TIT2')).toBe('Night drive')
    expect(id3Text(tag, 'TPE1')).toBe(`${manifest.artist} (${FAN.displayName} remix)`)
    expect(id3Text(tag, 'TPE2')).toBe(manifest.artist)
    expect(id3Text(tag, 'TSRC')).toBe('QZSF12600001')
    expect(id3Text(tag, 'TXXX:SOURCE_ISRCS')).toBe('QZSF12600001, QZSF12600002')
    expect(id3Text(tag, 'TXXX:AI_DISCLOSURE')).toBe(
      'AI-assisted remix made from officially licensed stems on Stemfair',
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
      url: `http://localhost:8787/c/${SHORT}#licence`,
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

  // Three exports, each watermarked and read back: a generous wait on a busy machine.
  it('accepts 16- and 24-bit PCM and mono, and marks AI-assisted remixes as composites', async () => {
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
    const remix = await createRemix(SHORT, fan, 1, ai)
    const ids: string[] = []
    for (const options of [
      { encoding: 'pcm16' as const },
      { encoding: 'pcm24' as const },
      { channels: 1 },
    ]) {
      const res = await postExport(remix.id, 1, renderWav(1.03, options), fan)
      expect(res.status).toBe(202)
      ids.push(((await res.json()) as { export: ExportView }).export.id)
    }
    for (const id of ids) expect((await waitFinished(id)).status).toBe('ready')
    const stored = JSON.parse((await row(ids[0]!))!.manifest!) as ExportManifest
    expect(stored.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic', // a rule-based tool only
    )
    expect(stored.aiActions).toEqual(ai)
    const mono = readWavInfo(await bytesOf(`exports/${ids[2]}/${ids[2]}.wav`))
    expect(mono.channels).toBe(1)
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

describe('the export job is idempotent', () => {
  it('a redelivered or duplicated job after a crash makes no second row, object or event', async () => {
    const { view } = await exportReady()
    const id = view.id
    const first = (await row(id))!
    // Crash before the outputs were recorded: the upload is back in quarantine, the row processing.
    await env.MEDIA.put(first.upload_key, renderWav(1))
    await env.DB.prepare(
      "UPDATE exports SET status = 'processing', wav_sha256 = NULL, mp3_sha256 = NULL WHERE id = ?1",
    )
      .bind(id)
      .run()
    const message = (n: number) => ({
      id: `m${n}`,
      timestamp: new Date(),
      attempts: 2,
      body: { type: 'export', exportId: id },
    })
    const batch = createMessageBatch('stemfair-jobs', [message(1), message(2)])
    const ctx = createExecutionContext()
    await consumeJobs(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2'])
    expect(result.retryMessages).toEqual([])

    const again = (await row(id))!
    expect(again.status).toBe('ready')
    expect(again.wav_sha256).toBe(first.wav_sha256)
    expect(again.mp3_sha256).toBe(first.mp3_sha256)
    expect(await keys(`exports/${id}/`)).toHaveLength(2)
    expect(await keys('quarantine/')).toEqual([])
    expect((await events(id)).map((e) => e.id)).toEqual([`export:${id}`])
    const { results } = await env.DB.prepare('SELECT id FROM exports WHERE id = ?1').bind(id).all()
    expect(results).toHaveLength(1)

    // And once ready, more deliveries change nothing at all.
    await consumeJobs(createMessageBatch('stemfair-jobs', [message(3)]), env)
    expect(await row(id)).toEqual(again)
  })

  it('rejects a corrupt upload with a reason and leaves no objects', async () => {
    const base = (await row((await exportReady()).view.id))!
    const id = 'badc0ffee0ddf00d'
    await env.MEDIA.put(`quarantine/${id}.wav`, truncated(renderWav(1), 5000))
    await insertExport(env.DB, {
      id,
      remixId: base.remix_id,
      remixVersion: base.remix_version,
      campaignId: base.campaign_id,
      ownerId: base.owner_id,
      licenceVersion: base.licence_version,
      recipeHash: base.recipe_hash,
      uploadKey: `quarantine/${id}.wav`,
      uploadSha256: '0'.repeat(64),
      manifest: JSON.stringify({ ...JSON.parse(base.manifest!), exportId: id, outputs: null }),
      createdAt: new Date().toISOString(),
    })
    const batch = createMessageBatch('stemfair-jobs', [
      { id: 'c1', timestamp: new Date(), attempts: 1, body: { type: 'export', exportId: id } },
    ])
    await consumeJobs(batch, env)
    expect(await readExport(id)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^The WAV is truncated/),
      downloads: null,
    })
    expect(await keys(`exports/${id}/`)).toEqual([])
    expect(await keys(`quarantine/${id}`)).toEqual([])
    expect(await events(id)).toEqual([])
  })
})

describe('POST /api/exports refuses, leaving nothing behind', () => {
  it('401 without a session', async () => {
    const remix = await createRemix()
    await expectRefused(() => postExport(remix.id, 1, renderWav(1)), 401, 'unauthorized')
  })

  it('404 for an unknown remix, 403 for another fan’s', async () => {
    await expectRefused(() => postExport('nope', 1, renderWav(1), fan), 404, 'not_found')
    const remix = await createRemix()
    await expectRefused(() => postExport(remix.id, 1, renderWav(1), otherFan), 403, 'forbidden')
  })

  it('409 when the remix was saved since the version named', async () => {
    const remix = await createRemix()
    const saved = await call(`/api/remixes/${remix.id}`, {
      method: 'PUT',
      ...json({ recipe: recipe(SHORT, 1), version: 1 }, fan),
    })
    expect(saved.status).toBe(200)
    const error = await expectRefused(
      () => postExport(remix.id, 1, renderWav(1), fan),
      409,
      'conflict',
    )
    expect(error.current).toBe(2)
  })

  it('413 over 100 MiB, by Content-Length or while reading', async () => {
    const remix = await createRemix()
    const chunk = new Uint8Array(1024 * 1024)
    const stream = (chunks: number) =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (chunks-- > 0) controller.enqueue(chunk)
          else controller.close()
        },
      })
    const declared = () =>
      call(`/api/exports?remix=${remix.id}&version=1`, {
        method: 'POST',
        headers: {
          Cookie: fan,
          'Content-Type': 'audio/wav',
          'Content-Length': String(101 * 2 ** 20),
        },
        body: new Uint8Array(101 * 2 ** 20),
      })
    await expectRefused(declared, 413, 'payload_too_large')
    const streamed = () => postExport(remix.id, 1, stream(101), fan)
    const error = await expectRefused(streamed, 413, 'payload_too_large')
    expect(error.message).toMatch(/100 MiB/)
  })

  it('400 invalid_audio for what is not a usable WAV, with a clear sentence', async () => {
    const remix = await createRemix()
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('this is not audio'), /not a WAV file/],
      [truncated(renderWav(1), 20_000), /truncated: its data chunk declares 352800 bytes/],
      [renderWav(1, { sampleRate: 48000 }), /48000 Hz but this campaign works at 44100 Hz/],
      [renderWav(0.5), /lasts 0\.50 s but the remix is 1\.00 s long/],
      [renderWav(1.2), /lasts 1\.20 s/],
      [renderWav(1, { channels: 3 }), /stereo or mono; this one has 3 channels/],
    ]
    for (const [body, message] of cases) {
      const error = await expectRefused(
        () => postExport(remix.id, 1, body, fan),
        400,
        'invalid_audio',
      )
      expect(error.message).toMatch(message)
    }
  })

  it('422 for a remix the demo licence does not allow: too short', async () => {
    const remix = await createRemix(DEMO, fan, 1)
    const error = await expectRefused(
      () => postExport(remix.id, 1, renderWav(1), fan),
      422,
      'licence_violation',
    )
    expect(error.violations).toEqual([
      expect.objectContaining({ code: 'too_short', path: ['length'] }),
    ])
    expect(error.message).toBe(error.violations![0]!.message)
    expect(error.message).toMatch(/at least 30 seconds/)
  })

  it('422 once the campaign window has ended', async () => {
    const remix = await createRemix(CLOSED)
    const error = await expectRefused(
      () => postExport(remix.id, 1, renderWav(1), fan),
      422,
      'licence_violation',
    )
    expect(error.violations!.map((v) => v.code)).toEqual(['campaign_closed'])
  })

  it('422 past the daily export limit; rejected exports do not count', async () => {
    const remix = await createRemix(LIMITED)
    const first = await postExport(remix.id, 1, renderWav(1), fan)
    expect(first.status).toBe(202)
    const error = await expectRefused(
      () => postExport(remix.id, 1, renderWav(1), fan),
      422,
      'licence_violation',
    )
    expect(error.violations!.map((v) => v.code)).toEqual(['export_limit'])
    // Another fan has their own allowance, and a rejected export does not use it up.
    const theirs = await createRemix(LIMITED, otherFan)
    const failed = { ...(await row(((await first.json()) as { export: ExportView }).export.id))! }
    await insertExport(env.DB, {
      id: 'feedfacefeedface',
      remixId: theirs.id,
      remixVersion: 1,
      campaignId: failed.campaign_id,
      ownerId: theirs.ownerId,
      licenceVersion: 1,
      recipeHash: failed.recipe_hash,
      uploadKey: 'quarantine/feedfacefeedface.wav',
      uploadSha256: failed.upload_sha256,
      manifest: failed.manifest!,
      createdAt: new Date().toISOString(),
    })
    await markRejected(env.DB, 'feedfacefeedface', 'The WAV is truncated.')
    expect((await postExport(theirs.id, 1, renderWav(1), otherFan)).status).toBe(202)
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
    const res = await call(links.mp3)
    const listener = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('sf_listener='))!
      .split(';')[0]!
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Night drive (Stemfair remix).mp3"; filename*=UTF-8''Night%20drive%20(Stemfair%20remix).mp3`,
    )
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body).toEqual(await bytesOf(`exports/${view.id}/${view.id}.mp3`))
    // A range retry of the same link is the same download.
    const part = await call(links.mp3, { headers: { Range: 'bytes=0-9', Cookie: listener } })
    expect(part.status).toBe(206)
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(body.slice(0, 10))
    const wav = await call(links.wav, { headers: { Cookie: listener } })
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
    const url = new URL(view.downloads!.mp3, 'http://x')
    const sig = url.searchParams.get('sig')!
    const exp = url.searchParams.get('exp')!
    const flipped = `${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}`
    const expired = await signed(`${view.id}:mp3:${Math.floor(Date.now() / 1000) - 1}`)
    for (const path of [
      `/api/downloads/${view.id}/mp3?exp=${exp}&sig=${flipped}`,
      `/api/downloads/${view.id}/mp3?exp=${Number(exp) + 60}&sig=${sig}`,
      `/api/downloads/${view.id}/wav?exp=${exp}&sig=${sig}`,
      `/api/downloads/${view.id}/mp3?exp=${exp}`,
      `/api/downloads/${view.id}/mp3?exp=${Math.floor(Date.now() / 1000) - 1}&sig=${expired}`,
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
  return [...sig].map((b) => b.toString(16).padStart(2, '0')).join('')
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
    await expect(
      env.DB.prepare("UPDATE ledger_events SET type = 'play' WHERE export_id = ?1")
        .bind(view.id)
        .run(),
    ).rejects.toThrow(/append-only/)
    await expect(
      env.DB.prepare('DELETE FROM ledger_events WHERE export_id = ?1').bind(view.id).run(),
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
        () => postExport(remix.id, 1, renderWav(1), fan),
        422,
        'licence_violation',
      )
      expect(error.violations!.map((v) => v.code)).toContain(code)
    })
})
