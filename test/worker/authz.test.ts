import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuthorStem } from '../../core/api/authoring.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import {
  JPEG,
  PNG,
  addStem,
  completeDraft,
  createDraft,
  ok,
  path,
  preset,
  raw,
  send,
} from './author-fixture.ts'
import { shortLicence } from '../support/licence.ts'
import { ADMIN } from '../support/users.ts'
import { ARTIST, FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, login, requestExport } from './http.ts'
import { renderWav } from './wav-fixture.ts'
import { remixRecipe } from '../support/recipe.ts'

// Who calls. Artist A owns every campaign under test; artist B is another artist.
type Actor = 'anonymous' | 'fan' | 'artistA' | 'artistB' | 'admin'
const ACTORS: Actor[] = ['anonymous', 'fan', 'artistA', 'artistB', 'admin']

const SLUG = 'authz-moons' // artist A's live campaign, open to short exports

const cookies: Record<Actor, string | undefined> = {
  anonymous: undefined,
  fan: undefined,
  artistA: undefined,
  artistB: undefined,
  admin: undefined,
}

/** One request, made fresh for each caller so that no call depends on another's effect. */
type Call = { method: string; path: string; json?: unknown; raw?: [Uint8Array, string] }

type Route = {
  name: string
  /** Sets up what the request needs (as artist A) and answers it. */
  make: () => Promise<Call>
  /** The status the owner (artist A) and an admin get. */
  allowed: number[]
  /** True for routes with no campaign in the path: artist B is answered about their own things. */
  own?: true
}

let slugs = 0
const draft = async () => createDraft(`authz-${++slugs}`, cookies.artistA!)

async function fire(call: Call, actor: Actor): Promise<Response> {
  const cookie = cookies[actor]
  if (call.raw) return raw(call.method, call.path, call.raw[0], call.raw[1], cookie)
  return send(call.method, call.path, call.json, cookie)
}

async function upload(campaignId: string, bytes = renderWav(0.2)) {
  const res = await send(
    'POST',
    `/api/artist/campaigns/${campaignId}/uploads`,
    { fileName: 'keys.wav', size: bytes.length, kind: 'stem' },
    cookies.artistA,
  )
  return { id: (await ok<{ upload: { id: string } }>(res, 201)).upload.id, bytes }
}

/** A fan's saved remix of artist A's live campaign. */
async function remixOfA(): Promise<RemixView> {
  const recipe = remixRecipe({ campaign: SLUG })
  const res = send('POST', '/api/remixes', { campaign: SLUG, title: 'Mine', recipe }, cookies.fan)
  return (await ok<{ remix: RemixView }>(res, 201)).remix
}

let exportId: string

async function readyExport(): Promise<string> {
  const remix = await remixOfA()
  const res = await requestExport(remix.id, 1, cookies.fan!)
  const { id } = (await ok<{ export: ExportView }>(res, 202)).export
  await vi.waitFor(
    async () => {
      const view = await ok<{ export: ExportView }>(
        send('GET', `/api/exports/${id}`, undefined, cookies.fan),
      )
      expect(view.export.status).toBe('ready')
    },
    { timeout: 30_000, interval: 100 },
  )
  return id
}

async function reportOnA(): Promise<string> {
  const res = send('POST', `/api/share/${exportId}/reports`, { reason: 'uses a sample I own' })
  return (await ok<{ report: { id: string } }>(res, 201)).report.id
}

