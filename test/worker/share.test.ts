import { env } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView, ShareView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { insertExport } from '../../worker/db/exports.ts'
import type { LedgerRow } from '../../worker/db/events.ts'
import { eventRows } from './events.ts'
import { shortLicence } from '../support/licence.ts'
import { ARTIST, FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, login, requestExport } from './http.ts'
import { countsOf, newListener, playThrough, untilWritten } from './plays.ts'
import { linkOf } from '../support/downloads.ts'

const OPEN = 'open-moons' // shares need no approval
const APPROVAL = 'approved-moons' // the artist approves before a remix is shared

let fan: string
let otherFan: string
let artist: string

/** A remix of drums and bass, one second long, exported and processed to ready. */
async function shared(slug: string) {
  const recipe = {
    version: 2,
    campaign: slug,
    tempo: 100,
    timeSignature: [4, 4],
    length: 1,
    tracks: ['drums', 'bass'].map((stem) => ({
      id: stem,
      stem: `${slug}-${stem}`,
      regions: [{ id: `${stem}-r`, start: 0, offset: 0, duration: 0.1, loops: 10 }],
    })),
  }
  const created = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: slug, title: 'Copper dusk', recipe }, fan),
  })
  const { remix } = (await created.json()) as { remix: RemixView }
  const res = await requestExport(remix.id, 1, fan)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  await vi.waitFor(
    async () => {
      const view = await call(`/api/exports/${queued.id}`, { headers: { Cookie: fan } })
      expect(((await view.json()) as { export: ExportView }).export.status).toBe('ready')
    },
    { timeout: 20_000, interval: 100 },
  )
  return { remix, id: queued.id }
}

const getShare = (id: string, cookie?: string) =>
  call(`/api/share/${id}`, { headers: cookie ? { Cookie: cookie } : {} })

/** Asks for a play ticket, as the share page does when playback starts. */
const ticket = (id: string, cookie?: string) =>
  call(`/api/share/${id}/tickets`, { method: 'POST', headers: cookie ? { Cookie: cookie } : {} })

const plays = (id: string) =>
  eventRows<LedgerRow>("SELECT * FROM ledger_events WHERE export_id = ?1 AND type = 'play'", id)

const setRemixStatus = (id: string, status: RemixView['status']) =>
  env.DB.prepare('UPDATE remixes SET status = ?2 WHERE id = ?1').bind(id, status).run()

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  for (const [slug, approval] of [
    [OPEN, false],
    [APPROVAL, true],
  ] as const)
    await seedWithMasters({
      ...input,
      manifest: { ...manifest, slug, licence: shortLicence(manifest.licence, { approval }) },
    })
  fan = await login(FAN.email, FAN.password)
  artist = await login(ARTIST.email, ARTIST.password)
  const signup = await call('/api/auth/signup', {
    method: 'POST',
    ...json({
      email: 'listener@example.test',
      displayName: 'Listener',
      password: 'a-strong-pass-9',
    }),
  })
  otherFan = cookieOf(signup)
})

