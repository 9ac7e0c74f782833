import { createMessageBatch, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { CampaignStats, FanStats } from '../../core/api/stats.ts'
import type { Statement } from '../../core/credits/statement.ts'
import { parseCsv, parseDsr } from '../../core/credits/report.ts'
import { contributionsOf, recordContributions } from '../../worker/db/contributions.ts'
import { consumeJobs } from '../../worker/jobs/consumer.ts'
import { shortLicence } from '../support/licence.ts'
import { ADMIN } from '../support/users.ts'
import { ARTIST, FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, login, requestExport } from './http.ts'
import { newListener, playThrough, untilWritten } from './plays.ts'
import { linkOf } from '../support/downloads.ts'

const get = (path: string, cookie?: string) =>
  call(path, { headers: cookie ? { Cookie: cookie } : {} })

const SLUG = 'credit-moons' // a campaign whose licence allows one-second exports
const stem = (id: string) => `${SLUG}-${id}`
const HALF_DB = 20 * Math.log10(0.5)

let fan: string
let artist: string
let admin: string
let otherArtist: string

/** Drums and bass for a second, the bass `bassDb` down. */
function recipeOf(bassDb: number) {
  return {
    version: 2,
    campaign: SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 1,
    tracks: [
      {
        id: 'd',
        stem: stem('drums'),
        regions: [{ id: 'dr', start: 0, offset: 0, duration: 0.1, loops: 10 }],
      },
      {
        id: 'b',
        stem: stem('bass'),
        gainDb: bassDb,
        regions: [{ id: 'br', start: 0, offset: 0, duration: 0.1, loops: 10 }],
      },
    ],
  }
}

/** Exports such a remix and processes it to ready; `meanwhile` runs once the export is queued. */
async function exportReady(title: string, bassDb = 0, meanwhile?: (remix: RemixView) => unknown) {
  const created = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title, recipe: recipeOf(bassDb) }, fan),
  })
  expect(created.status, await created.clone().text()).toBe(201)
  const { remix } = (await created.json()) as { remix: RemixView }
  const res = await requestExport(remix.id, 1, fan)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  await meanwhile?.(remix)
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      const r = await get(`/api/exports/${queued.id}`, fan)
      view = ((await r.json()) as { export: ExportView }).export
      expect(view.status).toBe('ready')
    },
    { timeout: 20_000, interval: 100 },
  )
  return view!
}

const today = () => new Date().toISOString().slice(0, 10)
const statementPath = (query: string) => `/api/campaigns/${SLUG}/statement?${query}`

let even: ExportView
let leaning: ExportView

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  await seedWithMasters({
    ...input,
    users: [...input.users, ADMIN],
    manifest: { ...manifest, slug: SLUG, licence: shortLicence(manifest.licence) },
  })
  fan = await login(FAN.email, FAN.password)
  artist = await login(ARTIST.email, ARTIST.password)
  admin = await login(ADMIN.email, ADMIN.password)
  otherArtist = cookieOf(
    await call('/api/auth/signup', {
      method: 'POST',
      ...json({
        email: 'other-artist@example.test',
        displayName: 'Other Artist',
        password: 'a-strong-pass-9',
        role: 'artist',
      }),
    }),
  )
  even = await exportReady('Even mix')
  leaning = await exportReady('Drums forward', HALF_DB)
  // Four plays heard through by three listeners, counted by the events consumer.
  const listeners = await Promise.all(
    ['192.0.2.11', '192.0.2.12', '192.0.2.13'].map((a) => newListener(even.id, a)),
  )
  for (const l of listeners) expect((await playThrough(even.id, l)).status).toBe(202)
  expect((await playThrough(leaning.id, listeners[0]!)).status).toBe(202)
  await untilWritten(even.id, 'play', 3)
  await untilWritten(leaning.id, 'play', 1)
}, 120_000)

describe('the export job records contributions', () => {
  it('writes each heard stem’s weight, summing to 10 000', async () => {
    expect(await contributionsOf(env.DB, even.id)).toEqual({
      [stem('bass')]: 5000,
      [stem('drums')]: 5000,
    })
    expect(await contributionsOf(env.DB, leaning.id)).toEqual({
      [stem('bass')]: 3333,
      [stem('drums')]: 6667,
    })
  })

  it('writes nothing new when the job runs again', async () => {
    const count = () => env.DB.prepare('SELECT COUNT(*) AS n FROM contributions').first<number>('n')
    const before = await count()
    // A crash after the outputs were stored, before the export was marked ready.
    await env.DB.prepare("UPDATE exports SET status = 'processing' WHERE id = ?1")
      .bind(even.id)
      .run()
    await consumeJobs(
      createMessageBatch('stemfair-jobs', [
        {
          id: 'r1',
          timestamp: new Date(),
          attempts: 2,
          body: { type: 'export', exportId: even.id },
        },
      ]),
      env,
    )
    expect(
      await env.DB.prepare('SELECT status FROM exports WHERE id = ?1')
        .bind(even.id)
        .first('status'),
    ).toBe('ready')
    expect(await count()).toBe(before)
    expect(await recordContributions(env.DB, even.id, { [stem('drums')]: 10_000 })).toBe(0)
    expect(await contributionsOf(env.DB, even.id)).toEqual({
      [stem('bass')]: 5000,
      [stem('drums')]: 5000,
    })
  })
})

