import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuthorCampaign, AuthorStem } from '../../core/api/authoring.ts'
import type {
  CampaignDetail,
  CampaignSummary,
  LicenceVersionView,
} from '../../core/api/campaigns.ts'
import type { ExportView, ShareView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { LicencePreset } from '../../core/licence/presets.ts'
import { ARTIST, FAN, manifest, seed, seedInput, seedWithMasters } from './fixture.ts'
import {
  JPEG,
  PNG,
  addStem,
  completeDraft as completeDraftAs,
  createDraft as createDraftAs,
  inDays,
  ok,
  path,
  preset,
  raw as rawAs,
  refused,
  send as sendAs,
} from './author-fixture.ts'
import { call, cookieOf, json, login, requestExport } from './http.ts'
import { shortLicence } from '../support/licence.ts'
import { remixRecipe } from '../support/recipe.ts'

let artist: string
let fan: string
let otherArtist: string

const send = (method: string, path: string, body?: unknown, cookie = artist) =>
  sendAs(method, path, body, cookie)
const raw = (method: string, path: string, body: Uint8Array, type: string, cookie = artist) =>
  rawAs(method, path, body, type, cookie)
const createDraft = (slug: string, cookie = artist) => createDraftAs(slug, cookie)
const completeDraft = (slug: string, opensAt = inDays(-1)) => completeDraftAs(slug, artist, opensAt)

async function objectsUnder(prefix: string): Promise<string[]> {
  return (await env.MEDIA.list({ prefix })).objects.map((o) => o.key)
}

async function publicList(): Promise<CampaignSummary[]> {
  return (await ok<{ campaigns: CampaignSummary[] }>(call('/api/campaigns'))).campaigns
}

beforeAll(async () => {
  await seed()
  artist = await login(ARTIST.email, ARTIST.password)
  fan = await login(FAN.email, FAN.password)
  const signup = {
    email: 'b@example.test',
    displayName: 'Artist B',
    password: 'b-password-12',
    role: 'artist',
  }
  otherArtist = cookieOf(await call('/api/auth/signup', { method: 'POST', ...json(signup) }))
})

describe('drafts', () => {
  it('creates a draft that lists everything it still needs, in the artist’s own list only', async () => {
    const draft = await createDraft('night-bus')
    expect(draft).toMatchObject({
      slug: 'night-bus',
      artist: ARTIST.displayName,
      status: 'draft',
      opensAt: null,
      closesAt: null,
      licence: null,
      licenceVersion: 0,
      splits: null,
      stems: [],
      images: [],
      artworkUrl: null,
      shareUrl: '/c/night-bus',
    })
    expect(draft.missing).toEqual([
      { step: 'stems', code: 'stems_too_few', message: 'At least 2 ready stems (0 so far).' },
      { step: 'licence', code: 'licence_missing', message: 'A licence.' },
      { step: 'splits', code: 'splits_missing', message: 'Splits for every stem.' },
      { step: 'artwork', code: 'artwork_missing', message: 'Artwork.' },
      { step: 'details', code: 'opens_missing', message: 'An opening date and time.' },
      { step: 'details', code: 'closes_missing', message: 'A closing date and time.' },
    ])
    const mine = await ok<{ campaigns: AuthorCampaign[] }>(send('GET', '/api/artist/campaigns'))
    expect(mine.campaigns.map((c) => c.slug)).toContain('night-bus')
    const theirs = await ok<{ campaigns: AuthorCampaign[] }>(
      send('GET', '/api/artist/campaigns', undefined, otherArtist),
    )
    expect(theirs.campaigns.map((c) => c.slug)).not.toContain('night-bus')
  })

  it('is private: not in the public list, 404 on the public page', async () => {
    await createDraft('hidden-draft')
    expect((await publicList()).map((c) => c.slug)).not.toContain('hidden-draft')
    await refused(call('/api/campaigns/hidden-draft'), 404, 'not_found')
  })

  it('409 slug_taken for a slug in use (a draft’s or a published one’s), writing nothing', async () => {
    await createDraft('taken-slug')
    const count = () => env.DB.prepare('SELECT COUNT(*) AS n FROM campaigns').first<{ n: number }>()
    const before = await count()
    for (const slug of ['taken-slug', manifest.slug]) {
      const error = await refused(
        send('POST', '/api/artist/campaigns', { slug, title: 'Again', description: '' }),
        409,
        'slug_taken',
      )
      expect(error.message).toContain(slug)
    }
    expect(await count()).toEqual(before)
  })

  it('400 for a slug that breaks the rules', async () => {
    for (const slug of ['Night Bus', 'a', 'admin', 'double--hyphen']) {
      const error = await refused(
        send('POST', '/api/artist/campaigns', { slug, title: 'T', description: '' }),
        400,
        'invalid_request',
      )
      expect(error.message).toMatch(/^slug: /)
    }
  })

  it('saves details as it goes; a window must open before it closes', async () => {
    const draft = await createDraft('window-draft')
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(
      send('PATCH', path(draft), {
        title: 'Night Bus (Dub)',
        tempo: 92,
        musicalKey: 'F minor',
        timeSignature: [6, 8],
        opensAt: '2026-12-01T10:00:00+01:00',
        closesAt: '2027-01-01T00:00:00Z',
      }),
    )
    expect(campaign).toMatchObject({
      title: 'Night Bus (Dub)',
      tempo: 92,
      musicalKey: 'F minor',
      timeSignature: [6, 8],
      opensAt: '2026-12-01T09:00:00.000Z',
      closesAt: '2027-01-01T00:00:00.000Z',
    })
    const error = await refused(
      send('PATCH', path(draft), { closesAt: '2026-11-30T00:00:00Z' }),
      400,
      'bad_request',
    )
    expect(error.message).toBe('The window must open before it closes.')
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.closesAt,
    ).toBe('2027-01-01T00:00:00.000Z')
  })
})