describe('GET /api/share/:id', () => {
  it('gives anyone the share page of a ready export', async () => {
    const { id } = await shared(OPEN)
    const res = await getShare(id)
    expect(res.status).toBe(200)
    const { share } = (await res.json()) as { share: ShareView }
    const names = Object.fromEntries(
      manifest.stems.map((s) => [`${OPEN}-${s.id}`, s.name] as const),
    )
    expect(share).toEqual({
      exportId: id,
      title: 'Copper dusk',
      fan: FAN.displayName,
      campaign: { slug: OPEN, title: manifest.title, artist: manifest.artist },
      credits: manifest.credits,
      licenceSummary: describeLicence(shortLicence(manifest.licence), names),
      licenceVersion: manifest.licence.version,
      aiLabel: 'Remix of officially licensed stems, edited by hand: no AI', // no AI actions
      audioUrl: `/api/share/${id}/audio`,
      artworkUrl: null, // the fan made no cover art
      createdAt: expect.any(String),
      artistSuspended: false,
      watermarkNote: null, // the export carries its watermark
    })
  })

  it('answers 451 where the licence does not allow sharing (the demo: not in KP)', async () => {
    const { id } = await shared(OPEN)
    const from = (country: string) =>
      exports.default.fetch(new Request(`http://x/api/share/${id}`, { cf: { country } }))
    const refused = await from('KP')
    expect(refused.status).toBe(451)
    expect(await refused.json()).toEqual({
      error: { code: 'unavailable_in_territory', message: expect.stringMatching(/KP/) },
    })
    expect((await from('FR')).status).toBe(200)
  })

  it('answers 404 for an unknown export and one that is not ready', async () => {
    expect((await getShare('0123456789abcdef')).status).toBe(404)
    const { id } = await shared(OPEN)
    const ready = (await env.DB.prepare('SELECT * FROM exports WHERE id = ?1')
      .bind(id)
      .first<Record<string, string | number>>())!
    await insertExport(env.DB, {
      id: 'aaaaaaaaaaaaaaaa',
      needsApproval: false,
      formats: ['mp3-192', 'wav-16'],
      remixId: String(ready.remix_id),
      remixVersion: 1,
      campaignId: String(ready.campaign_id),
      ownerId: String(ready.owner_id),
      licenceVersion: 1,
      recipeHash: String(ready.recipe_hash),
      recipe: '{}',
      manifest: String(ready.manifest),
      createdAt: new Date().toISOString(),
      idempotencyKey: 'share-test-queued-export',
      limit: null,
    })
    const queued = await getShare('aaaaaaaaaaaaaaaa')
    expect(queued.status).toBe(404)
    expect(await queued.json()).toMatchObject({ error: { code: 'not_found' } })
    expect((await call('/api/share/aaaaaaaaaaaaaaaa/audio')).status).toBe(404)
    expect((await ticket('aaaaaaaaaaaaaaaa')).status).toBe(404)
  })

  it('hides a remix awaiting approval from all but its fan and the artist', async () => {
    const { id } = await shared(APPROVAL)
    expect((await getShare(id)).status).toBe(404)
    expect((await getShare(id, otherFan)).status).toBe(404)
    expect((await call(`/api/share/${id}/audio`)).status).toBe(404)
    expect((await ticket(id)).status).toBe(404)
    const own = await getShare(id, fan)
    expect(own.status).toBe(200)
    expect(own.headers.get('Cache-Control')).toBe('private, no-store')
    expect((await getShare(id, artist)).status).toBe(200)

    // The artist approves this very export: it is public from then on.
    const approved = await call(`/api/artist/exports/${id}/approve`, {
      method: 'POST',
      headers: { Cookie: artist },
    })
    expect(approved.status).toBe(200)
    const open = await getShare(id)
    expect(open.status).toBe(200)
    expect(((await open.json()) as { share: ShareView }).share.licenceSummary.join(' ')).toMatch(
      /approves a remix before it is shared/,
    )
  })

  it('answers 410 once the remix is taken down, downloads included', async () => {
    const { remix, id } = await shared(OPEN)
    const view = await call(`/api/exports/${id}`, { headers: { Cookie: fan } })
    const { downloads } = ((await view.json()) as { export: ExportView }).export
    await setRemixStatus(remix.id, 'taken_down')
    for (const res of [
      await getShare(id),
      await call(`/api/share/${id}/audio`),
      await ticket(id),
      await call(linkOf(downloads, 'mp3-192')),
    ]) {
      expect(res.status).toBe(410)
      expect(await res.json()).toMatchObject({ error: { code: 'gone' } })
    }
  })
})

describe('GET /api/share/:id/audio', () => {
  it('streams the MP3 with byte ranges', async () => {
    const { id } = await shared(OPEN)
    const whole = await call(`/api/share/${id}/audio`)
    expect(whole.status).toBe(200)
    expect(whole.headers.get('Content-Type')).toBe('audio/mpeg')
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes')
    const bytes = new Uint8Array(await whole.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0x49, 0x44, 0x33]) // ID3
    const part = await call(`/api/share/${id}/audio`, { headers: { Range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('Content-Range')).toBe(`bytes 100-199/${bytes.length}`)
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100, 200))
  })
})

