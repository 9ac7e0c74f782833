import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MyRemixView, PublicRemixView, RemixView } from '../../core/api/remixes.ts'
import { LIMITS } from '../../core/recipe/schema.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { FAN, manifest, seed, seedInput } from './fixture.ts'
import { call, cookieOf } from './http.ts'

type ErrorBody = {
  error: {
    code: string
    message: string
    current?: number
    issues?: { path: (string | number)[]; message: string }[]
  }
}

const send = (method: string, path: string, body: unknown, cookie?: string) =>
  call(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const SLUG = manifest.slug
const OTHER = 'other-moons'
const HIDDEN = 'hidden-moons'
const DRUMS = `${SLUG}-drums`

let fan: string
let otherFan: string

/** A valid recipe for the fixture, whose stems are 0.1 s long. */
function recipe(changes: { campaign?: string; track?: Record<string, unknown> } = {}) {
  return {
    version: 2,
    campaign: changes.campaign ?? SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 4,
    tracks: [
      {
        id: 't1',
        stem: DRUMS,
        regions: [{ id: 'r1', start: 0, offset: 0, duration: 0.05, loops: 4 }],
        ...changes.track,
      },
    ],
  }
}

async function signUp(name: string): Promise<string> {
  const res = await send('POST', '/api/auth/signup', {
    email: `${crypto.randomUUID()}@example.test`,
    displayName: name,
    password: 'a-strong-pass-9',
  })
  expect(res.status).toBe(201)
  return cookieOf(res)
}

async function create(cookie = fan, title = 'Night drive'): Promise<RemixView> {
  const res = await send(
    'POST',
    '/api/remixes',
    { campaign: SLUG, title, recipe: recipe() },
    cookie,
  )
  expect(res.status).toBe(201)
  return ((await res.json()) as { remix: RemixView }).remix
}

async function read(id: string, cookie = fan): Promise<RemixView> {
  const res = await call(`/api/remixes/${id}`, { headers: { Cookie: cookie } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { remix: RemixView }).remix
}

async function listOf(cookie: string): Promise<Omit<RemixView, 'recipe'>[]> {
  const res = await call('/api/remixes', { headers: { Cookie: cookie } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { remixes: Omit<RemixView, 'recipe'>[] }).remixes
}

const save = (id: string, body: unknown, cookie = fan) =>
  send('PUT', `/api/remixes/${id}`, body, cookie)

/** Sends a request that must be refused with `status`, then checks the remix did not change. */
async function expectRefused(res: Response, status: number, remix: RemixView) {
  expect(res.status).toBe(status)
  const body = (await res.json()) as ErrorBody
  expect(await read(remix.id)).toEqual(remix)
  return body.error
}

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  await seedCampaign(env, { ...input, manifest: { ...manifest, slug: OTHER } })
  await seedCampaign(env, { ...input, manifest: { ...manifest, slug: HIDDEN } })
  await env.DB.prepare("UPDATE campaigns SET status = 'draft' WHERE slug = ?1").bind(HIDDEN).run()
  const login = await send('POST', '/api/auth/login', { email: FAN.email, password: FAN.password })
  fan = cookieOf(login)
  otherFan = await signUp('Other Fan')
})

describe('create, read, list and save', () => {
  it('creates a draft at version 1 with the parsed recipe and reads it back', async () => {
    const res = await send(
      'POST',
      '/api/remixes',
      { campaign: SLUG, title: '  Night drive  ', recipe: recipe() },
      fan,
    )
    expect(res.status).toBe(201)
    const { remix } = (await res.json()) as { remix: RemixView }
    expect(remix).toMatchObject({
      id: expect.any(String),
      campaign: SLUG,
      ownerName: FAN.displayName,
      title: 'Night drive',
      version: 1,
      status: 'draft',
    })
    expect(remix.createdAt).toBe(remix.updatedAt)
    // Defaults are filled in by the schema and stored that way.
    expect(remix.recipe.tracks[0]).toMatchObject({ gainDb: 0, pan: 0, muted: false, effects: [] })
    expect(remix.recipe.master.limiter).toEqual({ enabled: true, ceilingDb: -1 })
    expect(await read(remix.id)).toEqual(remix)
  })

  it('saves with the loaded version, bumping it each time and keeping the title unless given', async () => {
    const remix = await create()
    const louder = recipe({ track: { gainDb: -3 } })
    const first = await save(remix.id, { title: 'Night drive (v2)', recipe: louder, version: 1 })
    expect(first.status).toBe(200)
    const { remix: v2 } = (await first.json()) as { remix: RemixView }
    expect(v2).toMatchObject({ id: remix.id, title: 'Night drive (v2)', version: 2 })
    expect(v2.recipe.tracks[0]!.gainDb).toBe(-3)
    expect(v2.createdAt).toBe(remix.createdAt)
    expect(v2.updatedAt >= remix.updatedAt).toBe(true)

    const second = await save(remix.id, { recipe: recipe({ track: { pan: 0.5 } }), version: 2 })
    expect(second.status).toBe(200)
    const { remix: v3 } = (await second.json()) as { remix: RemixView }
    expect(v3).toMatchObject({ title: 'Night drive (v2)', version: 3 })
    expect(v3.recipe.tracks[0]).toMatchObject({ gainDb: 0, pan: 0.5 })
    expect(await read(remix.id)).toEqual(v3)
  })

  it("lists only the signed-in fan's remixes, most recently saved first, without recipes", async () => {
    const me = await signUp('Lister')
    const older = await create(me, 'Older')
    const newer = await create(me, 'Newer')
    await create(otherFan, 'Not mine')
    expect((await listOf(me)).map((r) => r.title)).toEqual(['Newer', 'Older'])

    const res = await save(older.id, { recipe: recipe(), version: 1 }, me)
    expect(res.status).toBe(200)
    const list = await listOf(me)
    expect(list.map((r) => r.id)).toEqual([older.id, newer.id])
    expect(list[0]).toMatchObject({ title: 'Older', version: 2, campaign: SLUG })
    expect(list[0]).not.toHaveProperty('recipe')
  })
})

describe('who may do what', () => {
  it('answers every route without a session with 401', async () => {
    const remix = await create()
    for (const res of [
      await call('/api/remixes'),
      await call(`/api/remixes/${remix.id}`),
      await send('POST', '/api/remixes', { campaign: SLUG, title: 'X', recipe: recipe() }),
      await save(remix.id, { recipe: recipe(), version: 1 }, ''),
    ]) {
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    expect(await read(remix.id)).toEqual(remix)
  })

  it("keeps a draft from another fan's eyes and hands, 403", async () => {
    const remix = await create()
    const peek = await call(`/api/remixes/${remix.id}`, { headers: { Cookie: otherFan } })
    expect(peek.status).toBe(403)
    expect(await peek.json()).toMatchObject({ error: { code: 'forbidden' } })
    const error = await expectRefused(
      await save(remix.id, { title: 'Mine now', recipe: recipe(), version: 1 }, otherFan),
      403,
      remix,
    )
    expect(error.code).toBe('forbidden')
  })

  it('shows a published remix to another fan, who still cannot save it', async () => {
    const draft = await create()
    await env.DB.prepare("UPDATE remixes SET status = 'published' WHERE id = ?1")
      .bind(draft.id)
      .run()
    const remix = await read(draft.id)
    expect(await read(remix.id, otherFan)).toEqual(remix)
    await expectRefused(
      await save(remix.id, { recipe: recipe(), version: 1 }, otherFan),
      403,
      remix,
    )
  })

  it('answers an unknown remix with 404, on read and on save', async () => {
    const get = await call('/api/remixes/no-such-remix', { headers: { Cookie: fan } })
    expect(get.status).toBe(404)
    expect(await get.json()).toMatchObject({ error: { code: 'not_found' } })
    const put = await save('no-such-remix', { recipe: recipe(), version: 1 })
    expect(put.status).toBe(404)
  })

  it('answers an unknown or unpublished campaign with 404 and saves nothing', async () => {
    const me = await signUp('Campaignless')
    for (const slug of ['no-such-campaign', HIDDEN]) {
      const res = await send(
        'POST',
        '/api/remixes',
        { campaign: slug, title: 'X', recipe: recipe({ campaign: slug }) },
        me,
      )
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
    }
    expect(await listOf(me)).toEqual([])
  })
})

describe('saving from a stale version', () => {
  it('answers 409 with the current version and keeps what is stored', async () => {
    const remix = await create()
    const ahead = await save(remix.id, { title: 'Saved elsewhere', recipe: recipe(), version: 1 })
    expect(ahead.status).toBe(200)
    const current = await read(remix.id)
    for (const version of [1, 7]) {
      const error = await expectRefused(
        await save(remix.id, { title: 'Stale', recipe: recipe(), version }),
        409,
        current,
      )
      expect(error).toEqual({
        code: 'conflict',
        message: 'This remix was saved somewhere else (version 2). Reload to get the latest.',
        current: 2,
      })
    }
  })

  it('lets exactly one of two concurrent saves from the same version win', async () => {
    const remix = await create()
    const results = await Promise.all(
      ['Tab A', 'Tab B'].map((title) => save(remix.id, { title, recipe: recipe(), version: 1 })),
    )
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const winner = results.findIndex((r) => r.status === 200)
    const loser = (await results[1 - winner]!.json()) as ErrorBody
    expect(loser.error).toMatchObject({ code: 'conflict', current: 2 })
    expect(await read(remix.id)).toMatchObject({
      version: 2,
      title: winner === 0 ? 'Tab A' : 'Tab B',
    })
  })
})

describe('bad input', () => {
  it('refuses values outside the schema with 400 and the path into the recipe', async () => {
    const remix = await create()
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ track: { gainDb: -500 } }, ['recipe', 'tracks', 0, 'gainDb']],
      [
        { track: { regions: [{ id: 'r1', start: -5, offset: 0, duration: 0.05 }] } },
        ['recipe', 'tracks', 0, 'regions', 0, 'start'],
      ],
      [
        { track: { regions: [{ id: 'r1', start: 0, offset: 0, duration: 0 }] } },
        ['recipe', 'tracks', 0, 'regions', 0, 'duration'],
      ],
    ]
    for (const [changes, path] of cases) {
      const error = await expectRefused(
        await save(remix.id, { recipe: recipe(changes), version: 1 }),
        400,
        remix,
      )
      expect(error.code).toBe('invalid_request')
      expect(error.issues!.map((i) => i.path)).toContainEqual(path)
    }
    for (const body of [
      { title: '   ', recipe: recipe(), version: 1 },
      { recipe: recipe(), version: -1 },
      { recipe: recipe() },
    ])
      await expectRefused(await save(remix.id, body), 400, remix)
  })

  it('refuses a schema failure on create too, and saves nothing', async () => {
    const me = await signUp('Schema')
    const res = await send(
      'POST',
      '/api/remixes',
      { campaign: SLUG, title: 'X', recipe: { ...recipe(), tempo: -120 } },
      me,
    )
    expect(res.status).toBe(400)
    const { error } = (await res.json()) as ErrorBody
    expect(error.issues).toContainEqual({ path: ['recipe', 'tempo'], message: expect.any(String) })
    expect(await listOf(me)).toEqual([])
  })

  it('refuses a stem of another campaign, with its path', async () => {
    const remix = await create()
    const error = await expectRefused(
      await save(remix.id, { recipe: recipe({ track: { stem: `${OTHER}-drums` } }), version: 1 }),
      400,
      remix,
    )
    expect(error).toMatchObject({
      code: 'invalid_recipe',
      issues: [
        {
          path: ['recipe', 'tracks', 0, 'stem'],
          message: `stem ${OTHER}-drums is not part of this campaign`,
        },
      ],
    })
  })

  it("refuses a region that reads past its stem's end", async () => {
    const remix = await create()
    const late = { regions: [{ id: 'r1', start: 0, offset: 0.05, duration: 0.05, rate: 2 }] }
    const error = await expectRefused(
      await save(remix.id, { recipe: recipe({ track: late }), version: 1 }),
      400,
      remix,
    )
    expect(error).toMatchObject({
      code: 'invalid_recipe',
      issues: [
        {
          path: ['recipe', 'tracks', 0, 'regions', 0],
          message: 'region r1 ends at 0.15 s of the stem, which is 0.1 s long',
        },
      ],
    })
  })

  it('refuses a recipe made for another campaign, on save and on create', async () => {
    const remix = await create()
    const error = await expectRefused(
      await save(remix.id, { recipe: recipe({ campaign: OTHER }), version: 1 }),
      400,
      remix,
    )
    expect(error.code).toBe('invalid_recipe')
    expect(error.issues!.map((i) => i.path)).toContainEqual(['recipe', 'campaign'])

    const me = await signUp('Mismatch')
    const res = await send(
      'POST',
      '/api/remixes',
      { campaign: OTHER, title: 'X', recipe: recipe() },
      me,
    )
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_recipe' } })
    expect(await listOf(me)).toEqual([])
  })

  it('refuses a body that is not JSON with 400', async () => {
    const remix = await create()
    await expectRefused(await save(remix.id, '{"recipe": '), 400, remix)
    const form = await call(`/api/remixes/${remix.id}`, {
      method: 'PUT',
      headers: { Cookie: fan, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'title=x&version=1',
    })
    await expectRefused(form, 400, remix)
  })

  it('refuses a body over the recipe size limit with 413, with or without Content-Length', async () => {
    const remix = await create()
    const big = JSON.stringify({
      title: 'Huge',
      recipe: recipe(),
      version: 1,
      padding: 'x'.repeat(LIMITS.bytes),
    })
    const sized = await expectRefused(await save(remix.id, big), 413, remix)
    expect(sized.code).toBe('payload_too_large')

    const bytes = new TextEncoder().encode(big)
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024)
          controller.enqueue(bytes.slice(i, i + 16 * 1024))
        controller.close()
      },
    })
    const res = await call(`/api/remixes/${remix.id}`, {
      method: 'PUT',
      headers: { Cookie: fan, 'Content-Type': 'application/json' },
      body: streamed,
    })
    const error = await expectRefused(res, 413, remix)
    expect(error.code).toBe('payload_too_large')
  })
})

