import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { AuditEntry, PublicRemix, QueueItem } from '../../core/api/moderation.ts'
import type { LedgerRow } from '../../worker/db/events.ts'
import { recordLedgerEvent } from '../../worker/events/store.ts'
import { eventRows } from './events.ts'
import { REPORT_LIMIT } from '../../worker/routes/share.ts'
import { shortLicence } from '../support/licence.ts'
import { ADMIN, ARTIST_B, seedUser } from '../support/users.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { ARTIST, FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, json, login, requestExport } from './http.ts'
import { listen, newListener, playThrough, redeem, ticketFor, untilWritten } from './plays.ts'
import { linkOf } from '../support/downloads.ts'

const OPEN = 'mod-open' // shares need no approval
const APPROVAL = 'mod-approval' // the artist approves before a remix is shared
const OTHER = 'mod-other' // artist B's campaign, approval required
const VERSIONED = 'mod-versioned' // approval required; its terms change after an export
const BROKEN = 'mod-broken' // approval required, and its masters are missing: exports fail

const LISTENER = seedUser('listener-mod', 'fan')

let fan: string
let listener: string
let artist: string
let artistB: string
let admin: string

const campaignId = (slug: string) => `cmp-${slug}`

// Each test waits for real export jobs; the machine may be busy.
const SLOW = { timeout: 60_000 }

/** A fan's remix of drums and bass, one second long, exported and processed to ready. */
async function exported(slug: string, title = 'Copper dusk') {
  const remix = await saved(slug, title)
  return { remix, id: await exportOf(remix) }
}

/** A fan's saved remix of drums and bass, one second long. */
async function saved(slug: string, title: string): Promise<RemixView> {
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
    ...json({ campaign: slug, title, recipe }, fan),
  })
  expect(created.status).toBe(201)
  return ((await created.json()) as { remix: RemixView }).remix
}

async function exportOf(remix: Pick<RemixView, 'id' | 'version'>): Promise<string> {
  const res = await requestExport(remix.id, remix.version, fan)
  expect(res.status).toBe(202)
  const { export: queued } = (await res.json()) as { export: ExportView }
  await vi.waitFor(
    async () => {
      const view = await call(`/api/exports/${queued.id}`, { headers: { Cookie: fan } })
      expect(((await view.json()) as { export: ExportView }).export.status).toBe('ready')
    },
    { timeout: 20_000, interval: 100 },
  )
  return queued.id
}

const signed = (cookie?: string): RequestInit => ({ headers: cookie ? { Cookie: cookie } : {} })
const post = (path: string, body: unknown, cookie?: string) =>
  call(path, { method: 'POST', ...json(body, cookie) })

const remixOf = async (id: string, cookie = fan) =>
  ((await (await call(`/api/remixes/${id}`, signed(cookie))).json()) as { remix: RemixView }).remix

/** Decisions are on one export (its id), takedowns on a whole remix. */
const approve = (exportId: string, cookie?: string) =>
  call(`/api/artist/exports/${exportId}/approve`, { method: 'POST', ...signed(cookie) })
const reject = (exportId: string, reason: string, cookie?: string) =>
  post(`/api/artist/exports/${exportId}/reject`, { reason }, cookie)
const takedown = (id: string, reason: string, cookie?: string) =>
  post(`/api/artist/remixes/${id}/takedown`, { reason }, cookie)
const report = (exportId: string, reason: string, init: { cookie?: string; ip?: string } = {}) =>
  call(`/api/share/${exportId}/reports`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'CF-Connecting-IP': init.ip ?? '198.51.100.7',
      ...(init.cookie ? { Cookie: init.cookie } : {}),
    },
    body: JSON.stringify({ reason }),
  })

async function queueOf(cookie: string): Promise<QueueItem[]> {
  const res = await call('/api/artist/queue', signed(cookie))
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: QueueItem[] }).items
}

async function auditOf(cookie: string, query = ''): Promise<AuditEntry[]> {
  const res = await call(`/api/artist/audit${query}`, signed(cookie))
  expect(res.status).toBe(200)
  return ((await res.json()) as { entries: AuditEntry[] }).entries
}

async function publicOf(cookie: string, query = ''): Promise<PublicRemix[]> {
  const res = await call(`/api/artist/remixes${query}`, signed(cookie))
  expect(res.status).toBe(200)
  return ((await res.json()) as { remixes: PublicRemix[] }).remixes
}