describe('artwork and official images', () => {
  it('takes PNG, JPEG or WebP by their bytes, replacing the old object so none is left behind', async () => {
    const draft = await createDraft('art-draft')
    // The Content-Type lies; the bytes decide.
    const first = await ok<{ campaign: AuthorCampaign }>(
      raw('PUT', path(draft, '/artwork'), PNG, 'image/jpeg'),
    )
    expect(first.campaign.artworkUrl).toMatch(/\.png$/)
    expect(first.campaign.missing.map((m) => m.code)).not.toContain('artwork_missing')
    const served = await call(first.campaign.artworkUrl!, { headers: { Cookie: artist } })
    expect(served.headers.get('Content-Type')).toBe('image/png')
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG)

    await ok(raw('PUT', path(draft, '/artwork'), JPEG, 'application/octet-stream'))
    const keys = await objectsUnder(`campaigns/${draft.id}/artwork/`)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(/\.jpg$/)
  })

  it('400 for a file that is not one of those images, 413 over 10 MB; nothing is stored', async () => {
    const draft = await createDraft('bad-art')
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
    const error = await refused(
      raw('PUT', path(draft, '/artwork'), svg, 'image/png'),
      400,
      'bad_request',
    )
    expect(error.message).toMatch(/not a PNG, JPEG or WebP/)
    const huge = new Uint8Array(10 * 1024 * 1024 + 1)
    huge.set(PNG)
    await refused(raw('PUT', path(draft, '/artwork'), huge, 'image/png'), 413, 'payload_too_large')
    await refused(raw('POST', path(draft, '/images'), huge, 'image/png'), 413, 'payload_too_large')
    expect(await objectsUnder(`campaigns/${draft.id}/`)).toEqual([])
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.artworkUrl,
    ).toBeNull()
  })

  it('adds, serves and deletes extra official images with their objects', async () => {
    const draft = await createDraft('images-draft')
    const { image } = await ok<{ image: { id: string; url: string } }>(
      raw('POST', path(draft, '/images'), JPEG, 'image/jpeg'),
      201,
    )
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.images,
    ).toEqual([image])
    const served = await call(image.url, { headers: { Cookie: artist } })
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(JPEG)
    expect(await objectsUnder(`campaigns/${draft.id}/images/`)).toHaveLength(1)
    expect((await send('DELETE', path(draft, `/images/${image.id}`))).status).toBe(204)
    expect(await objectsUnder(`campaigns/${draft.id}/images/`)).toEqual([])
    await refused(send('DELETE', path(draft, `/images/${image.id}`)), 404, 'not_found')
  })
})