const CAMPAIGN_ROUTES: Route[] = [
  {
    name: 'GET campaign',
    allowed: [200],
    make: async () => ({ method: 'GET', path: path(await draft()) }),
  },
  {
    name: 'PATCH campaign',
    allowed: [200],
    make: async () => ({ method: 'PATCH', path: path(await draft()), json: { title: 'Renamed' } }),
  },
  {
    name: 'PUT artwork',
    allowed: [200],
    make: async () => ({
      method: 'PUT',
      path: path(await draft(), '/artwork'),
      raw: [PNG, 'image/png'],
    }),
  },
  {
    name: 'GET artwork',
    allowed: [200],
    make: async () => {
      const d = await draft()
      await ok(raw('PUT', path(d, '/artwork'), PNG, 'image/png', cookies.artistA))
      return { method: 'GET', path: path(d, '/artwork') }
    },
  },
  {
    name: 'POST image',
    allowed: [201],
    make: async () => ({
      method: 'POST',
      path: path(await draft(), '/images'),
      raw: [JPEG, 'image/jpeg'],
    }),
  },
  ...(['GET', 'DELETE'] as const).map((method): Route => ({
    name: `${method} image`,
    allowed: [method === 'GET' ? 200 : 204],
    make: async () => {
      const d = await draft()
      const res = raw('POST', path(d, '/images'), JPEG, 'image/jpeg', cookies.artistA)
      const { image } = await ok<{ image: { id: string } }>(res, 201)
      return { method, path: path(d, `/images/${image.id}`) }
    },
  })),
  {
    name: 'PUT licence',
    allowed: [200],
    make: async () => ({
      method: 'PUT',
      path: path(await draft(), '/licence'),
      json: { policy: preset('approval-required') },
    }),
  },
  {
    name: 'GET licence versions',
    allowed: [200],
    make: async () => ({ method: 'GET', path: path(await draft(), '/licence/versions') }),
  },
  {
    name: 'PUT splits',
    allowed: [200],
    make: async () => {
      const d = await draft()
      const stem = await addStem(d.id, 'Keys')
      const splits = {
        fanCreatorBps: 0,
        stems: [{ stem: stem.id, shares: [{ party: 'A', bps: 10_000 }] }],
      }
      return { method: 'PUT', path: path(d, '/splits'), json: { splits, credits: [] } }
    },
  },
  {
    name: 'PATCH stem',
    allowed: [200],
    make: async () => {
      const d = await draft()
      const stem = await addStem(d.id, 'Keys')
      return { method: 'PATCH', path: path(d, `/stems/${stem.id}`), json: { name: 'Rhodes' } }
    },
  },
  {
    name: 'DELETE stem',
    allowed: [204],
    make: async () => {
      const d = await draft()
      const stem = await addStem(d.id, 'Keys')
      return { method: 'DELETE', path: path(d, `/stems/${stem.id}`) }
    },
  },
  {
    name: 'POST publish',
    allowed: [200],
    make: async () => {
      const { draft: d } = await completeDraft(`authz-${++slugs}`, cookies.artistA!)
      return { method: 'POST', path: path(d, '/publish') }
    },
  },
  {
    name: 'POST close',
    allowed: [200],
    make: async () => {
      const { draft: d } = await completeDraft(`authz-${++slugs}`, cookies.artistA!)
      await ok(send('POST', path(d, '/publish'), undefined, cookies.artistA))
      return { method: 'POST', path: path(d, '/close') }
    },
  },
]

const UPLOAD_ROUTES: Route[] = [
  {
    name: 'POST upload',
    allowed: [201],
    make: async () => ({
      method: 'POST',
      path: path(await draft(), '/uploads'),
      json: { fileName: 'bass.wav', size: 1000, kind: 'stem' },
    }),
  },
  {
    name: 'GET upload',
    allowed: [200],
    make: async () => ({
      method: 'GET',
      path: `/api/artist/uploads/${(await upload((await draft()).id)).id}`,
    }),
  },
  {
    name: 'PUT upload part',
    allowed: [200],
    make: async () => {
      const u = await upload((await draft()).id)
      return {
        method: 'PUT',
        path: `/api/artist/uploads/${u.id}/parts/1`,
        raw: [u.bytes, 'application/octet-stream'],
      }
    },
  },
  {
    name: 'POST upload complete',
    allowed: [202],
    make: async () => {
      const u = await upload((await draft()).id)
      const part = raw(
        'PUT',
        `/api/artist/uploads/${u.id}/parts/1`,
        u.bytes,
        'application/octet-stream',
        cookies.artistA,
      )
      await ok(part)
      return { method: 'POST', path: `/api/artist/uploads/${u.id}/complete` }
    },
  },
  {
    name: 'DELETE upload',
    allowed: [204],
    make: async () => ({
      method: 'DELETE',
      path: `/api/artist/uploads/${(await upload((await draft()).id)).id}`,
    }),
  },
  {
    name: 'POST stem ingest (retry)',
    allowed: [202],
    make: async () => {
      const stem = await addStem((await draft()).id, 'Broken', { status: 'failed' })
      return { method: 'POST', path: `/api/artist/stems/${stem.id}/ingest` }
    },
  },
]

/** The export the approve and reject probes decide on, made once. */
let decided: Promise<string> | null = null