const ledger = (exportId: string, type: LedgerRow['type']) =>
  eventRows<LedgerRow>(
    'SELECT * FROM ledger_events WHERE export_id = ?1 AND type = ?2',
    exportId,
    type,
  )

const downloadLinks = async (exportId: string) => {
  const view = await call(`/api/exports/${exportId}`, signed(fan))
  return ((await view.json()) as { export: ExportView }).export.downloads!
}

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  for (const [slug, approval, owner] of [
    [OPEN, false, ARTIST],
    [APPROVAL, true, ARTIST],
    [OTHER, true, ARTIST_B],
    [VERSIONED, true, ARTIST],
  ] as const)
    await seedWithMasters({
      ...input,
      owner,
      users: [FAN, ADMIN, LISTENER],
      manifest: { ...manifest, slug, licence: shortLicence(manifest.licence, { approval }) },
    })
  await seedCampaign(env, {
    ...input,
    users: [FAN],
    manifest: {
      ...manifest,
      slug: BROKEN,
      licence: shortLicence(manifest.licence, { approval: true }),
    },
  })
  fan = await login(FAN.email, FAN.password)
  listener = await login(LISTENER.email, LISTENER.password)
  artist = await login(ARTIST.email, ARTIST.password)
  artistB = await login(ARTIST_B.email, ARTIST_B.password)
  admin = await login(ADMIN.email, ADMIN.password)
})