describe('POST /api/share/:id/plays', () => {
  it('counts a play heard through once per listener and day', async () => {
    const { id } = await shared(OPEN)
    const one = await newListener(id, '192.0.2.1')
    const first = await playThrough(id, one)
    expect(first.status).toBe(202)
    expect(await first.json()).toEqual({ accepted: true })
    expect((await playThrough(id, one)).status).toBe(202)
    expect((await playThrough(id, await newListener(id, '192.0.2.2'))).status).toBe(202)
    await untilWritten(id, 'play', 2)
    expect((await plays(id)).map((e) => e.listener).sort()).toHaveLength(2)
    expect(await countsOf(id, 'play')).toEqual({ counted: 2, held: 0 })
  }, 90_000)

  it('refuses a malformed body with 400 and counts nothing', async () => {
    const { id } = await shared(OPEN)
    for (const body of [{ listener: 'listener-0001' }, { ticket: '' }, { ticket: 7 }])
      expect((await call(`/api/share/${id}/plays`, { method: 'POST', ...json(body) })).status).toBe(
        400,
      )
    const notJson = await call(`/api/share/${id}/plays`, { method: 'POST', body: 'ticket=x' })
    expect(notJson.status).toBe(400)
    expect(await plays(id)).toEqual([])
  })
})

describe('the embedded player (/embed/:id, an iframe on another site)', () => {
  const SITE = 'https://stemfair.example'
  /** What the iframe's fetches carry: same-origin to us, whatever site embeds the player. */
  const fromEmbed = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    exports.default.fetch(`${SITE}${path}`, {
      ...init,
      headers: {
        'Sec-Fetch-Site': 'same-origin',
        Referer: `${SITE}/embed/x`,
        'CF-Connecting-IP': '192.0.2.77',
        ...init.headers,
      },
    })

  it('counts an embedded play: the listener cookie crosses sites and the redemption is ours', async () => {
    const { id } = await shared(OPEN)
    const page = await fromEmbed(`/api/share/${id}`)
    expect(page.status).toBe(200)
    await page.arrayBuffer()
    const set = page.headers.getSetCookie().find((c) => c.startsWith('sf_listener='))!
    // A Lax cookie is neither stored nor sent in a third-party iframe: this one must be None.
    expect(set).toMatch(/SameSite=None/i)
    expect(set).toMatch(/; Secure/i)
    expect(set).toMatch(/; Partitioned/i)
    const cookie = set.split(';')[0]!
    const post = (path: string, body?: unknown) =>
      fromEmbed(path, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          Origin: SITE,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })

    // A page of the embedding site cannot take a ticket itself: its Origin is foreign.
    const foreign = await fromEmbed(`/api/share/${id}/tickets`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://blog.example', 'Sec-Fetch-Site': 'cross-site' },
    })
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({ error: { code: 'foreign_origin' } })

    const issued = await post(`/api/share/${id}/tickets`)
    expect(issued.status).toBe(201)
    const { ticket, needSeconds } = (await issued.json()) as { ticket: string; needSeconds: number }
    const audio = await fromEmbed(`/api/share/${id}/audio`, { headers: { Cookie: cookie } })
    expect(audio.status).toBe(200)
    await audio.arrayBuffer()
    await new Promise((r) => setTimeout(r, needSeconds * 1000 + 20))
    let redeemed!: Response
    await vi.waitFor(
      async () => {
        redeemed = await post(`/api/share/${id}/plays`, { ticket })
        expect(redeemed.status).not.toBe(409)
      },
      { timeout: 5000, interval: 50 },
    )
    expect(redeemed.status).toBe(202)
    await untilWritten(id, 'play', 1)
    expect(await countsOf(id, 'play')).toEqual({ counted: 1, held: 0 })
  }, 60_000)
})