describe('licence', () => {
  it('serves the three presets publicly, attribution naming the campaign when asked', async () => {
    const { presets } = await ok<{ presets: LicencePreset[] }>(
      call('/api/licence/presets?title=Night%20Bus&artist=Test%20Artist'),
    )
    expect(presets.map((p) => p.id)).toEqual([
      'open-remix',
      'non-commercial-vocals-protected',
      'approval-required',
    ])
    expect(presets[0]!.policy.duties[0]).toEqual({
      action: 'attribute',
      text: 'Contains stems from “Night Bus” by Test Artist, used under licence',
    })
  })

  it('keeps a draft’s licence at version 1 however often it is edited', async () => {
    const draft = await createDraft('licence-draft')
    await ok(send('PUT', path(draft, '/licence'), { policy: preset('open-remix') }))
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(
      send('PUT', path(draft, '/licence'), { policy: preset('approval-required') }),
    )
    expect(campaign.licenceVersion).toBe(1)
    expect(campaign.licence).toMatchObject({
      version: 1,
      uid: 'urn:stemfair:licence:licence-draft:1',
    })
    expect(campaign.licence!.duties).toContainEqual({ action: 'obtainApproval' })
    const { versions } = await ok<{ versions: LicenceVersionView[] }>(
      send('GET', path(draft, '/licence/versions')),
    )
    expect(versions.map((v) => v.version)).toEqual([1])
    expect(versions[0]!.summary).toContain(
      'The artist approves a remix before it is shared publicly.',
    )
  })

  it('400 with the schema’s message for a licence that cannot be enforced, or names no such stem', async () => {
    const draft = await createDraft('bad-licence')
    const policy = preset('open-remix')
    const bad = {
      ...policy,
      permissions: [
        {
          action: 'remix',
          constraints: [{ leftOperand: 'pitchShift', operator: 'gt', rightOperand: 2 }],
        },
      ],
    }
    const error = await refused(
      send('PUT', path(draft, '/licence'), { policy: bad }),
      400,
      'invalid_request',
    )
    expect(error.message).toBe(
      'policy.permissions.0.constraints.0.rightOperand: pitchShift takes lt, lteq, not gt',
    )
    const ghost = { ...policy, prohibitions: [{ action: 'reverse', target: 'ghost-stem' }] }
    const unknown = await refused(
      send('PUT', path(draft, '/licence'), { policy: ghost }),
      400,
      'bad_request',
    )
    expect(unknown.message).toMatch(/ghost-stem/)
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.licence,
    ).toBeNull()
  })
})