describe('approval', SLOW, () => {
  it('holds an export of an approval-required campaign in the queue until the artist approves it', async () => {
    const { remix, id } = await exported(APPROVAL)
    expect((await remixOf(remix.id)).status).toBe('submitted')
    for (const cookie of [undefined, listener, artistB])
      expect((await call(`/api/share/${id}`, signed(cookie))).status).toBe(404)
    for (const cookie of [fan, artist, admin])
      expect((await call(`/api/share/${id}`, signed(cookie))).status).toBe(200)

    const item = (await queueOf(artist)).find((i) => i.remix.id === remix.id)
    expect(item).toEqual({
      kind: 'approval',
      remix: {
        id: remix.id,
        title: 'Copper dusk',
        fan: FAN.displayName,
        status: 'submitted',
        campaignSlug: APPROVAL,
      },
      exportId: id,
      audioUrl: `/api/share/${id}/audio`,
      recipeSummary: [
        '0:01 long at 100 BPM in 4/4',
        '2 of 5 stems heard: Drums and Bass',
        'No effects',
        'No pitch or speed changes',
        'No AI assistance',
      ],
      licenceCheck: { ok: true, problems: [] },
      reports: [],
    })
    // The artist listens through the share audio, which the public cannot reach yet.
    expect((await call(item!.audioUrl, signed(artist))).status).toBe(200)
    expect((await call(item!.audioUrl)).status).toBe(404)
    expect((await queueOf(admin)).some((i) => i.remix.id === remix.id)).toBe(true)
    expect((await queueOf(artistB)).some((i) => i.remix.id === remix.id)).toBe(false)

    const res = await approve(id, artist)
    expect(res.status).toBe(200)
    const { remix: approved } = (await res.json()) as { remix: RemixView }
    expect(approved.status).toBe('published')
    expect(approved.moderation).toEqual({ action: 'approve', reason: null, at: expect.any(String) })
    expect((await call(`/api/share/${id}`)).status).toBe(200)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)

    const again = await approve(id, artist)
    expect(again.status).toBe(409)
    expect(await again.json()).toEqual({
      error: {
        code: 'conflict',
        message:
          'Only an export waiting for approval can be approved; this one is already approved.',
      },
    })
  })

  it('lets go of a remix whose export failed: it is a draft again, not in the queue', async () => {
    const remix = await saved(BROKEN, 'Missing masters')
    const res = await requestExport(remix.id, remix.version, fan)
    expect(res.status).toBe(202)
    const { export: queued } = (await res.json()) as { export: ExportView }
    await vi.waitFor(
      async () => {
        const view = await call(`/api/exports/${queued.id}`, signed(fan))
        expect(((await view.json()) as { export: ExportView }).export.status).toBe('rejected')
      },
      { timeout: 20_000, interval: 100 },
    )
    expect((await remixOf(remix.id)).status).toBe('draft')
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)
  })

  it('checks a remix against the licence version it was exported under', async () => {
    const { remix } = await exported(VERSIONED)
    const stricter = shortLicence(manifest.licence, { approval: true })
    stricter.version = manifest.licence.version + 1
    stricter.permissions
      .find((p) => p.action === 'remix')!
      .constraints.push({ leftOperand: 'stemCount', operator: 'gteq', rightOperand: 3 })
    await env.DB.prepare('UPDATE campaigns SET licence = ?2 WHERE id = ?1')
      .bind(campaignId(VERSIONED), JSON.stringify(stricter))
      .run()
    const item = (await queueOf(artist)).find((i) => i.remix.id === remix.id)
    expect(item?.licenceCheck).toEqual({ ok: true, problems: [] })
    // The same remix judged by the new terms would not pass: the check reads the old ones.
    await env.DB.prepare('DELETE FROM licence_versions WHERE campaign_id = ?1 AND version = ?2')
      .bind(campaignId(VERSIONED), manifest.licence.version)
      .run()
    const now = (await queueOf(artist)).find((i) => i.remix.id === remix.id)
    expect(now?.licenceCheck.ok).toBe(false)
    expect(now?.licenceCheck.problems.join(' ')).toMatch(/3/)
  })

  it('publishes an export of an open campaign at once', async () => {
    const { remix, id } = await exported(OPEN)
    expect((await remixOf(remix.id)).status).toBe('published')
    expect((await call(`/api/share/${id}`)).status).toBe(200)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)
    expect((await approve(id, artist)).status).toBe(409)
  })

  it('sends a rejected remix back to its fan with the reason; a new export submits it again', async () => {
    const { remix, id } = await exported(APPROVAL, 'Too loud')
    const reason = 'The drums clip at 0:30; please bring them down and export again.'
    const res = await reject(id, reason, artist)
    expect(res.status).toBe(200)
    const mine = await remixOf(remix.id)
    expect(mine.status).toBe('draft')
    expect(mine.moderation).toEqual({ action: 'reject', reason, at: expect.any(String) })
    const list = await call('/api/remixes', signed(fan))
    const listed = ((await list.json()) as { remixes: RemixView[] }).remixes
    expect(listed.find((r) => r.id === remix.id)?.moderation?.reason).toBe(reason)
    expect((await call(`/api/share/${id}`)).status).toBe(404)
    expect((await approve(id, artist)).status).toBe(409)
    expect((await reject(id, reason, artist)).status).toBe(409)

    const second = await exportOf(mine)
    expect((await remixOf(remix.id)).status).toBe('submitted')
    const item = (await queueOf(artist)).find((i) => i.remix.id === remix.id)
    expect(item?.exportId).toBe(second)
    expect((await approve(second, artist)).status).toBe(200)
    expect((await call(`/api/share/${second}`)).status).toBe(200)
    // The rejected first export stays private: approving the second says nothing about it.
    expect((await call(`/api/share/${id}`)).status).toBe(404)
  })

  it('keeps the approval order: each export is heard and decided on its own', async () => {
    // The fan exports the voice alone, then an honest mix of the same remix.
    const { remix, id: first } = await exported(APPROVAL, 'Two takes')
    const second = await exportOf(await remixOf(remix.id))
    const items = (await queueOf(artist)).filter((i) => i.remix.id === remix.id)
    expect(items.map((i) => [i.kind, i.exportId, i.audioUrl])).toEqual([
      ['approval', first, `/api/share/${first}/audio`],
      ['approval', second, `/api/share/${second}/audio`],
    ])

    // The artist hears and approves the second: only the second goes public.
    const res = await approve(second, artist)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { export: ExportView; remix: RemixView }
    expect(body.export).toMatchObject({ id: second, approval: 'approved', approvalReason: null })
    expect(body.remix.status).toBe('published')
    for (const path of ['', '/audio']) {
      expect((await call(`/api/share/${second}${path}`)).status).toBe(200)
      expect((await call(`/api/share/${first}${path}`)).status).toBe(404)
      expect((await call(`/api/share/${first}${path}`, signed(artist))).status).toBe(200)
    }
    const listed = await call(`/api/campaigns/${APPROVAL}/remixes`)
    const exportIds = ((await listed.json()) as { remixes: { exportId: string }[] }).remixes.map(
      (r) => r.exportId,
    )
    expect(exportIds).toContain(second)
    expect(exportIds).not.toContain(first)
    // The fan may download both files, but only the approved one's download counts.
    for (const exportId of [first, second]) {
      const got = await call(linkOf(await downloadLinks(exportId), 'mp3-192'))
      expect(got.status).toBe(200)
      await got.arrayBuffer()
    }
    await untilWritten(second, 'download', 1)
    expect(await ledger(first, 'download')).toEqual([])
    expect((await publicOf(artist)).find((r) => r.remixId === remix.id)?.exportId).toBe(second)
    expect(
      (await queueOf(artist)).filter((i) => i.remix.id === remix.id).map((i) => i.exportId),
    ).toEqual([first])
    const fanView = async (exportId: string) =>
      (
        (await (await call(`/api/exports/${exportId}`, signed(fan))).json()) as {
          export: ExportView
        }
      ).export
    expect(await fanView(first)).toMatchObject({ approval: 'pending', approvalReason: null })
    const statusNow = async (exportId: string) =>
      ((await (await call(`/api/manifests/${exportId}`)).json()) as { status: string }).status
    expect(await statusNow(first)).toBe('awaiting_approval')
    expect(await statusNow(second)).toBe('ready')

    // Rejecting the first tells the fan why, for that export; the second stays public.
    const reason = 'The voice alone is not a remix.'
    expect((await reject(first, reason, artist)).status).toBe(200)
    expect(await fanView(first)).toMatchObject({ approval: 'rejected', approvalReason: reason })
    expect(await statusNow(first)).toBe('not_approved')
    expect(await fanView(second)).toMatchObject({ approval: 'approved', approvalReason: null })
    expect((await call(`/api/share/${first}`)).status).toBe(404)
    expect((await call(`/api/share/${second}`)).status).toBe(200)
    expect((await remixOf(remix.id)).status).toBe('published')
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)

    // The log names each export its decision was about.
    const decided = (await auditOf(artist))
      .filter((e) => e.remixId === remix.id && e.action !== 'submit')
      .map((e) => [e.action, e.exportId])
    expect(decided).toEqual([
      ['reject', first],
      ['approve', second],
    ])

    // A newer take waits for the artist: My remixes still links the public one.
    const third = await exportOf(await remixOf(remix.id))
    const mine = (await (await call('/api/remixes', signed(fan))).json()) as {
      remixes: { id: string; shareUrl: string | null; latestExport: { id: string } | null }[]
    }
    const listedMine = mine.remixes.find((r) => r.id === remix.id)
    expect(listedMine?.latestExport?.id).toBe(third)
    expect(listedMine?.shareUrl).toBe(`/r/${second}`)
  })

  it('lets exactly one of concurrent decisions on one export win; a replay changes nothing', async () => {
    const { remix, id } = await exported(APPROVAL, 'Contested')
    const answers = await Promise.all([
      approve(id, artist),
      reject(id, 'Not this one.', admin),
      approve(id, admin),
      reject(id, 'Nor this one.', artist),
    ])
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(3)
    const decisions = async () =>
      (await auditOf(artist)).filter(
        (e) => e.exportId === id && (e.action === 'approve' || e.action === 'reject'),
      )
    const [won] = await decisions()
    expect(await decisions()).toHaveLength(1)
    const view = (await (await call(`/api/exports/${id}`, signed(fan))).json()) as {
      export: ExportView
    }
    expect(view.export.approval).toBe(won!.action === 'approve' ? 'approved' : 'rejected')
    expect((await remixOf(remix.id)).status).toBe(won!.action === 'approve' ? 'published' : 'draft')

    for (const replay of [approve(id, artist), reject(id, 'Again.', artist)])
      expect((await replay).status).toBe(409)
    expect(await decisions()).toHaveLength(1)
  })

  it('refuses a rejection without a reason, or with one too long', async () => {
    const { remix, id } = await exported(APPROVAL)
    for (const body of [{}, { reason: '' }, { reason: ' no ' }, { reason: 'x'.repeat(501) }]) {
      const res = await post(`/api/artist/exports/${id}/reject`, body, artist)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } })
    }
    const notJson = await call(`/api/artist/exports/${id}/reject`, {
      method: 'POST',
      headers: { Cookie: artist },
      body: 'reason=no',
    })
    expect(notJson.status).toBe(400)
    expect((await remixOf(remix.id)).status).toBe('submitted')
  })
})

