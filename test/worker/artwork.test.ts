import { env } from 'cloudflare:test'
import jpeg from 'jpeg-js'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { decodeSource } from '../../core/artwork/image.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { artworkSource, rasterizeArtwork } from '../../core/artwork/raster.ts'
import { artworkFeatures, planOf, type ArtworkRequest } from '../../core/artwork/request.ts'
import type { CampaignAnalysis } from '../../core/analysis/types.ts'
import type { ExportView, ShareView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { remixArtworkKey, renderCover } from '../../worker/artwork/cover.ts'
import { insertImage } from '../../worker/db/author-campaigns.ts'
import { findCampaignRow } from '../../worker/db/campaigns.ts'
import { listStems } from '../../worker/views/stems.ts'
import { openGraphTags } from '../../worker/share-page.ts'
import { FAN, manifest, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, requestExport } from './http.ts'
import { shortLicence } from '../support/licence.ts'
import { remixRecipe as builtRecipe } from '../support/recipe.ts'
import { linkOf } from '../support/downloads.ts'

const SLUG = 'art-moons' // the demo licence, allowing exports from half a second
const OTHER = 'other-moons' // another campaign, whose image this one does not list

let fan: string
let otherFan: string
const PNG_IMAGE = 'img-art-png'
const JPEG_IMAGE = 'img-art-jpeg'
const OTHER_IMAGE = 'img-other-1'
/** The official images' bytes as the artist uploaded them, by id. */
const imageBytes = new Map<string, Uint8Array>()

/** An official image: diagonal colour bands (PNG) or a photo-like gradient (JPEG). */
function officialImage(kind: 'png' | 'jpeg', width = 90, height = 60): Uint8Array {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const band = Math.floor((x + y) / 12) % 3
      data.set(
        kind === 'png'
          ? [band === 0 ? 230 : 20, band === 1 ? 210 : 30, band === 2 ? 240 : 40, 255]
          : [(x * 255) / width, 120, (y * 255) / height, 255],
        (y * width + x) * 4,
      )
    }
  return kind === 'png'
    ? encodePng({ width, height, data })
    : new Uint8Array(jpeg.encode({ width, height, data }, 90).data)
}

async function addImage(slug: string, id: string, bytes: Uint8Array, type: string) {
  const campaign = (await findCampaignRow(env.DB, slug))!
  const key = `campaigns/${slug}/images/${id}`
  await env.MEDIA.put(key, bytes)
  imageBytes.set(id, bytes)
  await insertImage(env.DB, {
    id,
    campaign_id: campaign.id,
    r2_key: key,
    content_type: type,
    size: bytes.length,
    sha256: await sha256Hex(bytes),
    created_at: new Date().toISOString(),
  })
}

async function createRemix(cookie = fan): Promise<RemixView> {
  const recipe = builtRecipe({ campaign: SLUG })
  const res = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title: 'Spheres', recipe }, cookie),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { remix: RemixView }).remix
}

function putPlan(remix: string, plan: unknown, cookie?: string) {
  return call(`/api/remixes/${remix}/artwork/plan`, { method: 'PUT', ...json(plan, cookie) })
}

/** What core renders for a plan in this campaign: the reference the worker's PNG must equal. */
async function coreRender(request: ArtworkRequest, tempo = 100, size = 3000) {
  const campaign = (await findCampaignRow(env.DB, SLUG))!
  const analysis = campaign.analysis ? (JSON.parse(campaign.analysis) as CampaignAnalysis) : null
  const features = artworkFeatures(
    { analysis, key: campaign.musical_key },
    await listStems(env.DB, campaign.id),
    tempo,
  )
  const sources = request.sources.map((id) => artworkSource(decodeSource(imageBytes.get(id)!)))
  return encodePng(rasterizeArtwork(planOf(features, request), size, sources))
}

/** Bytes compared by their hash (a deep equality over megabytes is slow and prints nothing useful). */
const digest = (bytes: Uint8Array) => sha256Hex(bytes)

/** Renders at 3000×3000 take seconds each on a busy machine: generous time, not a timed test. */
const SLOW = { timeout: 600_000 }

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
  const licence = shortLicence(manifest.licence, { minSeconds: 0.5 })
  await seedWithMasters({ ...input, manifest: { ...manifest, slug: SLUG, licence } })
  await seedWithMasters({ ...input, manifest: { ...manifest, slug: OTHER, licence } })
  await addImage(SLUG, PNG_IMAGE, officialImage('png'), 'image/png')
  await addImage(SLUG, JPEG_IMAGE, officialImage('jpeg'), 'image/jpeg')
  await addImage(OTHER, OTHER_IMAGE, officialImage('png'), 'image/png')
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

