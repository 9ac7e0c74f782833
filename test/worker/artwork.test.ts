import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportView, RemixView, ShareView } from '../../core/campaign/views.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { insertImage } from '../../worker/db/author-campaigns.ts'
import { findCampaignRow } from '../../worker/db/campaigns.ts'
import { openGraphTags } from '../../worker/share-page.ts'
import { FAN, manifest, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, requestExport } from './http.ts'

const SLUG = 'art-moons' // the demo licence, allowing exports from half a second
const OTHER = 'other-moons' // another campaign, whose image this one does not list

let fan: string
let otherFan: string
let imageId: string
let otherImageId: string

/** A PNG as far as the route reads it: signature, IHDR of this size, and some bytes. */
function png(width: number, height: number, fill = 1, size = 200): Uint8Array {
  const b = new Uint8Array(size)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const v = new DataView(b.buffer)
  v.setUint32(16, width)
  v.setUint32(20, height)
  b.set([8, 6, 0, 0, 0], 24)
  for (let i = 33; i < size; i++) b[i] = (i * fill) % 251
  return b
}

async function addImage(slug: string, id: string) {
  const campaign = (await findCampaignRow(env.DB, slug))!
  const key = `campaigns/${slug}/images/${id}.png`
  const bytes = png(10, 10)
  await env.MEDIA.put(key, bytes)
  await insertImage(env.DB, {
    id,
    campaign_id: campaign.id,
    r2_key: key,
    content_type: 'image/png',
    size: bytes.length,
    sha256: '0'.repeat(64),
    created_at: new Date().toISOString(),
  })
}

async function createRemix(cookie = fan): Promise<RemixView> {
  const track = (id: string, stem: string) => ({
    id,
    stem: `${SLUG}-${stem}`,
    regions: [{ id: `${id}r`, start: 0, offset: 0, duration: 0.1, loops: 10 }],
  })
  const recipe = {
    version: 2,
    campaign: SLUG,
    tempo: 100,
    timeSignature: [4, 4],
    length: 1,
    tracks: [track('t1', 'drums'), track('t2', 'bass')],
  }
  const res = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title: 'Spheres', recipe }, cookie),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { remix: RemixView }).remix
}