const MODERATION_ROUTES: Route[] = [
  ...(['approve', 'reject'] as const).map((action): Route => ({
    name: `POST export ${action}`,
    allowed: [200],
    make: async () => {
      decided ??= readyExport()
      const id = await decided
      // Where an export under a licence that asks for approval starts: waiting for the artist.
      await env.DB.prepare("UPDATE exports SET approval = 'pending' WHERE id = ?1").bind(id).run()
      return {
        method: 'POST',
        path: `/api/artist/exports/${id}/${action}`,
        json: { reason: 'not within the terms' },
      }
    },
  })),
  {
    name: 'POST remix takedown',
    allowed: [200],
    make: async () => {
      const remix = await remixOfA()
      // Where an export under an open licence leaves a remix: shared.
      await env.DB.prepare("UPDATE remixes SET status = 'published' WHERE id = ?1")
        .bind(remix.id)
        .run()
      return {
        method: 'POST',
        path: `/api/artist/remixes/${remix.id}/takedown`,
        json: { reason: 'not within the terms' },
      }
    },
  },
  {
    name: 'POST report dismiss',
    allowed: [200],
    make: async () => ({
      method: 'POST',
      path: `/api/artist/reports/${await reportOnA()}/dismiss`,
      json: {},
    }),
  },
  {
    name: 'GET public remixes of a campaign',
    allowed: [200],
    make: async () => ({ method: 'GET', path: `/api/artist/remixes?campaign=cmp-${SLUG}` }),
  },
  {
    name: 'GET audit of a campaign',
    allowed: [200],
    make: async () => ({ method: 'GET', path: `/api/artist/audit?campaign=cmp-${SLUG}` }),
  },
]

const STATEMENT_ROUTES: Route[] = [
  {
    name: 'GET campaign stats',
    allowed: [200],
    make: async () => ({ method: 'GET', path: `/api/campaigns/${SLUG}/stats` }),
  },
  {
    name: 'GET campaign statement',
    allowed: [200],
    make: async () => ({
      method: 'GET',
      path: `/api/campaigns/${SLUG}/statement?from=2026-01-01&to=2026-12-31&pool=100000&currency=EUR`,
    }),
  },
]

const OWN_ROUTES: Route[] = [
  {
    name: 'POST campaign',
    allowed: [201],
    own: true,
    make: async () => ({
      method: 'POST',
      path: '/api/artist/campaigns',
      json: { slug: `authz-own-${++slugs}`, title: 'Own', description: '' },
    }),
  },
  {
    name: 'GET campaigns',
    allowed: [200],
    own: true,
    make: async () => ({ method: 'GET', path: '/api/artist/campaigns' }),
  },
  {
    name: 'GET queue',
    allowed: [200],
    own: true,
    make: async () => ({ method: 'GET', path: '/api/artist/queue' }),
  },
  {
    name: 'GET public remixes',
    allowed: [200],
    own: true,
    make: async () => ({ method: 'GET', path: '/api/artist/remixes' }),
  },
  {
    name: 'GET audit',
    allowed: [200],
    own: true,
    make: async () => ({ method: 'GET', path: '/api/artist/audit' }),
  },
]

/** Waits for queued ingests to finish, so that no job writes during another route's snapshot. */
async function ingestsSettled() {
  await vi.waitFor(
    async () => {
      const busy = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM stems WHERE ingest_status = 'processing'",
      ).first<number>('n')
      expect(busy).toBe(0)
    },
    { timeout: 30_000, interval: 100 },
  )
}

/** Rows and objects that a refused call must leave as they were. */
async function snapshot() {
  const tables = [
    'campaigns',
    'stems',
    'artwork_assets',
    'licence_versions',
    'uploads',
    'moderation_log',
    'reports',
  ]
  const counts = await Promise.all(
    tables.map((t) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<number>('n')),
  )
  const campaigns = await env.DB.prepare('SELECT * FROM campaigns ORDER BY id').all()
  const remixes = await env.DB.prepare('SELECT id, status FROM remixes ORDER BY id').all()
  const objects = (await env.MEDIA.list()).objects.map((o) => o.key).sort()
  return { counts, campaigns: campaigns.results, remixes: remixes.results, objects }
}

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  await seedWithMasters({
    ...input,
    users: [...input.users, ADMIN],
    manifest: { ...manifest, slug: SLUG, licence: shortLicence(manifest.licence) },
  })
  cookies.fan = await login(FAN.email, FAN.password)
  cookies.artistA = await login(ARTIST.email, ARTIST.password)
  cookies.admin = await login(ADMIN.email, ADMIN.password)
  const b = {
    email: 'artist-b@example.test',
    displayName: 'Artist B',
    password: 'b-password-12',
    role: 'artist',
  }
  cookies.artistB = cookieOf(await call('/api/auth/signup', { method: 'POST', ...json(b) }))
  exportId = await readyExport()
}, 90_000)