describe('takedown', SLOW, () => {
  it('stops the share page, the HTML page, the audio, downloads and play counting at once', async () => {
    const { remix, id } = await exported(OPEN)
    const links = await downloadLinks(id)
    const listener = await newListener(id, '192.0.2.21')
    expect((await playThrough(id, listener)).status).toBe(202)
    await untilWritten(id, 'play', 1)
    // A ticket issued before the takedown, heard through, redeemed after it.
    const lateListener = await newListener(id, '192.0.2.22')
    const { ticket } = await ticketFor(id, lateListener)
    await listen(id, lateListener)
    const download = await call(linkOf(links, 'mp3-192'))
    expect(download.status).toBe(200)
    await download.arrayBuffer() // the whole file: one download
    await untilWritten(id, 'download', 1)

    const reason = 'Uses a sample the label does not control.'
    const res = await takedown(remix.id, reason, artist)
    expect(res.status).toBe(200)
    const { remix: down } = (await res.json()) as { remix: RemixView }
    expect(down.status).toBe('taken_down')
    expect(down.moderation).toEqual({ action: 'takedown', reason, at: expect.any(String) })
    expect((await remixOf(remix.id)).moderation?.reason).toBe(reason)

    for (const res of [
      await call(`/api/share/${id}`),
      await call(`/api/share/${id}`, signed(fan)),
      await call(`/api/share/${id}/audio`),
      await call(`/api/share/${id}/tickets`, { method: 'POST' }),
      await call(linkOf(links, 'mp3-192')),
      await call(linkOf(links, 'wav-16')),
    ]) {
      expect(res.status).toBe(410)
      expect(await res.json()).toMatchObject({ error: { code: 'gone' } })
    }
    const page = await call(`/r/${id}`)
    expect(page.status).toBe(410)
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/)
    const html = await page.text()
    expect(html).toContain('This remix was taken down')
    expect(html).not.toContain('Copper dusk')

    // The ticket issued before is accepted but its play is not written (nor any after).
    await new Promise((r) => setTimeout(r, 1100))
    expect((await redeem(id, lateListener, ticket)).status).toBe(202)
    await new Promise((r) => setTimeout(r, 2500))
    // Only what happened before the takedown is in the ledger: the consumer checks takedowns first.
    expect((await ledger(id, 'play')).map((e) => e.listener)).toEqual([expect.any(String)])
    expect(await ledger(id, 'download')).toHaveLength(1)
    const late = await recordLedgerEvent(env, {
      id: `play:${id}:listener-0003`,
      type: 'play',
      exportId: id,
      remixId: remix.id,
      campaignId: campaignId(OPEN),
      occurredAt: new Date().toISOString(),
    })
    expect(late).toBe(false)
    expect(await ledger(id, 'play')).toHaveLength(1)
    expect(await ledger(id, 'export')).toHaveLength(1)

    // The fan cannot export it again.
    const reexport = await requestExport(remix.id, 1, fan)
    expect(reexport.status).toBe(403)
  })

  it('is idempotent: a second takedown answers the same remix and logs nothing', async () => {
    const { remix } = await exported(OPEN)
    expect((await takedown(remix.id, 'First reason.', artist)).status).toBe(200)
    const logged = (await auditOf(artist)).filter((e) => e.remixId === remix.id)
    const again = await takedown(remix.id, 'Second reason.', admin)
    expect(again.status).toBe(200)
    const { remix: same } = (await again.json()) as { remix: RemixView }
    expect(same.moderation?.reason).toBe('First reason.')
    expect((await auditOf(artist)).filter((e) => e.remixId === remix.id)).toEqual(logged)
  })

  it('takes down a remix still waiting for approval, but not a draft', async () => {
    const { remix, id } = await exported(APPROVAL)
    expect((await takedown(remix.id, 'Hateful title.', artist)).status).toBe(200)
    expect((await approve(id, artist)).status).toBe(409)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)

    const created = await call('/api/remixes', {
      method: 'POST',
      ...json(
        {
          campaign: OPEN,
          title: 'Unexported',
          recipe: {
            version: 2,
            campaign: OPEN,
            tempo: 100,
            timeSignature: [4, 4],
            length: 1,
            tracks: [],
          },
        },
        fan,
      ),
    })
    const { remix: draft } = (await created.json()) as { remix: RemixView }
    const res = await takedown(draft.id, 'Nothing to take down.', artist)
    expect(res.status).toBe(409)
    expect((await remixOf(draft.id)).status).toBe('draft')
  })
})