describe('splits and stems', () => {
  it('400 for splits that do not sum to 10 000 or name another campaign’s stem', async () => {
    const draft = await createDraft('bad-splits')
    const stem = await addStem(draft.id, 'Keys')
    const credits = [{ name: 'A', roles: ['artist'] }]
    const short = {
      fanCreatorBps: 0,
      stems: [{ stem: stem.id, shares: [{ party: 'A', bps: 9000 }] }],
    }
    const error = await refused(
      send('PUT', path(draft, '/splits'), { splits: short, credits }),
      400,
      'invalid_request',
    )
    expect(error.message).toBe(
      "splits.stems.0.shares: a stem's shares must sum to 10000 basis points",
    )
    const foreign = {
      fanCreatorBps: 0,
      stems: [{ stem: 'copper-moons-drums', shares: [{ party: 'A', bps: 10_000 }] }],
    }
    const unknown = await refused(
      send('PUT', path(draft, '/splits'), { splits: foreign, credits }),
      400,
      'bad_request',
    )
    expect(unknown.message).toMatch(/unknown stem copper-moons-drums/)
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.splits,
    ).toBeNull()
  })

  it('edits a stem’s details and deletes a draft’s stem with its objects and its split', async () => {
    const draft = await createDraft('stem-edits')
    const keep = await addStem(draft.id, 'Keys')
    const gone = await addStem(draft.id, 'Vox')
    const { stem } = await ok<{ stem: AuthorStem }>(
      send('PATCH', path(draft, `/stems/${gone.id}`), {
        name: 'Lead vocal',
        role: 'vocals',
        isVoice: true,
        isrc: 'QZSF12600009',
        rightsHolders: ['Singer'],
      }),
    )
    expect(stem).toMatchObject({
      name: 'Lead vocal',
      role: 'vocals',
      isVoice: true,
      isrc: 'QZSF12600009',
    })
    const shares = [{ party: 'A', bps: 10_000 }]
    const splits = { fanCreatorBps: 0, stems: [keep, gone].map((s) => ({ stem: s.id, shares })) }
    await ok(send('PUT', path(draft, '/splits'), { splits, credits: [] }))

    expect((await send('DELETE', path(draft, `/stems/${gone.id}`))).status).toBe(204)
    for (const key of gone.keys) expect(await env.MEDIA.head(key)).toBeNull()
    for (const key of keep.keys) expect(await env.MEDIA.head(key)).not.toBeNull()
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))
    expect(campaign.stems.map((s) => s.id)).toEqual([keep.id])
    expect(campaign.splits!.stems.map((s) => s.stem)).toEqual([keep.id])
    await refused(send('DELETE', path(draft, `/stems/${gone.id}`)), 404, 'not_found')
  })

  it('says per stem what to fix when its rate or length does not match the others', async () => {
    const draft = await createDraft('mismatch')
    await addStem(draft.id, 'Keys')
    await addStem(draft.id, 'Bass')
    await addStem(draft.id, 'Pads', { sampleRate: 44100, lengthSamples: 441000 })
    await addStem(draft.id, 'Drums', { lengthSamples: 480000 + 4800 })
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))
    expect(campaign.stems.map((s) => s.problem === null)).toEqual([true, true, false, false])
    expect(campaign.stems[2]!.problem).toMatch(/export it again at 48000 Hz/)
    expect(campaign.stems[3]!.problem).toMatch(/4800 samples longer/)
    expect(campaign.missing).toEqual(
      expect.arrayContaining([
        { step: 'stems', code: 'stem_mismatch', message: expect.stringMatching(/^Stem “Pads”: /) },
        { step: 'stems', code: 'stem_mismatch', message: expect.stringMatching(/^Stem “Drums”: /) },
      ]),
    )
    expect(campaign).toMatchObject({ sampleRate: 48000, lengthSamples: 480000 })
  })
})