describe('campaign splits', () => {
  it('are refused by the database unless every stem’s shares sum to 10 000', async () => {
    const input = await seedInput()
    const bad = structuredClone(manifest.splits)
    bad.stems[0]!.shares[0]!.bps = 6000
    await expect(
      seedWithMasters({ ...input, manifest: { ...manifest, slug: 'bad-splits', splits: bad } }),
    ).rejects.toThrow(/10000 basis points/)
    await expect(
      env.DB.prepare('UPDATE campaigns SET splits = ?2 WHERE slug = ?1')
        .bind(SLUG, JSON.stringify(bad))
        .run(),
    ).rejects.toThrow(/10000 basis points/)
    await expect(
      env.DB.prepare('UPDATE campaigns SET splits = ?2 WHERE slug = ?1')
        .bind(SLUG, JSON.stringify({ ...manifest.splits, fanCreatorBps: 10_001 }))
        .run(),
    ).rejects.toThrow(/10000 basis points/)
  })
})

describe('GET /api/campaigns/:slug/stats', () => {
  it('gives the artist 30 zero-filled days, totals, stem usage and top remixes', async () => {
    for (const cookie of [artist, admin]) {
      const res = await get(`/api/campaigns/${SLUG}/stats`, cookie)
      expect(res.status).toBe(200)
      const { stats } = (await res.json()) as { stats: CampaignStats }
      expect(stats.days).toHaveLength(30)
      expect(stats.days.at(-1)).toEqual({ date: today(), plays: 4, exports: 2, downloads: 0 })
      expect(stats.days.slice(0, -1).every((d) => d.plays + d.exports + d.downloads === 0)).toBe(
        true,
      )
      const dates = stats.days.map((d) => d.date)
      expect([...dates].sort()).toEqual(dates)
      expect(stats.totals).toEqual({
        plays: 4,
        exports: 2,
        downloads: 0,
        heldPlays: 0,
        heldDownloads: 0,
      })
      // (5000 + 6667) / 2 and (5000 + 3333) / 2: a tie on the half, broken by stem id.
      expect(stats.stemUsage.map((s) => [s.stem, s.name, s.bps])).toEqual([
        [stem('drums'), 'Drums', 5833],
        [stem('bass'), 'Bass', 4167],
        [stem('pads'), 'Pads', 0],
        [stem('lead'), 'Lead Synth', 0],
        [stem('vox'), 'Voice', 0],
      ])
      expect(stats.topRemixes).toEqual([
        { exportId: even.id, title: 'Even mix', fan: FAN.displayName, plays: 3 },
        { exportId: leaning.id, title: 'Drums forward', fan: FAN.displayName, plays: 1 },
      ])
    }
  })

  it('401 anonymous, 403 a fan or another artist, 404 an unknown campaign', async () => {
    expect((await get(`/api/campaigns/${SLUG}/stats`)).status).toBe(401)
    expect((await get(`/api/campaigns/${SLUG}/stats`, fan)).status).toBe(403)
    expect((await get(`/api/campaigns/${SLUG}/stats`, otherArtist)).status).toBe(403)
    const missing = await get('/api/campaigns/no-such-campaign/stats', artist)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })
    // The public campaign routes stay public.
    expect((await get(`/api/campaigns/${SLUG}/artwork`)).status).toBe(200)
  })
})