describe('public remixes', SLOW, () => {
  it('lists an export of an open campaign as published at once, and takes it down from there', async () => {
    const { remix, id } = await exported(OPEN, 'Open air')
    // Nothing was logged and nobody reported it: the list reads the remixes themselves.
    expect((await auditOf(artist)).some((e) => e.remixId === remix.id)).toBe(false)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)
    const listed = await publicOf(artist, `?campaign=${campaignId(OPEN)}`)
    expect(listed.find((r) => r.remixId === remix.id)).toEqual({
      remixId: remix.id,
      title: 'Open air',
      fan: FAN.displayName,
      status: 'published',
      openReports: 0,
      campaignId: campaignId(OPEN),
      campaignSlug: OPEN,
      exportId: id,
      exportedAt: expect.any(String),
    })
    expect(listed.every((r) => r.campaignId === campaignId(OPEN))).toBe(true)
    expect((await call(`/api/share/${id}/audio`)).status).toBe(200)

    // Exported again: the newest ready export is the one listed, first.
    const newer = await exportOf(await remixOf(remix.id))
    const all = await publicOf(artist)
    expect(all.filter((r) => r.remixId === remix.id).map((r) => r.exportId)).toEqual([newer])
    expect(all[0]!.remixId).toBe(remix.id)
    const times = all.map((r) => r.exportedAt)
    expect([...times].sort().reverse()).toEqual(times)

    // Reported, it stays listed with its open report; taken down, it stays listed as down.
    expect((await report(newer, 'Sounds like my track.', { ip: '198.51.100.21' })).status).toBe(201)
    expect((await publicOf(artist)).find((r) => r.remixId === remix.id)?.openReports).toBe(1)
    const res = await takedown(remix.id, 'Not within the terms.', artist)
    expect(res.status).toBe(200)
    expect((await publicOf(artist)).find((r) => r.remixId === remix.id)).toMatchObject({
      status: 'taken_down',
      openReports: 0,
      exportId: newer,
    })
    expect((await call(`/api/share/${newer}`)).status).toBe(410)
  })

  it('leaves out remixes waiting for approval and drafts until they are public', async () => {
    const { remix, id } = await exported(APPROVAL, 'Held back')
    expect((await publicOf(artist)).some((r) => r.remixId === remix.id)).toBe(false)
    expect((await approve(id, artist)).status).toBe(200)
    expect((await publicOf(artist)).find((r) => r.remixId === remix.id)).toMatchObject({
      status: 'published',
      exportId: id,
    })
    const rejected = await exported(APPROVAL, 'Sent back')
    expect((await reject(rejected.id, 'Not this one.', artist)).status).toBe(200)
    expect((await publicOf(artist)).some((r) => r.remixId === rejected.remix.id)).toBe(false)
  })

  it('answers each artist about their own campaigns, an admin about all', async () => {
    const mine = await exported(OPEN, 'Artist A only')
    const theirs = await exported(OTHER, 'Artist B only')
    expect((await approve(theirs.id, artistB)).status).toBe(200)

    expect((await call('/api/artist/remixes')).status).toBe(401)
    for (const query of ['', `?campaign=${campaignId(OPEN)}`]) {
      const denied = await call(`/api/artist/remixes${query}`, signed(fan))
      expect(denied.status).toBe(403)
      expect(await denied.json()).toMatchObject({ error: { code: 'forbidden' } })
    }
    const foreign = await call(`/api/artist/remixes?campaign=${campaignId(OPEN)}`, signed(artistB))
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden' } })
    expect((await call('/api/artist/remixes?campaign=cmp-nope', signed(artist))).status).toBe(404)
    expect((await call('/api/artist/remixes?campaign=', signed(artist))).status).toBe(400)

    const ofB = await publicOf(artistB)
    expect(ofB.map((r) => r.remixId)).toContain(theirs.remix.id)
    expect(ofB.every((r) => r.campaignId === campaignId(OTHER))).toBe(true)
    const ofA = await publicOf(artist)
    expect(ofA.map((r) => r.remixId)).toContain(mine.remix.id)
    expect(ofA.some((r) => r.remixId === theirs.remix.id)).toBe(false)
    const ofAdmin = (await publicOf(admin)).map((r) => r.remixId)
    expect(ofAdmin).toEqual(expect.arrayContaining([mine.remix.id, theirs.remix.id]))
    expect(
      (await publicOf(admin, `?campaign=${campaignId(OTHER)}`)).map((r) => r.remixId),
    ).toContain(theirs.remix.id)
  })
})