describe('publish and close', () => {
  it('422 incomplete listing what is missing, and nothing changes', async () => {
    const draft = await createDraft('incomplete')
    await addStem(draft.id, 'Keys')
    const error = await refused(send('POST', path(draft, '/publish')), 422, 'incomplete')
    expect(error.missing).toEqual([
      'At least 2 ready stems (1 so far).',
      'A licence.',
      'Splits for every stem.',
      'Artwork.',
      'An opening date and time.',
      'A closing date and time.',
    ])
    const { reasons } = error as unknown as { reasons: { step?: string; code: string }[] }
    expect(reasons.map((r) => [r.step, r.code])).toEqual([
      ['stems', 'stems_too_few'],
      ['licence', 'licence_missing'],
      ['splits', 'splits_missing'],
      ['artwork', 'artwork_missing'],
      ['details', 'opens_missing'],
      ['details', 'closes_missing'],
    ])
    expect(error.message).toMatch(/^This campaign cannot be published yet/)
    expect((await ok<{ campaign: AuthorCampaign }>(send('GET', path(draft)))).campaign.status).toBe(
      'draft',
    )
  })

  it('publishes a complete draft: live on the public list, and a replay changes nothing', async () => {
    const { draft } = await completeDraft('goes-live')
    const { image } = await ok<{ image: { id: string } }>(
      raw('POST', path(draft, '/images'), JPEG, 'image/jpeg'),
      201,
    )
    const publicImage = `/api/campaigns/goes-live/images/${image.id}`
    await refused(call(publicImage), 404, 'not_found')
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(
      send('POST', path(draft, '/publish')),
    )
    expect(campaign).toMatchObject({ status: 'live', missing: [], sampleRate: 48000 })
    expect(
      (await ok<{ campaign: AuthorCampaign }>(send('POST', path(draft, '/publish')))).campaign,
    ).toEqual(campaign)
    expect((await publicList()).find((c) => c.slug === 'goes-live')?.status).toBe('live')
    const page = await ok<{ campaign: CampaignDetail }>(call('/api/campaigns/goes-live'))
    expect(page.campaign.status).toBe('live')
    expect(page.campaign.stems).toHaveLength(2)
    expect(page.campaign.images).toEqual([{ id: image.id, url: publicImage }])
    expect(new Uint8Array(await (await call(publicImage)).arrayBuffer())).toEqual(JPEG)
  })

  it('a scheduled campaign opens and closes by its window; remixes are refused outside it', async () => {
    const { draft, stems } = await completeDraft('later-on', inDays(2))
    await ok(send('POST', path(draft, '/publish')))
    expect((await publicList()).find((c) => c.slug === 'later-on')?.status).toBe('scheduled')
    const recipe = {
      version: 2,
      campaign: 'later-on',
      tempo: 120,
      timeSignature: [4, 4],
      length: 1,
      tracks: stems.map((s, i) => ({
        id: `t${i}`,
        stem: s.id,
        regions: [{ id: `r${i}`, start: 0, offset: 0, duration: 1 }],
      })),
      aiActions: [],
    }
    const remix = { campaign: 'later-on', title: 'Too early', recipe }
    const early = await refused(send('POST', '/api/remixes', remix, fan), 403, 'forbidden')
    expect(early.message).toMatch(/^This campaign opens on /)

    // Time passes: the window opens, then ends.
    const move = (opens: string, closes: string) =>
      env.DB.prepare('UPDATE campaigns SET opens_at = ?2, closes_at = ?3 WHERE id = ?1')
        .bind(draft.id, opens, closes)
        .run()
    await move(inDays(-1), inDays(1))
    expect((await publicList()).find((c) => c.slug === 'later-on')?.status).toBe('live')
    await ok(send('POST', '/api/remixes', remix, fan), 201)
    await move(inDays(-2), inDays(-1))
    expect((await publicList()).find((c) => c.slug === 'later-on')?.status).toBe('closed')
    const late = await refused(send('POST', '/api/remixes', remix, fan), 403, 'forbidden')
    expect(late.message).toMatch(/^This campaign closed on /)
  })

  it('closes by hand: closed for fans, no new remixes; a draft cannot be closed', async () => {
    const { draft } = await completeDraft('shut-down')
    await refused(send('POST', path(draft, '/close')), 409, 'conflict')
    await ok(send('POST', path(draft, '/publish')))
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(send('POST', path(draft, '/close')))
    expect(campaign.status).toBe('closed')
    expect((await publicList()).find((c) => c.slug === 'shut-down')?.status).toBe('closed')
    await refused(send('POST', path(draft, '/publish')), 409, 'conflict')
  })

  it('a published stem keeps its role and voice flag, and cannot be deleted', async () => {
    const { draft, stems } = await completeDraft('stems-locked')
    await ok(send('POST', path(draft, '/publish')))
    const stem = path(draft, `/stems/${stems[0]!.id}`)
    await refused(send('PATCH', stem, { isVoice: true }), 409, 'conflict')
    expect(
      (await ok<{ stem: AuthorStem }>(send('PATCH', stem, { name: 'Rhodes' }))).stem.name,
    ).toBe('Rhodes')
    await refused(send('DELETE', stem), 409, 'conflict')
    for (const key of stems[0]!.keys) expect(await env.MEDIA.head(key)).not.toBeNull()
  })

  it('the database refuses a published campaign without splits for every stem', async () => {
    const { draft } = await completeDraft('db-guard')
    await ok(send('POST', path(draft, '/publish')))
    await expect(
      env.DB.prepare("UPDATE campaigns SET splits = 'null' WHERE id = ?1").bind(draft.id).run(),
    ).rejects.toThrow(/a published campaign needs a licence, splits/)
    const shares = [{ party: 'A', bps: 10_000 }]
    const one = { fanCreatorBps: 0, stems: [{ stem: 'nope', shares }] }
    await expect(
      env.DB.prepare('UPDATE campaigns SET splits = ?2 WHERE id = ?1')
        .bind(draft.id, JSON.stringify(one))
        .run(),
    ).rejects.toThrow(/splits for every stem/)
  })
})

