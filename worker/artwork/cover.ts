import { decodeSource, sourceTypeOf } from '../../core/artwork/image.ts'
import { ARTWORK_SIZE } from '../../core/artwork/plan.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { artworkSource, rasterizeArtwork } from '../../core/artwork/raster.ts'
import {
  COVER_SOURCE,
  artworkFeatures,
  artworkOf,
  planOf,
  type ArtworkRender,
  type ArtworkRequest,
} from '../../core/artwork/request.ts'
import type { CampaignAnalysis } from '../../core/analysis/types.ts'
import { DomainError } from '../../core/errors.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { listImages } from '../db/author-campaigns.ts'
import { findCampaignRow, type CampaignRow } from '../db/campaigns.ts'
import { listStems } from '../views/stems.ts'
import type { Bindings } from '../env.ts'

/** A remix's rendered artwork, by the hash of its PNG: the same plan is always the same object. */
export const remixArtworkKey = (remixId: string, sha256: string) =>
  `remixes/${remixId}/artwork/${sha256}.png`

/** The R2 key of the cover an export carries (from its signed manifest's artwork action), or null. */
export function exportArtworkKey(remixId: string, manifest: Pick<Recipe, 'aiActions'>) {
  const art = artworkOf(manifest)
  return art ? remixArtworkKey(remixId, art.sha256) : null
}

/** The R2 keys of the official images a campaign lists, by source id (`cover` for its cover). */
async function listedSources(env: Bindings, campaign: CampaignRow): Promise<Map<string, string>> {
  const listed = new Map<string, string>()
  if (campaign.artwork_key) listed.set(COVER_SOURCE, campaign.artwork_key)
  for (const image of await listImages(env.DB, campaign.id)) listed.set(image.id, image.r2_key)
  return listed
}

/** The bytes of the named official images; a 400 for one the campaign does not list or that is not PNG/JPEG. */
async function sourceBytes(env: Bindings, campaign: CampaignRow, ids: readonly string[]) {
  const listed = await listedSources(env, campaign)
  const unlisted = ids.filter((id) => !listed.has(id))
  if (unlisted.length > 0)
    throw new DomainError(
      'bad_request',
      `The campaign does not list ${unlisted.map((s) => `“${s}”`).join(', ')} among its images.`,
    )
  return Promise.all(
    ids.map(async (id) => {
      const object = await env.MEDIA.get(listed.get(id)!)
      if (!object) throw new DomainError('not_found', `The official image “${id}” is missing.`)
      const bytes = new Uint8Array(await object.arrayBuffer())
      if (!sourceTypeOf(bytes))
        throw new DomainError(
          'bad_request',
          `The official image “${id}” is not a PNG or JPEG, so artwork cannot be made from it.`,
        )
      return bytes
    }),
  )
}

/**
 * Renders a requested artwork as the worker's PNG (3000×3000 unless `size` says otherwise), from
 * the campaign's analysis, the fan's words and seed and the campaign's listed official images,
 * with core's rasterizer and PNG encoder, the code the studio previews with.
 */
export async function renderArtwork(
  env: Bindings,
  campaign: CampaignRow,
  request: ArtworkRequest,
  recipeTempo: number,
  size = ARTWORK_SIZE,
): Promise<{ png: Uint8Array; render: ArtworkRender }> {
  const [bytes, stems] = await Promise.all([
    sourceBytes(env, campaign, request.sources),
    listStems(env.DB, campaign.id),
  ])
  const sourceSha256 = await Promise.all(bytes.map((b) => sha256Hex(b)))
  const analysis = campaign.analysis ? (JSON.parse(campaign.analysis) as CampaignAnalysis) : null
  const features = artworkFeatures({ analysis, key: campaign.musical_key }, stems, recipeTempo)
  // Each image is decoded (and the full-size decode dropped) before the canvas is allocated.
  const sources = bytes.map((b) => artworkSource(decodeSource(b)))
  const png = encodePng(rasterizeArtwork(planOf(features, request), size, sources))
  return { png, render: { request, sourceSha256, sha256: await sha256Hex(png) } }
}

/** Stores a rendered artwork under its hash (idempotent: the same render is the same object). */
export async function storeArtwork(
  env: Bindings,
  remixId: string,
  png: Uint8Array,
  render: ArtworkRender,
) {
  await env.MEDIA.put(remixArtworkKey(remixId, render.sha256), png, {
    httpMetadata: { contentType: 'image/png' },
    customMetadata: { remixId, sha256: render.sha256, renderedBy: 'worker' },
  })
}

/** The stored PNG of a recorded artwork, checked against its hash, or null. */
export async function storedArtwork(
  env: Bindings,
  remixId: string,
  sha256: string,
): Promise<Uint8Array | null> {
  const object = await env.MEDIA.get(remixArtworkKey(remixId, sha256))
  if (!object) return null
  const bytes = new Uint8Array(await object.arrayBuffer())
  return (await sha256Hex(bytes)) === sha256 ? bytes : null
}

/**
 * The cover of a remix's export: the PNG the worker rendered for the artwork its recipe records,
 * or null when the recipe has none. Reads the stored render (checked against the recorded hash);
 * when it is gone, renders the plan again from the campaign's images, which must still be the
 * ones it was made from (else a 409: the fan chooses the artwork again). The export job embeds
 * these bytes as the MP3's front cover.
 */
export async function renderCover(
  env: Bindings,
  remix: { id: string; recipe: Pick<Recipe, 'aiActions' | 'campaign' | 'tempo'> },
): Promise<Uint8Array | null> {
  const recorded = artworkOf(remix.recipe)
  if (!recorded) return null
  const stored = await storedArtwork(env, remix.id, recorded.sha256)
  if (stored) return stored
  const campaign = await findCampaignRow(env.DB, remix.recipe.campaign)
  if (!campaign) throw new DomainError('not_found', 'The campaign of this remix is gone.')
  const { png, render } = await renderArtwork(env, campaign, recorded.request, remix.recipe.tempo)
  if (render.sha256 !== recorded.sha256)
    throw new DomainError(
      'conflict',
      'The official images of this remix’s artwork changed since it was made; choose the artwork again.',
    )
  await storeArtwork(env, remix.id, png, render)
  return png
}