describe('GET /api/campaigns/:slug/statement', () => {
  const query = (format = 'json') =>
    `from=${today()}&to=${today()}&pool=10000&currency=EUR&format=${format}`

  it('divides the pool among the parties to the cent', async () => {
    const res = await get(statementPath(query()), artist)
    expect(res.status).toBe(200)
    const { statement } = (await res.json()) as { statement: Statement }
    expect(statement).toMatchObject({
      campaign: SLUG,
      period: { from: today(), to: today() },
      currency: 'EUR',
      pool: 10_000,
      totalPlays: 4,
    })
    expect(statement.parties.reduce((s, p) => s + p.amount, 0)).toBe(10_000)
    const byName = Object.fromEntries(statement.parties.map((p) => [`${p.kind}:${p.party}`, p]))
    // The fan's cut is 10 % of every play; Mira Vale holds only the voice, which no remix uses.
    expect(byName[`fan-creator:${FAN.displayName}`]!.amount).toBe(1000)
    expect(byName['rights-holder:Mira Vale']!.amount).toBe(0)
    // Drums and bass split 70/30 between the band and the label: 9000 × 0.7 and × 0.3.
    expect(byName['rights-holder:Halcyon Drift']!.amount).toBe(6300)
    expect(byName['rights-holder:Stemfair Demo Records']!.amount).toBe(2700)
    expect(byName['rights-holder:Halcyon Drift']!.topRemixes[0]).toEqual({
      exportId: even.id,
      title: 'Even mix',
      plays: 3,
    })
  })

  it('counts no plays outside the period', async () => {
    const res = await get(
      statementPath('from=2026-01-01&to=2026-01-31&pool=500&currency=USD'),
      admin,
    )
    const { statement } = (await res.json()) as { statement: Statement }
    expect(statement.totalPlays).toBe(0)
    expect(statement.parties.every((p) => p.amount === 0)).toBe(true)
    expect(statement.parties.length).toBeGreaterThan(0)
  })

  it('downloads as CSV and DSR that parse back to the same totals', async () => {
    const { statement } = (await (await get(statementPath(query()), artist)).json()) as {
      statement: Statement
    }
    const csv = await get(statementPath(query('csv')), artist)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('Content-Disposition')).toBe(
      `attachment; filename="statement-${SLUG}-${today()}-${today()}.csv"`,
    )
    const rows = parseCsv(await csv.text())
    const total = rows.at(-1)!
    expect(total[0]).toBe('TOTAL')
    expect(Number(total[5])).toBe(statement.pool)
    expect(rows.slice(1, -1).reduce((s, r) => s + Number(r[5]), 0)).toBe(statement.pool)

    const dsr = await get(statementPath(query('dsr')), artist)
    expect(dsr.status).toBe(200)
    expect(dsr.headers.get('Content-Type')).toMatch(/^text\/tab-separated-values/)
    expect(dsr.headers.get('Content-Disposition')).toMatch(/\.tsv"$/)
    const parsed = parseDsr(await dsr.text())
    expect(parsed.head).toMatchObject({ sender: 'Stemfair', currency: 'EUR', from: today() })
    expect(parsed.foot.amount).toBe(statement.pool)
    expect(parsed.summaries.reduce((s, x) => s + x.amount, 0)).toBe(statement.pool)
    expect(parsed.usages.reduce((s, x) => s + x.amount, 0)).toBe(statement.pool)
    expect(parsed.foot.lines).toBe(parsed.lines)
    expect(parsed.usages.find((u) => u.stem === stem('drums'))!.isrc).toBe('QZSF12600001')
  })

  it('400 for each bad query, with a code and a message', async () => {
    const t = today()
    for (const q of [
      `from=${t}&to=${t}&pool=-1&currency=EUR`,
      `from=${t}&to=${t}&pool=1.5&currency=EUR`,
      `from=${t}&to=${t}&pool=100&currency=XXQ`,
      `from=2026-03-02&to=2026-03-01&pool=100&currency=EUR`,
      `from=2026-02-30&to=2026-03-01&pool=100&currency=EUR`,
      `from=${t}&to=${t}&pool=100&currency=EUR&format=pdf`,
      `to=${t}&pool=100&currency=EUR`,
      `from=${t}&to=${t}&currency=EUR`,
      `from=${t}&to=${t}&pool=100`,
      '',
    ]) {
      const res = await get(statementPath(q), artist)
      expect(res.status, q).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code, q).toMatch(/^(invalid_request|bad_request)$/)
      expect(body.error.message.length, q).toBeGreaterThan(5)
    }
  })

  it('401 anonymous, 403 a fan, 404 an unknown campaign', async () => {
    expect((await get(statementPath(query()))).status).toBe(401)
    expect((await get(statementPath(query()), fan)).status).toBe(403)
    expect((await get(`/api/campaigns/nope/statement?${query()}`, artist)).status).toBe(404)
  })
})

describe('GET /api/me/stats', () => {
  it('shows a fan their remixes’ plays and downloads and the creator shares', async () => {
    const view = (await (await get(`/api/exports/${leaning.id}`, fan)).json()) as {
      export: ExportView
    }
    await (await call(linkOf(view.export.downloads, 'mp3-192'))).arrayBuffer() // the whole file: one download
    await untilWritten(leaning.id, 'download', 1)
    const res = await get('/api/me/stats', fan)
    expect(res.status).toBe(200)
    const stats = (await res.json()) as FanStats
    expect(stats.remixes).toEqual(
      expect.arrayContaining([
        { exportId: even.id, title: 'Even mix', campaign: SLUG, plays: 3, downloads: 0 },
        { exportId: leaning.id, title: 'Drums forward', campaign: SLUG, plays: 1, downloads: 1 },
      ]),
    )
    expect(stats.creatorShares).toEqual([
      { campaign: SLUG, title: manifest.title, fanCreatorBps: 1000 },
    ])
    const none = (await (await get('/api/me/stats', otherArtist)).json()) as FanStats
    expect(none).toEqual({ remixes: [], creatorShares: [] })
    expect((await get('/api/me/stats')).status).toBe(401)
  })
})

// Last: this export would change the numbers the tests above expect.
describe('contributions follow the recipe that was exported', () => {
  it('even when the remix is saved again while the export is processing', async () => {
    const view = await exportReady('Saved meanwhile', 0, async (remix) => {
      const saved = await call(`/api/remixes/${remix.id}`, {
        method: 'PUT',
        ...json({ recipe: recipeOf(-40), version: 1 }, fan),
      })
      expect(saved.status).toBe(200)
    })
    expect(await contributionsOf(env.DB, view.id)).toEqual({
      [stem('bass')]: 5000,
      [stem('drums')]: 5000,
    })
  })
})