describe('reports', SLOW, () => {
  it('takes a report from anyone who can see the remix and puts it in the artist queue', async () => {
    const { remix, id } = await exported(OPEN)
    const anonymous = await report(id, 'Contains a slur at 0:12.', { ip: '198.51.100.1' })
    expect(anonymous.status).toBe(201)
    const first = ((await anonymous.json()) as { report: { id: string } }).report.id
    const signedIn = await report(id, 'Not their work.', { cookie: listener, ip: '198.51.100.2' })
    expect(signedIn.status).toBe(201)

    const item = (await queueOf(artist)).find((i) => i.remix.id === remix.id)
    expect(item?.kind).toBe('report')
    expect(item?.remix.status).toBe('published')
    expect(item?.reports.map((r) => r.reason)).toEqual([
      'Contains a slur at 0:12.',
      'Not their work.',
    ])
    expect(item?.reports[0]).toEqual({
      id: first,
      reason: 'Contains a slur at 0:12.',
      at: expect.any(String),
    })
    expect((await queueOf(artistB)).some((i) => i.remix.id === remix.id)).toBe(false)

    const entries = (await auditOf(artist)).filter((e) => e.remixId === remix.id)
    expect(entries.map((e) => [e.action, e.actor.name, e.reason])).toEqual([
      ['report', LISTENER.displayName, 'Not their work.'],
      ['report', 'anonymous', 'Contains a slur at 0:12.'],
    ])
    expect(entries[1]!.actor.id).toBeNull()

    // A takedown deals with every open report.
    expect((await takedown(remix.id, 'Upheld the report.', artist)).status).toBe(200)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)
    expect((await report(id, 'Still there?', { ip: '198.51.100.3' })).status).toBe(410)
  })

  it('lets the artist dismiss a report, once', async () => {
    const { remix, id } = await exported(OPEN)
    const res = await report(id, 'I just do not like it.', { ip: '198.51.100.4' })
    const { report: made } = (await res.json()) as { report: { id: string } }
    expect((await post(`/api/artist/reports/${made.id}/dismiss`, {}, artistB)).status).toBe(403)
    expect((await post(`/api/artist/reports/${made.id}/dismiss`, {}, fan)).status).toBe(403)
    expect((await post(`/api/artist/reports/${made.id}/dismiss`, {})).status).toBe(401)
    expect((await post('/api/artist/reports/no-such-report/dismiss', {}, artist)).status).toBe(404)
    const dismissed = await post(
      `/api/artist/reports/${made.id}/dismiss`,
      { reason: 'A matter of taste.' },
      artist,
    )
    expect(dismissed.status).toBe(200)
    expect((await queueOf(artist)).some((i) => i.remix.id === remix.id)).toBe(false)
    expect((await post(`/api/artist/reports/${made.id}/dismiss`, {}, artist)).status).toBe(409)
    const [last] = (await auditOf(artist)).filter((e) => e.remixId === remix.id)
    expect(last).toMatchObject({ action: 'dismiss', reason: 'A matter of taste.' })
    expect((await remixOf(remix.id)).status).toBe('published')
  })

  it('refuses a bad reason, an unknown remix and one the reporter cannot see', async () => {
    const { id } = await exported(OPEN)
    for (const reason of ['no', '  ', 'x'.repeat(501)])
      expect((await report(id, reason, { ip: '198.51.100.5' })).status).toBe(400)
    expect((await report('0123456789abcdef', 'Who is this?', { ip: '198.51.100.5' })).status).toBe(
      404,
    )
    const gated = await exported(APPROVAL)
    expect((await report(gated.id, 'Cannot even hear it.', { ip: '198.51.100.5' })).status).toBe(
      404,
    )
    const count = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM reports WHERE export_id IN (?1, ?2)',
    )
      .bind(id, gated.id)
      .first<number>('n')
    expect(count).toBe(0)
  })
})