function putArtwork(remix: string, query: string, body: BodyInit | null, cookie?: string) {
  return call(`/api/remixes/${remix}/artwork?${query}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/png', ...(cookie ? { Cookie: cookie } : {}) },
    body,
  })
}

async function keys(prefix: string) {
  return (await env.MEDIA.list({ prefix })).objects.map((o) => o.key)
}

async function remixRecipe(id: string): Promise<Recipe & { version?: number }> {
  const row = await env.DB.prepare('SELECT recipe FROM remixes WHERE id = ?1')
    .bind(id)
    .first<{ recipe: string }>()
  return JSON.parse(row!.recipe) as Recipe
}

/** A small ID3v2.4 reader: the APIC frames of the tag at the start of an MP3. */
function apicFrames(mp3: Uint8Array) {
  expect(String.fromCharCode(...mp3.subarray(0, 3))).toBe('ID3')
  const syncsafe = (at: number) =>
    (mp3[at]! << 21) | (mp3[at + 1]! << 14) | (mp3[at + 2]! << 7) | mp3[at + 3]!
  const end = 10 + syncsafe(6)
  const found: { mime: string; type: number; data: Uint8Array }[] = []
  for (let at = 10; at + 10 <= end && mp3[at] !== 0;) {
    const id = String.fromCharCode(...mp3.subarray(at, at + 4))
    const size = syncsafe(at + 4)
    const body = mp3.subarray(at + 10, at + 10 + size)
    if (id === 'APIC') {
      const mimeEnd = body.indexOf(0, 1)
      const descEnd = body.indexOf(0, mimeEnd + 2)
      found.push({
        mime: String.fromCharCode(...body.subarray(1, mimeEnd)),
        type: body[mimeEnd + 1]!,
        data: body.subarray(descEnd + 1),
      })
    }
    at += 10 + size
  }
  return found
}

beforeAll(async () => {
  const input = await seedInput()
  const licence = structuredClone(manifest.licence) as LicencePolicy
  const remix = licence.permissions.find((x) => x.action === 'remix')!
  remix.constraints = remix.constraints.map((c) =>
    c.leftOperand === 'outputDuration' && c.operator === 'gteq' ? { ...c, rightOperand: 0.5 } : c,
  )
  await seedWithMasters({ ...input, manifest: { ...manifest, slug: SLUG, licence } })
  await seedWithMasters({ ...input, manifest: { ...manifest, slug: OTHER, licence } })
  imageId = 'img-art-1'
  otherImageId = 'img-other-1'
  await addImage(SLUG, imageId)
  await addImage(OTHER, otherImageId)
  const login = await call('/api/auth/login', {
    method: 'POST',
    ...json({ email: FAN.email, password: FAN.password }),
  })
  fan = cookieOf(login)
  const signup = await call('/api/auth/signup', {
    method: 'POST',
    ...json({ email: 'art@example.test', displayName: 'Art Fan', password: 'a-strong-pass-9' }),
  })
  otherFan = cookieOf(signup)
})

describe('PUT /api/remixes/:id/artwork', () => {
  it('stores the PNG, replaces the old one and records one AI action', async () => {
    const remix = await createRemix()
    const first = png(3000, 3000, 3)
    let res = await putArtwork(
      remix.id,
      `sources=cover,${imageId}&seed=42&words=dreamy+blue`,
      first,
      fan,
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as { remix: RemixView; artwork: { width: number } }
    expect(body.artwork.width).toBe(3000)
    expect(body.remix.version).toBe(2)
    let actions = (await remixRecipe(remix.id)).aiActions
    expect(actions).toEqual([
      expect.objectContaining({
        tool: 'stemfair-artwork',
        provider: 'local',
        parameters: expect.objectContaining({
          seed: 42,
          words: 'dreamy blue',
          sourceImages: ['cover', imageId],
        }),
      }),
    ])

    const second = png(1000, 1000, 5)
    res = await putArtwork(remix.id, `sources=${imageId}&seed=7`, second, fan)
    expect(res.status).toBe(200)
    actions = (await remixRecipe(remix.id)).aiActions
    expect(actions).toHaveLength(1)
    expect(actions[0]!.parameters).toMatchObject({ seed: 7, sourceImages: [imageId] })
    expect(await keys(`remixes/${remix.id}/`)).toEqual([`remixes/${remix.id}/artwork.png`])
    const got = await call(`/api/remixes/${remix.id}/artwork`, { headers: { Cookie: fan } })
    expect(got.status).toBe(200)
    expect(got.headers.get('Content-Type')).toBe('image/png')
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(second)
    // Private until published.
    expect(
      (await call(`/api/remixes/${remix.id}/artwork`, { headers: { Cookie: otherFan } })).status,
    ).toBe(403)
  })

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const remix = await createRemix()
    const cases: [string, BodyInit, string | undefined, number, string, RegExp][] = [
      ['sources=cover&seed=1', png(100, 100), undefined, 401, 'unauthorized', /Log in/],
      ['sources=cover&seed=1', png(100, 100), otherFan, 403, 'forbidden', /Only the fan/],
      [`sources=${otherImageId}&seed=1`, png(100, 100), fan, 400, 'bad_request', /does not list/],
      ['sources=nope&seed=1', png(100, 100), fan, 400, 'bad_request', /does not list/],
      ['sources=&seed=1', png(100, 100), fan, 400, 'invalid_request', /source/],
      ['sources=cover&seed=-1', png(100, 100), fan, 400, 'invalid_request', /./],
      ['sources=cover&seed=x', png(100, 100), fan, 400, 'invalid_request', /./],
      [
        'sources=cover&seed=1',
        new TextEncoder().encode('GIF89a not a png at all, really not'),
        fan,
        400,
        'bad_request',
        /PNG/,
      ],
      ['sources=cover&seed=1', png(3001, 3000), fan, 400, 'bad_request', /3000×3000/],
      [
        'sources=cover&seed=1',
        png(100, 100, 1, 12 * 1024 * 1024 + 1),
        fan,
        413,
        'payload_too_large',
        /MiB/,
      ],
    ]
    for (const [query, body, cookie, status, code, message] of cases) {
      const res = await putArtwork(remix.id, query, body, cookie)
      expect(res.status, query).toBe(status)
      const error = ((await res.json()) as { error: { code: string; message: string } }).error
      expect(error.code, query).toBe(code)
      expect(error.message, query).toMatch(message)
    }
    expect(await keys(`remixes/${remix.id}/`)).toEqual([])
    expect((await remixRecipe(remix.id)).aiActions).toEqual([])
    const missing = await putArtwork('no-such-remix', 'sources=cover&seed=1', png(10, 10), fan)
    expect(missing.status).toBe(404)
  })
})

describe('the share page preview', () => {
  it('gives the link an og:image when the remix has artwork', () => {
    const share = {
      exportId: 'e1',
      title: 'Spheres',
      fan: 'Fan',
      campaign: { slug: SLUG, title: 'Moons', artist: 'Artist' },
      credits: [],
      licenceSummary: [],
      licenceVersion: 1,
      aiLabel: 'AI-assisted remix of officially licensed stems',
      audioUrl: '/api/share/e1/audio',
      artworkUrl: '/api/share/e1/artwork',
      createdAt: '2026-11-25T00:00:00Z',
      artistSuspended: false,
    } satisfies ShareView
    const page = 'https://stemfair.example/r/e1'
    const image = 'https://stemfair.example/api/share/e1/artwork'
    const tags = openGraphTags(share, page, image)
    expect(tags).toContain(`<meta property="og:image" content="${image}" />`)
    expect(tags).toContain('<meta property="twitter:card" content="summary_large_image" />')
    expect(openGraphTags(share, page)).not.toContain('og:image')
  })
})

describe('the export carries the artwork', () => {
  it('embeds it as the MP3 front cover (APIC) and serves it on the share page', async () => {
    const remix = await createRemix()
    const art = png(3000, 3000, 9, 5000)
    expect((await putArtwork(remix.id, 'sources=cover&seed=3', art, fan)).status).toBe(200)
    const res = await requestExport(remix.id, 2, fan)
    expect(res.status).toBe(202)
    const { export: queued } = (await res.json()) as { export: ExportView }
    let view: ExportView | undefined
    await vi.waitFor(
      async () => {
        const r = await call(`/api/exports/${queued.id}`, { headers: { Cookie: fan } })
        view = ((await r.json()) as { export: ExportView }).export
        expect(['ready', 'rejected']).toContain(view.status)
      },
      { timeout: 20_000, interval: 100 },
    )
    expect(view!.status).toBe('ready')
    const key = (await env.DB.prepare('SELECT mp3_key FROM exports WHERE id = ?1')
      .bind(queued.id)
      .first<string>('mp3_key'))!
    const mp3 = new Uint8Array(await (await env.MEDIA.get(key))!.arrayBuffer())
    const pictures = apicFrames(mp3)
    expect(pictures).toHaveLength(1)
    expect(pictures[0]!.mime).toBe('image/png')
    expect(pictures[0]!.type).toBe(3)
    expect(pictures[0]!.data).toEqual(art)

    const page = await call(`/api/share/${queued.id}`, { headers: { Cookie: fan } })
    const { share } = (await page.json()) as { share: ShareView }
    expect(share.artworkUrl).toBe(`/api/share/${queued.id}/artwork`)
    const shared = await call(share.artworkUrl!, { headers: { Cookie: fan } })
    expect(shared.status).toBe(200)
    expect(new Uint8Array(await shared.arrayBuffer())).toEqual(art)
  })

  it('exports without a cover when the remix has no artwork', async () => {
    const remix = await createRemix()
    const res = await requestExport(remix.id, 1, fan)
    const { export: queued } = (await res.json()) as { export: ExportView }
    await vi.waitFor(
      async () => {
        const r = await call(`/api/exports/${queued.id}`, { headers: { Cookie: fan } })
        expect(((await r.json()) as { export: ExportView }).export.status).toBe('ready')
      },
      { timeout: 20_000, interval: 100 },
    )
    const key = (await env.DB.prepare('SELECT mp3_key FROM exports WHERE id = ?1')
      .bind(queued.id)
      .first<string>('mp3_key'))!
    const mp3 = new Uint8Array(await (await env.MEDIA.get(key))!.arrayBuffer())
    expect(apicFrames(mp3)).toEqual([])
  })
})