describe('My remixes: the list, rename and delete', () => {
  /** An export row of a remix, as the export job leaves a ready one (the pipeline is tested elsewhere). */
  async function exportOf(remix: RemixView, status: 'ready' | 'rejected', reason: string | null) {
    const id = crypto.randomUUID().replace(/-/g, '').slice(0, 16)
    const at = new Date().toISOString()
    const owner = (await env.DB.prepare('SELECT owner_id, campaign_id FROM remixes WHERE id = ?1')
      .bind(remix.id)
      .first<{ owner_id: string; campaign_id: string }>())!
    await env.DB.prepare(
      `INSERT INTO exports (id, remix_id, remix_version, campaign_id, owner_id, licence_version,
         recipe_hash, idempotency_key, status, reason, created_at, updated_at)
       VALUES (?1, ?2, 1, ?3, ?4, 1, 'h', ?1, ?5, ?6, ?7, ?7)`,
    )
      .bind(id, remix.id, owner.campaign_id, owner.owner_id, status, reason, at)
      .run()
    return id
  }

  it('lists a draft with no exports, and an exported remix with its latest export and share page', async () => {
    const me = await signUp('Owner of two')
    const draft = await create(me, 'Just a draft')
    const exported = await create(me, 'Out there')
    const ready = await exportOf(exported, 'ready', null)
    // the per-day counts the events consumer keeps: counted plays show, held ones do not
    await env.DB.prepare(
      `INSERT INTO daily_counts (export_id, campaign_id, day, type, counted, held)
       SELECT ?1, campaign_id, ?2, 'play', 3, 5 FROM exports WHERE id = ?1`,
    )
      .bind(ready, '2026-12-01')
      .run()
    const res = await call('/api/remixes', { headers: { Cookie: me } })
    const { remixes } = (await res.json()) as { remixes: MyRemixView[] }
    const byId = Object.fromEntries(remixes.map((r) => [r.id, r]))
    expect(byId[draft.id]).toMatchObject({
      status: 'draft',
      exports: 0,
      latestExport: null,
      shareUrl: null,
      plays: 0,
      downloads: 0,
    })
    expect(byId[exported.id]).toMatchObject({
      exports: 1,
      latestExport: { id: ready, status: 'ready', reason: null },
      shareUrl: `/r/${ready}`,
      plays: 3,
    })
  })

  it('shows why the latest export was refused', async () => {
    const me = await signUp('Refused one')
    const remix = await create(me, 'Too loud')
    await exportOf(remix, 'rejected', 'A stem master is missing.')
    const { remixes } = (await (
      await call('/api/remixes', { headers: { Cookie: me } })
    ).json()) as { remixes: MyRemixView[] }
    expect(remixes[0]).toMatchObject({
      latestExport: { status: 'rejected', reason: 'A stem master is missing.' },
      shareUrl: null,
    })
  })

  it('renames a remix for its owner only, and refuses an empty title', async () => {
    const remix = await create(fan, 'Old name')
    const renamed = await send('PATCH', `/api/remixes/${remix.id}`, { title: ' New name ' }, fan)
    expect(renamed.status).toBe(200)
    expect((await read(remix.id)).title).toBe('New name')
    expect((await read(remix.id)).version).toBe(remix.version) // the recipe did not change
    const after = await read(remix.id)
    const theirs = await send('PATCH', `/api/remixes/${remix.id}`, { title: 'Mine now' }, otherFan)
    expect((await expectRefused(theirs, 403, after)).code).toBe('forbidden')
    const empty = await send('PATCH', `/api/remixes/${remix.id}`, { title: '  ' }, fan)
    expect(await expectRefused(empty, 400, after)).toMatchObject({ code: 'invalid_request' })
    const unknown = await send('PATCH', '/api/remixes/nope', { title: 'x' }, fan)
    expect(unknown.status).toBe(404)
  })

  it('deletes a draft that was never exported, and keeps one that was', async () => {
    const draft = await create(fan, 'Throwaway')
    const theirs = await call(`/api/remixes/${draft.id}`, {
      method: 'DELETE',
      headers: { Cookie: otherFan },
    })
    expect(theirs.status).toBe(403)
    const gone = await call(`/api/remixes/${draft.id}`, {
      method: 'DELETE',
      headers: { Cookie: fan },
    })
    expect(gone.status).toBe(204)
    const again = await call(`/api/remixes/${draft.id}`, { headers: { Cookie: fan } })
    expect(again.status).toBe(404)
    expect((await listOf(fan)).map((r) => r.id)).not.toContain(draft.id)

    const kept = await create(fan, 'Exported')
    await exportOf(kept, 'ready', null)
    const refused = await call(`/api/remixes/${kept.id}`, {
      method: 'DELETE',
      headers: { Cookie: fan },
    })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as ErrorBody).error.message).toMatch(/has exports/)
    expect((await read(kept.id)).title).toBe('Exported')
  })
  it("lists a campaign's published remixes for everyone, and nothing private", async () => {
    const me = await signUp('Publisher')
    const shown = await create(me, 'Out in public')
    const hidden = await create(me, 'Still private')
    const ready = await exportOf(shown, 'ready', null)
    await exportOf(hidden, 'ready', null)
    await env.DB.prepare("UPDATE remixes SET status = 'published' WHERE id = ?1")
      .bind(shown.id)
      .run()
    const res = await call(`/api/campaigns/${SLUG}/remixes`)
    expect(res.status).toBe(200)
    const { remixes } = (await res.json()) as { remixes: PublicRemixView[] }
    expect(remixes.find((r) => r.exportId === ready)).toMatchObject({
      title: 'Out in public',
      fan: 'Publisher',
      shareUrl: `/r/${ready}`,
      plays: 0,
    })
    expect(remixes.map((r) => r.title)).not.toContain('Still private')
    expect((await call('/api/campaigns/no-such-campaign/remixes')).status).toBe(404)
    expect((await call(`/api/campaigns/${HIDDEN}/remixes`)).status).toBe(404) // a draft campaign
  })
})