describe('PUT /api/remixes/:id/artwork/plan', () => {
  it(
    'renders the plan in the worker, stores the PNG and records what it rendered',
    SLOW,
    async () => {
      const remix = await createRemix()
      const plan = { seed: 40, variant: 2, words: 'dreamy blue', sources: [PNG_IMAGE, JPEG_IMAGE] }
      let res = await putPlan(remix.id, plan, fan)
      expect(res.status).toBe(200)
      const body = (await res.json()) as {
        remix: RemixView
        artwork: { url: string; width: number; sha256: string }
      }
      expect(body.artwork.width).toBe(3000)
      expect(body.remix.version).toBe(2)
      const expected = await coreRender(plan)
      expect(body.artwork.sha256).toBe(await sha256Hex(expected))
      let actions = (await remixRecipe(remix.id)).aiActions
      expect(actions).toEqual([
        expect.objectContaining({
          tool: 'stemfair-artwork',
          provider: 'local',
          parameters: expect.objectContaining({
            seed: 42, // the variant's seed: base seed 40, third variant
            baseSeed: 40,
            variant: 2,
            words: 'dreamy blue',
            sourceImages: [PNG_IMAGE, JPEG_IMAGE],
            sourceSha256: [
              await sha256Hex(imageBytes.get(PNG_IMAGE)!),
              await sha256Hex(imageBytes.get(JPEG_IMAGE)!),
            ],
            renderedBy: 'worker',
            width: 3000,
            height: 3000,
            sha256: body.artwork.sha256,
          }),
        }),
      ])
      // The stored PNG is core's render of the plan, byte for byte.
      let got = await call(`/api/remixes/${remix.id}/artwork`, { headers: { Cookie: fan } })
      expect(got.status).toBe(200)
      expect(got.headers.get('Content-Type')).toBe('image/png')
      expect(await digest(new Uint8Array(await got.arrayBuffer()))).toBe(await digest(expected))

      // A new plan replaces the action; the same plan again changes nothing.
      const second = { seed: 7, words: '', sources: [JPEG_IMAGE] }
      for (let i = 0; i < 2; i++) {
        res = await putPlan(remix.id, second, fan)
        expect(res.status).toBe(200)
      }
      actions = (await remixRecipe(remix.id)).aiActions
      expect(actions).toHaveLength(1)
      expect(actions[0]!.parameters).toMatchObject({
        seed: 7,
        variant: 0,
        sourceImages: [JPEG_IMAGE],
      })
      const secondPng = await coreRender({ ...second, variant: 0 })
      got = await call(`/api/remixes/${remix.id}/artwork`, { headers: { Cookie: fan } })
      expect(await digest(new Uint8Array(await got.arrayBuffer()))).toBe(await digest(secondPng))
      expect(await keys(remixArtworkKey(remix.id, await sha256Hex(secondPng)))).toHaveLength(1)
      // Private until published.
      expect(
        (await call(`/api/remixes/${remix.id}/artwork`, { headers: { Cookie: otherFan } })).status,
      ).toBe(403)
    },
  )

  it('refuses bad plans with a clear 4xx and stores nothing', SLOW, async () => {
    const remix = await createRemix()
    const ok = { seed: 1, sources: [PNG_IMAGE] }
    const cases: [unknown, string | undefined, number, string, RegExp][] = [
      [ok, undefined, 401, 'unauthorized', /Log in/],
      [ok, otherFan, 403, 'forbidden', /Only the fan/],
      [{ seed: 1, sources: [OTHER_IMAGE] }, fan, 400, 'bad_request', /does not list/],
      [{ seed: 1, sources: ['nope', PNG_IMAGE] }, fan, 400, 'bad_request', /does not list “nope”/],
      [{ seed: 1, sources: ['cover'] }, fan, 400, 'bad_request', /not a PNG or JPEG/], // an SVG
      [{ seed: 1, sources: [] }, fan, 400, 'invalid_request', /official image/],
      [{ seed: 1, sources: [PNG_IMAGE, PNG_IMAGE] }, fan, 400, 'invalid_request', /once/],
      [{ seed: -1, sources: [PNG_IMAGE] }, fan, 400, 'invalid_request', /seed/],
      [{ seed: 1.5, sources: [PNG_IMAGE] }, fan, 400, 'invalid_request', /seed/],
      [{ seed: 1, variant: 4, sources: [PNG_IMAGE] }, fan, 400, 'invalid_request', /variant/],
      [
        { seed: 1, words: 'x'.repeat(501), sources: [PNG_IMAGE] },
        fan,
        400,
        'invalid_request',
        /words/,
      ],
      [{ ...ok, png: 'iVBORw0KGgo=' }, fan, 400, 'invalid_request', /png/],
      [{ sources: [PNG_IMAGE] }, fan, 400, 'invalid_request', /seed/],
    ]
    for (const [plan, cookie, status, code, message] of cases) {
      const res = await putPlan(remix.id, plan, cookie)
      const what = JSON.stringify(plan).slice(0, 80)
      expect(res.status, what).toBe(status)
      const error = ((await res.json()) as { error: { code: string; message: string } }).error
      expect(error.code, what).toBe(code)
      expect(error.message, what).toMatch(message)
    }
    expect(await keys(`remixes/${remix.id}/`)).toEqual([])
    expect((await remixRecipe(remix.id)).aiActions).toEqual([])
    expect((await putPlan('no-such-remix', ok, fan)).status).toBe(404)
  })

  it('accepts no uploaded PNG any more: the old upload route is gone (405)', SLOW, async () => {
    const remix = await createRemix()
    const png = await coreRender({ seed: 3, variant: 0, words: '', sources: [PNG_IMAGE] }, 100, 64)
    for (const method of ['PUT', 'POST']) {
      const res = await call(`/api/remixes/${remix.id}/artwork?sources=${PNG_IMAGE}&seed=3`, {
        method,
        headers: { 'Content-Type': 'image/png', Cookie: fan },
        body: png,
      })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('Allow')).toBe('GET')
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'method_not_allowed',
      )
    }
    // Nor as the plan's body.
    const res = await call(`/api/remixes/${remix.id}/artwork/plan`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', Cookie: fan },
      body: png,
    })
    expect(res.status).toBe(400)
    expect(await keys(`remixes/${remix.id}/`)).toEqual([])
    expect((await remixRecipe(remix.id)).aiActions).toEqual([])
  })
})