describe('licence versions', () => {
  const SLUG = 'versioned-moons'
  let exportId: string

  async function exportNow(): Promise<ExportView> {
    const recipe = remixRecipe({ campaign: SLUG })
    const { remix } = await ok<{ remix: RemixView }>(
      send('POST', '/api/remixes', { campaign: SLUG, title: 'Versioned', recipe }, fan),
      201,
    )
    const res = await requestExport(remix.id, 1, fan)
    const made = (await ok<{ export: ExportView }>(res, 202)).export
    let view = made
    await vi.waitFor(
      async () => {
        view = (
          await ok<{ export: ExportView }>(send('GET', `/api/exports/${made.id}`, undefined, fan))
        ).export
        expect(view.status).toBe('ready')
      },
      { timeout: 30_000, interval: 100 },
    )
    return view
  }

  beforeAll(async () => {
    const input = await seedInput()
    await seedWithMasters({
      ...input,
      manifest: { ...manifest, slug: SLUG, licence: shortLicence(manifest.licence) },
    })
    exportId = (await exportNow()).id
  }, 60_000)

  it('the seed records the demo licence as its version (2: generated parts were added)', async () => {
    const row = await env.DB.prepare(
      "SELECT version, policy FROM licence_versions WHERE campaign_id = 'cmp-copper-moons'",
    ).all<{ version: number; policy: string }>()
    expect(row.results.map((r) => r.version)).toEqual([manifest.licence.version])
    expect(JSON.parse(row.results[0]!.policy)).toEqual(manifest.licence)
  })

  it('an edit to a live licence is version n+1 for new exports; earlier exports keep theirs', async () => {
    const campaignId = `cmp-${SLUG}`
    const before = await ok<{ share: ShareView }>(call(`/api/share/${exportId}`))
    expect(before.share.licenceVersion).toBe(2)

    const edited = structuredClone(shortLicence(manifest.licence))
    const { uid: _, version: __, ...terms } = edited
    terms.duties = [...terms.duties, { action: 'attribute', text: 'Remixed from Versioned Moons' }]
    const { campaign } = await ok<{ campaign: AuthorCampaign }>(
      send('PUT', `/api/artist/campaigns/${campaignId}/licence`, { policy: terms }),
    )
    expect(campaign.licenceVersion).toBe(3)
    expect(campaign.licence!.uid).toBe(`urn:stemfair:licence:${SLUG}:3`)
    // The same terms again change nothing.
    const replay = await ok<{ campaign: AuthorCampaign }>(
      send('PUT', `/api/artist/campaigns/${campaignId}/licence`, { policy: terms }),
    )
    expect(replay.campaign.licenceVersion).toBe(3)
    const { versions } = await ok<{ versions: LicenceVersionView[] }>(
      send('GET', `/api/artist/campaigns/${campaignId}/licence/versions`),
    )
    expect(versions.map((v) => v.version)).toEqual([2, 3])
    expect(versions[1]!.summary).toContain('Credit: “Remixed from Versioned Moons”.')

    const old = (
      await ok<{ export: ExportView }>(send('GET', `/api/exports/${exportId}`, undefined, fan))
    ).export
    expect(old.licenceVersion).toBe(2)
    const after = await ok<{ share: ShareView }>(call(`/api/share/${exportId}`))
    expect(after.share.licenceVersion).toBe(2)
    expect(after.share.licenceSummary).not.toContain('Credit: “Remixed from Versioned Moons”.')

    const fresh = await exportNow()
    expect(fresh.licenceVersion).toBe(3)
    const share = await ok<{ share: ShareView }>(call(`/api/share/${fresh.id}`))
    expect(share.share.licenceVersion).toBe(3)
    expect(share.share.licenceSummary).toContain('Credit: “Remixed from Versioned Moons”.')
  }, 60_000)

  it('exports are refused once the campaign is closed', async () => {
    const campaignId = `cmp-${SLUG}`
    const { remix } = await ok<{ remix: RemixView }>(
      send(
        'POST',
        '/api/remixes',
        {
          campaign: SLUG,
          title: 'Late',
          recipe: {
            version: 2,
            campaign: SLUG,
            tempo: 100,
            timeSignature: [4, 4],
            length: 1,
            tracks: [
              {
                id: 't',
                stem: `${SLUG}-drums`,
                regions: [{ id: 'r', start: 0, offset: 0, duration: 0.1, loops: 10 }],
              },
            ],
            aiActions: [],
          },
        },
        fan,
      ),
      201,
    )
    await ok(send('POST', `/api/artist/campaigns/${campaignId}/close`))
    const res = requestExport(remix.id, 1, fan)
    const error = await refused(res, 422, 'licence_violation')
    expect(error.message).toBe('This campaign closed.')
  })
})