describe('report rate limit', SLOW, () => {
  it(`refuses more than ${REPORT_LIMIT.limit} reports an hour from one address with 429`, async () => {
    const { id } = await exported(OPEN)
    const windowOf = () => {
      const now = Math.floor(Date.now() / 1000)
      return now - (now % REPORT_LIMIT.windowSeconds)
    }
    let accepted = 0
    // A fixed window: try again in the next one if this run straddled its end.
    for (let attempt = 0; ; attempt++) {
      const ip = `203.0.113.${attempt + 1}`
      const window = windowOf()
      const statuses: number[] = []
      for (let i = 0; i <= REPORT_LIMIT.limit; i++)
        statuses.push((await report(id, `Report number ${i}.`, { ip })).status)
      accepted += statuses.filter((status) => status === 201).length
      if (windowOf() !== window && attempt < 3) continue
      expect(statuses).toEqual([...Array<number>(REPORT_LIMIT.limit).fill(201), 429])
      const refused = await report(id, 'One more.', { ip })
      expect(refused.status).toBe(429)
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } })
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
      break
    }
    // Other addresses are not held back.
    expect((await report(id, 'From elsewhere.', { ip: '203.0.113.200' })).status).toBe(201)
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n FROM reports WHERE export_id = ?1')
      .bind(id)
      .first<number>('n')
    expect(stored).toBe(accepted + 1) // refused reports left nothing behind
  })
})

