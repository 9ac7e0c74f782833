import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AuthorCampaign } from '../../core/api/authoring.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import {
  RIGHTS_STATEMENT,
  type ArtistVerificationView,
  type ConsentLogEntry,
  type StemMatchView,
  type VerificationCase,
  type VerificationQueueItem,
} from '../../core/consent/verification.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { ADMIN, seedUser } from '../support/users.ts'
import { completeDraft, ok, path, refused, send } from './author-fixture.ts'
import { ARTIST, FAN, manifest, seed, seedInput } from './fixture.ts'
import { call, cookieOf, json, login, requestExport } from './http.ts'

// A verified artist with a live campaign of their own, to suspend.
const LABEL = seedUser('label', 'artist', { displayName: 'Copper Records' })
const LABEL_SLUG = 'label-moons'

let fan: string
let demoArtist: string
let admin: string
let label: string

async function signUpArtist(name: string): Promise<{ cookie: string; id: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}@example.test`
  const res = await call('/api/auth/signup', {
    method: 'POST',
    ...json({ email, displayName: name, password: 'stranger-pass-1', role: 'artist' }),
  })
  const body = (await res.clone().json()) as { user: { id: string } }
  expect(res.status).toBe(201)
  return { cookie: cookieOf(res), id: body.user.id }
}

/** Evidence that validates, for an artist whose legal name is `legalName`. */
function evidence(legalName = 'Jo Stranger') {
  return {
    legalName,
    artistName: 'Stranger Tides',
    contactName: 'Tidal Distribution Ltd',
    contactEmail: 'Rights@Tidal.example',
    isni: '0000 0001 2345 6789',
    ipi: '00123456789',
    isrcs: ['GB-AYE-26-00001', 'GBAYE2600002'],
    links: ['https://stranger-tides.example/releases'],
    statement: { name: legalName, text: RIGHTS_STATEMENT, accepted: true },
  }
}

const verificationOf = async (cookie: string) =>
  (
    await ok<{ verification: ArtistVerificationView }>(
      send('GET', '/api/artist/verification', undefined, cookie),
    )
  ).verification

const submit = (cookie: string, body: unknown = evidence()) =>
  send('POST', '/api/artist/verification', body, cookie)

const caseOf = async (userId: string) =>
  (
    await ok<{ case: VerificationCase }>(
      send('GET', `/api/admin/artists/${userId}`, undefined, admin),
    )
  ).case

async function insertMatch(stemId: string, demoStem = 'vox') {
  await env.DB.prepare(
    `INSERT INTO stem_matches (stem_id, matched_stem_id, matched_campaign_id, stem_start, stem_end,
       matched_start, matched_end, strength, created_at)
     VALUES (?1, ?2, ?3, 0, 78.4, 12.2, 90.6, 0.62, ?4)`,
  )
    .bind(stemId, `${manifest.slug}-${demoStem}`, `cmp-${manifest.slug}`, new Date().toISOString())
    .run()
}

async function consentTables() {
  const read = async (sql: string) => (await env.DB.prepare(sql).all()).results
  return {
    log: await read('SELECT * FROM consent_log ORDER BY rowid'),
    requests: await read('SELECT * FROM verification_requests ORDER BY rowid'),
    users: await read('SELECT id, role, verification, suspended_at FROM users ORDER BY id'),
    matches: await read('SELECT * FROM stem_matches ORDER BY stem_id, matched_stem_id'),
    campaigns: await read('SELECT id, status FROM campaigns ORDER BY id'),
  }
}

beforeAll(async () => {
  await seed()
  const input = await seedInput()
  await seedCampaign(env, {
    ...input,
    owner: LABEL,
    users: [ADMIN],
    manifest: { ...manifest, slug: LABEL_SLUG },
  })
  fan = await login(FAN.email, FAN.password)
  demoArtist = await login(ARTIST.email, ARTIST.password)
  admin = await login(ADMIN.email, ADMIN.password)
  label = await login(LABEL.email, LABEL.password)
}, 60_000)

describe('sign-up', () => {
  it('nobody signs up as an admin: 400 and no account', async () => {
    const body = {
      email: 'sneaky@example.test',
      displayName: 'Sneaky',
      password: 'sneaky-pass-1',
      role: 'admin',
    }
    const error = await refused(send('POST', '/api/auth/signup', body), 400, 'invalid_request')
    expect(error.message).toMatch(/^role: /)
    const row = await env.DB.prepare('SELECT 1 FROM users WHERE email = ?1')
      .bind(body.email)
      .first()
    expect(row).toBeNull()
  })

  it('an artist signs up unverified, with nothing submitted', async () => {
    const { cookie } = await signUpArtist('Fresh Artist')
    expect(await verificationOf(cookie)).toEqual({
      state: 'none',
      suspended: false,
      reason: null,
      request: null,
      history: [],
    })
  })

  it('the seeded demo artist is verified, and the log says the seed did it', async () => {
    const v = await verificationOf(demoArtist)
    expect(v.state).toBe('verified')
    expect(v.history.map((e) => [e.action, e.actorName])).toEqual([
      ['seed_verified', 'seed (local demo)'],
    ])
  })
})

describe('verification evidence', () => {
  it('400 by field for each thing that does not validate, and nothing is stored', async () => {
    const { cookie } = await signUpArtist('Bad Input')
    const before = await consentTables()
    const bad = {
      ...evidence(),
      legalName: '  ',
      contactEmail: 'not-an-email',
      isni: '1234',
      ipi: '12-34',
      isrcs: ['GBAYE2600001', 'nope'],
      links: ['ftp://files.example/x'],
      statement: { name: 'Someone Else', text: 'I promise.', accepted: false },
    }
    const res = await submit(cookie, bad)
    const body = (await res.json()) as {
      error: { code: string; issues: { path: (string | number)[]; message: string }[] }
    }
    expect(res.status).toBe(400)
    expect(body.error.code).toBe('invalid_request')
    const fields = body.error.issues.map((i) => i.path.join('.'))
    expect(fields).toEqual(
      expect.arrayContaining([
        'legalName',
        'contactEmail',
        'isni',
        'ipi',
        'isrcs.1',
        'links.0',
        'statement.text',
        'statement.accepted',
      ]),
    )
    expect(body.error.issues.find((i) => i.path.join('.') === 'isni')?.message).toMatch(/ISNI/)
    expect(body.error.issues.find((i) => i.path.join('.') === 'ipi')?.message).toMatch(/IPI/)
    // A typed signature must be the legal name given above.
    const unsigned = await submit(cookie, {
      ...evidence(),
      statement: { ...evidence().statement, name: 'Someone Else' },
    })
    expect(unsigned.status).toBe(400)
    const issues = ((await unsigned.json()) as typeof body).error.issues
    expect(issues.map((i) => i.path.join('.'))).toEqual(['statement.name'])
    // No links at all is missing evidence too.
    const noLinks = await submit(cookie, { ...evidence(), links: [] })
    expect(
      ((await noLinks.json()) as typeof body).error.issues.map((i) => i.path.join('.')),
    ).toEqual(['links'])
    expect(await consentTables()).toEqual(before)
    expect((await verificationOf(cookie)).state).toBe('none')
  })

  it('stores what was signed, normalised: codes without spaces or hyphens, the server’s time', async () => {
    const { cookie } = await signUpArtist('Normal Form')
    const t0 = Date.now()
    const v = (
      await ok<{ verification: ArtistVerificationView }>(
        submit(cookie, evidence('Normal Form')),
        201,
      )
    ).verification
    expect(v.state).toBe('pending')
    expect(v.request).toMatchObject({
      legalName: 'Normal Form',
      contactEmail: 'rights@tidal.example',
      isni: '0000000123456789',
      ipi: '00123456789',
      isrcs: ['GBAYE2600001', 'GBAYE2600002'],
      statement: { name: 'Normal Form', text: RIGHTS_STATEMENT },
    })
    expect(Date.parse(v.request!.statement.signedAt)).toBeGreaterThanOrEqual(t0 - 1000)
    expect(v.history.map((e) => e.action)).toEqual(['submit'])
  })
})

describe('the verification flow', () => {
  it('unverified → pending → more info → pending → refused → pending → verified, publishing gated all along', async () => {
    const stranger = await signUpArtist('Jo Stranger')
    const { draft } = await completeDraft('stranger-tides', stranger.cookie)
    const publish = () => send('POST', path(draft, '/publish'), undefined, stranger.cookie)
    const codesOf = async () => {
      const error = (await refused(publish(), 422, 'incomplete')) as unknown as {
        missing: string[]
        reasons: { code: string; message: string }[]
      }
      expect(error.missing).toEqual(error.reasons.map((r) => r.message))
      return error.reasons.map((r) => r.code)
    }

    // Complete but unverified: the draft says so, and publishing answers 422 naming it.
    const view = (
      await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft), undefined, stranger.cookie))
    ).campaign
    expect(view.missing).toEqual([])
    expect(view.blocks.map((b) => b.code)).toEqual(['unverified'])
    expect(await codesOf()).toEqual(['unverified'])

    await ok(submit(stranger.cookie), 201)
    expect(await codesOf()).toEqual(['verification_pending'])
    // A second submission while one is pending is refused and changes nothing.
    const before = await consentTables()
    await refused(submit(stranger.cookie), 409, 'conflict')
    expect(await consentTables()).toEqual(before)

    // The admin queue lists the request with its evidence.
    const queue = (
      await ok<{ queue: VerificationQueueItem[] }>(
        send('GET', '/api/admin/verifications', undefined, admin),
      )
    ).queue
    const item = queue.find((q) => q.artist.id === stranger.id)!
    expect(item.artist.state).toBe('pending')
    expect(item.request?.artistName).toBe('Stranger Tides')
    const requestId = item.request!.id

    // More information, with a reason the artist reads.
    await refused(
      send('POST', `/api/admin/verifications/${requestId}/more-info`, { reason: '' }, admin),
      400,
      'invalid_request',
    )
    await ok(
      send(
        'POST',
        `/api/admin/verifications/${requestId}/more-info`,
        { reason: 'Add a link to your distributor page.' },
        admin,
      ),
    )
    let mine = await verificationOf(stranger.cookie)
    expect([mine.state, mine.reason]).toEqual(['more_info', 'Add a link to your distributor page.'])
    expect(await codesOf()).toEqual(['verification_more_info'])
    // A decision on a request no longer pending changes nothing.
    await refused(
      send('POST', `/api/admin/verifications/${requestId}/approve`, {}, admin),
      409,
      'conflict',
    )

    // The artist submits again; the admin refuses with a reason.
    const second = { ...evidence(), links: [...evidence().links, 'https://tidal.example/jo'] }
    await ok(submit(stranger.cookie, second), 201)
    const secondId = (await verificationOf(stranger.cookie)).request!.id
    expect(secondId).not.toBe(requestId)
    await ok(
      send(
        'POST',
        `/api/admin/verifications/${secondId}/refuse`,
        { reason: 'The distributor does not know this artist.' },
        admin,
      ),
    )
    mine = await verificationOf(stranger.cookie)
    expect([mine.state, mine.reason]).toEqual([
      'refused',
      'The distributor does not know this artist.',
    ])
    expect(await codesOf()).toEqual(['verification_refused'])

    // Third time, approved: publishing goes through at once.
    await ok(submit(stranger.cookie), 201)
    const thirdId = (await verificationOf(stranger.cookie)).request!.id
    // The older request cannot be decided any more.
    await refused(
      send('POST', `/api/admin/verifications/${requestId}/approve`, {}, admin),
      409,
      'conflict',
    )
    await ok(send('POST', `/api/admin/verifications/${thirdId}/approve`, {}, admin))
    await refused(
      send('POST', `/api/admin/verifications/${thirdId}/approve`, {}, admin),
      409,
      'conflict',
    )
    mine = await verificationOf(stranger.cookie)
    expect([mine.state, mine.reason]).toEqual(['verified', null])
    const published = (await ok<{ campaign: AuthorCampaign }>(publish())).campaign
    expect(published.status).toBe('live')

    // Every decision is in the log, in order, with who made it.
    const history = (await caseOf(stranger.id)).history
    expect(history.map((e) => [e.action, e.actorName])).toEqual([
      ['submit', 'Jo Stranger'],
      ['more_info', ADMIN.displayName],
      ['submit', 'Jo Stranger'],
      ['refuse', ADMIN.displayName],
      ['submit', 'Jo Stranger'],
      ['approve', ADMIN.displayName],
    ])
    const audit = (
      await ok<{ entries: ConsentLogEntry[] }>(send('GET', '/api/admin/audit', undefined, admin))
    ).entries
    expect(audit.filter((e) => e.userId === stranger.id)).toEqual(history)
  })

  it('the log and the evidence are append-only, and no state changes without its log entry', async () => {
    const someone = await signUpArtist('Direct Writer')
    await ok(submit(someone.cookie, evidence('Direct Writer')), 201)
    await expect(env.DB.prepare("UPDATE consent_log SET reason = 'x'").run()).rejects.toThrow(
      /append-only/,
    )
    await expect(env.DB.prepare('DELETE FROM consent_log').run()).rejects.toThrow(/append-only/)
    await expect(
      env.DB.prepare("UPDATE verification_requests SET legal_name = 'x'").run(),
    ).rejects.toThrow(/append-only/)
    await expect(
      env.DB.prepare("UPDATE users SET verification = 'verified' WHERE id = ?1")
        .bind(someone.id)
        .run(),
    ).rejects.toThrow(/only with its consent_log entry/)
    await expect(
      env.DB.prepare("UPDATE users SET suspended_at = '2026-01-01' WHERE id = ?1")
        .bind(someone.id)
        .run(),
    ).rejects.toThrow(/only with its consent_log entry/)
    expect((await verificationOf(someone.cookie)).state).toBe('pending')
  })
})

describe('fingerprint matches', () => {
  it('a verified artist uploading the demo’s voice is held until an admin clears the match', async () => {
    const { draft, stems } = await completeDraft('voice-again', demoArtist)
    await insertMatch(stems[0]!.id)
    const view = (
      await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft), undefined, demoArtist))
    ).campaign
    const words =
      'This recording matches “Voice” of “Copper Moons” by Halcyon Drift, 0:12–1:30 (0:00–1:18 of this file).'
    expect(view.matches).toMatchObject([
      { stem: { id: stems[0]!.id, name: 'Keys' }, status: 'open', words },
    ])
    const error = (await refused(
      send('POST', path(draft, '/publish'), undefined, demoArtist),
      422,
      'incomplete',
    )) as unknown as { reasons: { code: string; stemId?: string; message: string }[] }
    expect(error.reasons).toEqual([
      {
        code: 'match_open',
        stemId: stems[0]!.id,
        message: `Stem “Keys”: ${words} An admin must clear this match before publishing.`,
      },
    ])
    // The database refuses to publish it whichever code tries.
    await expect(
      env.DB.prepare("UPDATE campaigns SET status = 'live', sample_rate = 48000 WHERE id = ?1")
        .bind(draft.id)
        .run(),
    ).rejects.toThrow(/a campaign publishes only from a verified artist with no uncleared match/)
    // Nor can anyone mark the match cleared without the log.
    await expect(
      env.DB.prepare("UPDATE stem_matches SET status = 'cleared' WHERE stem_id = ?1")
        .bind(stems[0]!.id)
        .run(),
    ).rejects.toThrow(/only with its consent_log entry/)

    // The admin sees it in the queue of open matches and clears it.
    const open = (
      await ok<{ matches: StemMatchView[] }>(send('GET', '/api/admin/matches', undefined, admin))
    ).matches
    expect(open.find((m) => m.stem.id === stems[0]!.id)).toMatchObject({
      matched: { name: 'Voice', campaignTitle: 'Copper Moons', artist: 'Halcyon Drift' },
      stemStart: 0,
      stemEnd: 78.4,
      matchedStart: 12.2,
      matchedEnd: 90.6,
      strength: 0.62,
    })
    const route = `/api/admin/matches/${stems[0]!.id}/${manifest.slug}-vox`
    const cleared = (
      await ok<{ match: StemMatchView }>(
        send('POST', `${route}/clear`, { reason: 'Same artist, new campaign.' }, admin),
      )
    ).match
    expect(cleared).toMatchObject({ status: 'cleared', reason: 'Same artist, new campaign.' })
    const decided = await env.DB.prepare('SELECT decided_by FROM stem_matches WHERE stem_id = ?1')
      .bind(stems[0]!.id)
      .first<string>('decided_by')
    const me = (await ok<{ user: { id: string } }>(send('GET', '/api/me', undefined, admin))).user
    expect(decided).toBe(me.id)
    const entry = (await caseOf((await ownerOf(draft.id))!)).history.at(-1)
    expect(entry).toMatchObject({ action: 'clear_match', actorName: ADMIN.displayName })
    await refused(
      send('POST', `${route}/refuse`, { reason: 'changed my mind' }, admin),
      409,
      'conflict',
    )
    const live = (
      await ok<{ campaign: AuthorCampaign }>(
        send('POST', path(draft, '/publish'), undefined, demoArtist),
      )
    ).campaign
    expect(live.status).toBe('live')
  })

  it('a refused match keeps the campaign unpublishable, with the reason in the log', async () => {
    const stranger = await signUpArtist('Copy Cat')
    const { draft, stems } = await completeDraft('copy-cat', stranger.cookie)
    await insertMatch(stems[1]!.id, 'bass')
    // Verified or not, the refused match holds it: verify the artist first.
    await ok(submit(stranger.cookie, evidence('Copy Cat')), 201)
    const requestId = (await verificationOf(stranger.cookie)).request!.id
    const seen = await caseOf(stranger.id)
    expect(seen.matches.map((m) => [m.stem.name, m.matched.name, m.status])).toEqual([
      ['Bass', 'Bass', 'open'],
    ])
    await ok(send('POST', `/api/admin/verifications/${requestId}/approve`, {}, admin))
    const route = `/api/admin/matches/${stems[1]!.id}/${manifest.slug}-bass`
    await refused(send('POST', `${route}/refuse`, {}, admin), 400, 'invalid_request')
    await ok(send('POST', `${route}/refuse`, { reason: 'These are Halcyon Drift’s stems.' }, admin))
    const error = (await refused(
      send('POST', path(draft, '/publish'), undefined, stranger.cookie),
      422,
      'incomplete',
    )) as unknown as { reasons: { code: string; message: string }[] }
    expect(error.reasons.map((r) => r.code)).toEqual(['match_refused'])
    expect(error.reasons[0]!.message).toMatch(/^Stem “Bass”: This recording matches “Bass” of/)
    await refused(send('POST', `${route}/clear`, {}, admin), 409, 'conflict')
    const history = (await caseOf(stranger.id)).history
    expect(history.at(-1)).toMatchObject({
      action: 'refuse_match',
      stemId: stems[1]!.id,
      matchedStemId: `${manifest.slug}-bass`,
      reason: 'These are Halcyon Drift’s stems.',
    })
    const status = await env.DB.prepare('SELECT status FROM campaigns WHERE id = ?1')
      .bind(draft.id)
      .first<string>('status')
    expect(status).toBe('draft')
  })
})

async function ownerOf(campaignId: string) {
  return env.DB.prepare('SELECT owner_id FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<string>('owner_id')
}

describe('suspension', () => {
  const recipe = {
    version: 2,
    campaign: LABEL_SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 1,
    tracks: [
      {
        id: 't1',
        stem: `${LABEL_SLUG}-drums`,
        regions: [{ id: 'r1', start: 0, offset: 0, duration: 0.1 }],
      },
    ],
    aiActions: [],
  }
  const newRemix = () =>
    send('POST', '/api/remixes', { campaign: LABEL_SLUG, title: 'Mine', recipe }, fan)

  it('a suspended artist’s campaign takes no remixes or exports; its page stays, marked; reinstating reopens it', async () => {
    const labelId = (await ownerOf(`cmp-${LABEL_SLUG}`))!
    const before = (await ok<{ remix: RemixView }>(newRemix(), 201)).remix
    await refused(
      send('POST', `/api/admin/artists/${labelId}/suspend`, {}, admin),
      400,
      'invalid_request',
    )
    await ok(
      send(
        'POST',
        `/api/admin/artists/${labelId}/suspend`,
        { reason: 'A rights dispute is open.' },
        admin,
      ),
    )
    await refused(
      send('POST', `/api/admin/artists/${labelId}/suspend`, { reason: 'again' }, admin),
      409,
      'conflict',
    )
    const error = await refused(newRemix(), 403, 'forbidden')
    expect(error.message).toMatch(/artist of this campaign is suspended/)
    const exported = await requestExport(before.id, 1, fan)
    const body = (await exported.json()) as {
      error: { code: string; violations: { code: string }[] }
    }
    expect(exported.status).toBe(422)
    expect(body.error.violations.map((v) => v.code)).toEqual(['artist_suspended'])
    const page = (await ok<{ campaign: CampaignDetail }>(call(`/api/campaigns/${LABEL_SLUG}`)))
      .campaign
    expect(page.artistSuspended).toBe(true)
    // The artist reads the reason; their drafts do not publish.
    const mine = await verificationOf(label)
    expect([mine.state, mine.suspended, mine.reason]).toEqual([
      'verified',
      true,
      'A rights dispute is open.',
    ])
    const { draft } = await completeDraft('label-next', label)
    const blocked = (await refused(
      send('POST', path(draft, '/publish'), undefined, label),
      422,
      'incomplete',
    )) as unknown as { reasons: { code: string }[] }
    expect(blocked.reasons.map((r) => r.code)).toEqual(['artist_suspended'])

    await ok(send('POST', `/api/admin/artists/${labelId}/reinstate`, {}, admin))
    await ok(newRemix(), 201)
    expect(
      (await ok<{ campaign: CampaignDetail }>(call(`/api/campaigns/${LABEL_SLUG}`))).campaign
        .artistSuspended,
    ).toBe(false)
    expect((await caseOf(labelId)).history.map((e) => e.action)).toEqual([
      'seed_verified',
      'suspend',
      'reinstate',
    ])
  })
})

describe('the authorization matrix of the consent routes', () => {
  type Actor = 'anonymous' | 'fan' | 'unverified' | 'otherArtist' | 'admin'
  let cookies: Record<Actor, string | undefined>
  let subject: { cookie: string; id: string }
  let requestId: string
  let stemId: string

  beforeAll(async () => {
    subject = await signUpArtist('Matrix Subject')
    const unverified = await signUpArtist('Matrix Unverified')
    cookies = {
      anonymous: undefined,
      fan,
      unverified: unverified.cookie,
      otherArtist: demoArtist, // verified, but not an admin
      admin,
    }
    await ok(submit(subject.cookie, evidence('Matrix Subject')), 201)
    requestId = (await verificationOf(subject.cookie)).request!.id
    const { stems } = await completeDraft('matrix-draft', subject.cookie)
    stemId = stems[0]!.id
    await insertMatch(stemId)
  }, 60_000)

  type AdminCall = { name: string; method: string; path: () => string; json?: unknown; ok: number }
  const ADMIN_CALLS: AdminCall[] = [
    { name: 'GET verifications', method: 'GET', path: () => '/api/admin/verifications', ok: 200 },
    {
      name: 'GET artist case',
      method: 'GET',
      path: () => `/api/admin/artists/${subject.id}`,
      ok: 200,
    },
    { name: 'GET matches', method: 'GET', path: () => '/api/admin/matches?status=all', ok: 200 },
    { name: 'GET audit', method: 'GET', path: () => '/api/admin/audit', ok: 200 },
    {
      name: 'POST more-info',
      method: 'POST',
      path: () => `/api/admin/verifications/${requestId}/more-info`,
      json: { reason: 'Which distributor?' },
      ok: 200,
    },
    {
      name: 'POST refuse match',
      method: 'POST',
      path: () => `/api/admin/matches/${stemId}/${manifest.slug}-vox/refuse`,
      json: { reason: 'Not theirs.' },
      ok: 200,
    },
    {
      name: 'POST suspend',
      method: 'POST',
      path: () => `/api/admin/artists/${subject.id}/suspend`,
      json: { reason: 'Pending review.' },
      ok: 200,
    },
    {
      name: 'POST reinstate',
      method: 'POST',
      path: () => `/api/admin/artists/${subject.id}/reinstate`,
      json: {},
      ok: 200,
    },
  ]

  it.each(ADMIN_CALLS.map((c) => [c.name, c] as const))(
    'admin route %s: anonymous 401, fan, unverified and verified artists 403 changing nothing; admin OK',
    async (_name, c) => {
      const before = await consentTables()
      const denied: [Actor, number][] = [
        ['anonymous', 401],
        ['fan', 403],
        ['unverified', 403],
        ['otherArtist', 403],
      ]
      for (const [actor, status] of denied) {
        const res = await send(c.method, c.path(), c.json, cookies[actor])
        const body = (await res.json()) as { error?: { code: string } }
        expect([actor, res.status, body.error?.code]).toEqual([
          actor,
          status,
          status === 401 ? 'unauthorized' : 'forbidden',
        ])
      }
      expect(await consentTables()).toEqual(before)
      const res = await send(c.method, c.path(), c.json, cookies.admin)
      expect([res.status, await res.text()]).toEqual([c.ok, expect.any(String)])
    },
  )

  it('the artist’s verification routes: anonymous 401, fan and admin 403 changing nothing; each artist sees only their own', async () => {
    const before = await consentTables()
    for (const [actor, status] of [
      ['anonymous', 401],
      ['fan', 403],
      ['admin', 403],
    ] as const) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', evidence()],
      ] as const) {
        const res = await send(method, '/api/artist/verification', body, cookies[actor])
        expect([actor, method, res.status]).toEqual([actor, method, status])
      }
    }
    expect(await consentTables()).toEqual(before)
    const other = await verificationOf(cookies.unverified!)
    expect(other).toMatchObject({ state: 'none', request: null, history: [] })
    expect(JSON.stringify(other)).not.toContain(subject.id)
  })

  it('unknown ids answer 404 to an admin', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000'
    for (const [p, body] of [
      [`/api/admin/artists/${ghost}`, undefined],
      [`/api/admin/verifications/${ghost}/approve`, {}],
      [`/api/admin/matches/${ghost}/${ghost}/clear`, {}],
      [`/api/admin/artists/${ghost}/suspend`, { reason: 'no such artist' }],
    ] as const) {
      const res = await send(body === undefined ? 'GET' : 'POST', p, body, admin)
      expect([p, res.status]).toEqual([p, 404])
    }
  })
})