describe.each([
  ['campaigns (A)', CAMPAIGN_ROUTES],
  ['uploads (B)', UPLOAD_ROUTES],
  ['moderation (C)', MODERATION_ROUTES],
  ['statements', STATEMENT_ROUTES],
])('the authorization matrix: %s', (_, routes) => {
  it.each(routes.map((r) => [r.name, r] as const))(
    '%s',
    async (_name, route) => {
      const shared = await route.make()
      const before = await snapshot()
      const denied: [Actor, number][] = [
        ['anonymous', 401],
        ['fan', 403],
        ['artistB', 403],
      ]
      for (const [actor, status] of denied) {
        const res = await fire(shared, actor)
        const body = (await res.json()) as { error?: { code: string } }
        expect([actor, res.status]).toEqual([actor, status])
        expect(body.error?.code).toBe(status === 401 ? 'unauthorized' : 'forbidden')
      }
      expect(await snapshot()).toEqual(before)
      for (const actor of ['artistA', 'admin'] as const) {
        const res = await fire(actor === 'artistA' ? shared : await route.make(), actor)
        expect([actor, res.status, await res.text()]).toEqual([
          actor,
          route.allowed[0],
          expect.any(String),
        ])
      }
      await ingestsSettled()
    },
    60_000,
  )
})

describe('the authorization matrix: routes without a campaign in the path', () => {
  it.each(OWN_ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    for (const actor of ACTORS) {
      const res = await fire(await route.make(), actor)
      const expected =
        actor === 'anonymous' ? 401 : actor === 'fan' ? 403 : (route.allowed[0] as number)
      expect([actor, res.status]).toEqual([actor, expected])
    }
  })

  it('artist B sees none of artist A’s campaigns, queue items, public remixes or audit entries; an admin sees them', async () => {
    const mine = await draft()
    await reportOnA()
    const read = async (p: string, actor: Actor) =>
      JSON.stringify(await ok<unknown>(send('GET', p, undefined, cookies[actor])))
    for (const p of [
      '/api/artist/campaigns',
      '/api/artist/queue',
      '/api/artist/remixes',
      '/api/artist/audit',
    ]) {
      const idOfA = p.endsWith('campaigns') ? mine.id : `cmp-${SLUG}`
      expect(await read(p, 'artistB')).not.toContain(p.endsWith('campaigns') ? mine.id : exportId)
      expect(await read(p, 'admin')).toContain(p.endsWith('campaigns') ? idOfA : exportId)
    }
  })

  it('the licence presets are public', async () => {
    for (const actor of ACTORS) {
      const res = await send('GET', '/api/licence/presets', undefined, cookies[actor])
      expect([actor, res.status]).toEqual([actor, 200])
    }
  })
})

describe('unknown ids', () => {
  it('404 for artist A on every route naming an id that does not exist', async () => {
    const d = await draft()
    const ghost = '00000000-0000-4000-8000-000000000000'
    const calls: Call[] = [
      { method: 'GET', path: `/api/artist/campaigns/${ghost}` },
      { method: 'PATCH', path: `/api/artist/campaigns/${ghost}`, json: { title: 'x' } },
      { method: 'PUT', path: `/api/artist/campaigns/${ghost}/artwork`, raw: [PNG, 'image/png'] },
      {
        method: 'PUT',
        path: `/api/artist/campaigns/${ghost}/licence`,
        json: { policy: preset('open-remix') },
      },
      { method: 'POST', path: `/api/artist/campaigns/${ghost}/publish` },
      { method: 'DELETE', path: path(d, `/images/${ghost}`) },
      { method: 'PATCH', path: path(d, `/stems/${ghost}`), json: { name: 'x' } },
      { method: 'DELETE', path: path(d, `/stems/${ghost}`) },
      { method: 'GET', path: `/api/artist/uploads/${ghost}` },
      { method: 'POST', path: `/api/artist/stems/${ghost}/ingest` },
      { method: 'POST', path: `/api/artist/exports/${ghost}/approve` },
      { method: 'POST', path: `/api/artist/reports/${ghost}/dismiss`, json: {} },
    ]
    for (const c of calls) {
      const res = await fire(c, 'artistA')
      expect([c.method, c.path, res.status]).toEqual([c.method, c.path, 404])
    }
  })
})

describe('masters', () => {
  it('are never served to fans: the stem routes give the rendition and peaks only', async () => {
    const d = await draft()
    const stem: { id: string; keys: string[] } = await addStem(d.id, 'Keys')
    await env.MEDIA.put(stem.keys[0]!, new TextEncoder().encode('MASTER'))
    await env.MEDIA.put(stem.keys[1]!, new TextEncoder().encode('RENDITION'))
    const { campaign } = await ok<{ campaign: { stems: AuthorStem[] } }>(
      send('GET', path(d), undefined, cookies.artistA),
    )
    const urls = campaign.stems
      .flatMap((s) => [s.audioUrl, s.peaksUrl])
      .filter((u): u is string => !!u)
    expect(urls.length).toBeGreaterThan(0)
    for (const url of urls) {
      const body = await (await send('GET', url, undefined, cookies.fan)).text()
      expect(body).not.toContain('MASTER')
    }
  })
})