describe('renderCover (what the export job embeds)', () => {
  it(
    'gives the stored render, renders it again when it is gone, and refuses changed images',
    SLOW,
    async () => {
      const remix = await createRemix()
      const plan = { seed: 11, variant: 1, words: 'gold', sources: [JPEG_IMAGE] }
      expect((await putPlan(remix.id, plan, fan)).status).toBe(200)
      const expected = await coreRender(plan)
      const recipe = await remixRecipe(remix.id)
      expect(await digest((await renderCover(env, { id: remix.id, recipe }))!)).toBe(
        await digest(expected),
      )
      // The stored object gone: the same bytes again from the plan (and stored again).
      await env.MEDIA.delete(remixArtworkKey(remix.id, await sha256Hex(expected)))
      expect(await digest((await renderCover(env, { id: remix.id, recipe }))!)).toBe(
        await digest(expected),
      )
      expect(await keys(`remixes/${remix.id}/`)).toHaveLength(1)
      // A recipe without artwork has no cover.
      expect(await renderCover(env, { id: remix.id, recipe: { ...recipe, aiActions: [] } })).toBe(
        null,
      )
      // The artist replaced the image since: not the cover the recipe records, so none is made up.
      await env.MEDIA.delete(remixArtworkKey(remix.id, await sha256Hex(expected)))
      const original = imageBytes.get(JPEG_IMAGE)!
      await env.MEDIA.put(`campaigns/${SLUG}/images/${JPEG_IMAGE}`, officialImage('png'))
      try {
        await expect(renderCover(env, { id: remix.id, recipe })).rejects.toThrow(/changed/)
      } finally {
        await env.MEDIA.put(`campaigns/${SLUG}/images/${JPEG_IMAGE}`, original)
      }
    },
  )
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
      watermarkNote: null,
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
  it('embeds it as the MP3 front cover (APIC) and serves it on the share page', SLOW, async () => {
    const remix = await createRemix()
    const plan = { seed: 3, variant: 0, words: 'wild red', sources: [PNG_IMAGE] }
    expect((await putPlan(remix.id, plan, fan)).status).toBe(200)
    const art = await coreRender(plan)
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
    // The file carries the cover as players expect it: a JPEG of at most 1 MB, 1500 px square.
    expect(pictures[0]!.mime).toBe('image/jpeg')
    expect(pictures[0]!.type).toBe(3)
    expect(pictures[0]!.data.length).toBeLessThanOrEqual(1024 * 1024)
    const embedded = jpeg.decode(pictures[0]!.data, { useTArray: true, maxMemoryUsageInMB: 64 })
    expect([embedded.width, embedded.height]).toEqual([1500, 1500])
    // The 3000×3000 PNG is its own download, listed and hashed with the audio.
    expect(view!.downloads!.files.map((f) => f.format)).toEqual(['mp3-192', 'wav-16', 'cover-png'])
    const png = await call(linkOf(view!.downloads, 'cover-png'))
    expect(png.status).toBe(200)
    expect(png.headers.get('Content-Type')).toBe('image/png')
    expect(await digest(new Uint8Array(await png.arrayBuffer()))).toBe(await digest(art))

    const page = await call(`/api/share/${queued.id}`, { headers: { Cookie: fan } })
    const { share } = (await page.json()) as { share: ShareView }
    expect(share.artworkUrl).toBe(`/api/share/${queued.id}/artwork`)
    const shared = await call(share.artworkUrl!, { headers: { Cookie: fan } })
    expect(shared.status).toBe(200)
    expect(await digest(new Uint8Array(await shared.arrayBuffer()))).toBe(await digest(art))
  })

  it('exports without a cover when the remix has no artwork', SLOW, async () => {
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