describe('audit log', SLOW, () => {
  it('records who did what, when and why, newest first, for the artist’s own campaigns', async () => {
    const { remix, id } = await exported(APPROVAL)
    await reject(id, 'Fix the intro.', artist)
    const second = await exportOf(await remixOf(remix.id))
    await approve(second, admin)
    await takedown(remix.id, 'Changed our mind.', artist)
    const entries = (await auditOf(artist, `?campaign=${campaignId(APPROVAL)}`)).filter(
      (e) => e.remixId === remix.id,
    )
    expect(entries.map((e) => [e.action, e.actor.name, e.reason])).toEqual([
      ['takedown', ARTIST.displayName, 'Changed our mind.'],
      ['approve', ADMIN.displayName, null],
      ['submit', FAN.displayName, null],
      ['reject', ARTIST.displayName, 'Fix the intro.'],
      ['submit', FAN.displayName, null],
    ])
    expect(entries.at(-1)).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      actor: { id: expect.any(String), name: FAN.displayName },
      action: 'submit',
      campaignId: campaignId(APPROVAL),
      remixId: remix.id,
      exportId: id,
      reason: null,
    })
    const times = entries.map((e) => e.at)
    expect([...times].sort().reverse()).toEqual(times)

    expect((await auditOf(artistB)).some((e) => e.remixId === remix.id)).toBe(false)
    expect((await auditOf(admin)).some((e) => e.remixId === remix.id)).toBe(true)
    const foreign = await call(
      `/api/artist/audit?campaign=${campaignId(APPROVAL)}`,
      signed(artistB),
    )
    expect(foreign.status).toBe(403)
    expect((await call('/api/artist/audit?campaign=cmp-nope', signed(artist))).status).toBe(404)
  })

  it('is append-only: the database refuses to change or remove an entry', async () => {
    const { remix, id } = await exported(APPROVAL)
    await approve(id, artist)
    await expect(
      env.DB.prepare("UPDATE moderation_log SET reason = 'edited' WHERE remix_id = ?1")
        .bind(remix.id)
        .run(),
    ).rejects.toThrow(/append-only/)
    await expect(
      env.DB.prepare('DELETE FROM moderation_log WHERE remix_id = ?1').bind(remix.id).run(),
    ).rejects.toThrow(/append-only/)
  })
})

describe('access', SLOW, () => {
  it('answers 401 to strangers, 403 to fans and other artists, 404 for unknown remixes', async () => {
    const { remix, id } = await exported(APPROVAL)
    const theirs = await exported(OTHER)
    const routes = (ids: { remixId: string; exportId: string }) => [
      (cookie?: string) => approve(ids.exportId, cookie),
      (cookie?: string) => reject(ids.exportId, 'A reason.', cookie),
      (cookie?: string) => takedown(ids.remixId, 'A reason.', cookie),
    ]
    for (const route of routes({ remixId: remix.id, exportId: id })) {
      expect((await route()).status).toBe(401)
      expect((await route(fan)).status).toBe(403)
      expect((await route(artistB)).status).toBe(403)
    }
    for (const route of routes({ remixId: theirs.remix.id, exportId: theirs.id }))
      expect((await route(artist)).status).toBe(403)
    for (const route of routes({ remixId: 'no-such-remix', exportId: 'no-such-export' }))
      expect((await route(artist)).status).toBe(404)
    for (const path of ['/api/artist/queue', '/api/artist/remixes', '/api/artist/audit']) {
      expect((await call(path)).status).toBe(401)
      const denied = await call(path, signed(fan))
      expect(denied.status).toBe(403)
      expect(await denied.json()).toMatchObject({ error: { code: 'forbidden' } })
    }
    expect((await remixOf(remix.id)).status).toBe('submitted')
    expect((await remixOf(theirs.remix.id)).status).toBe('submitted')

    // Artist B moderates their own; an admin moderates anyone's.
    expect((await approve(theirs.id, artistB)).status).toBe(200)
    expect((await approve(id, admin)).status).toBe(200)
  })
})
