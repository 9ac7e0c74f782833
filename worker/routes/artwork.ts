import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import {
  ARTWORK_TOOL,
  ARTWORK_VERSION,
  MAX_SEED,
  MAX_WORDS_LENGTH,
} from '../../core/artwork/plan.ts'
import { MAX_ARTWORK_BYTES, checkArtworkPng } from '../../core/artwork/png.ts'
import { DomainError } from '../../core/errors.ts'
import { RecipeSchema, type AiAction } from '../../core/recipe/schema.ts'
import type { AppEnv } from '../env.ts'
import { listImages } from '../db/author-campaigns.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { findRemixRow, remixFrom, saveRemixAt } from '../db/remixes.ts'
import { remixArtworkKey } from '../db/remix-artwork.ts'
import { serveObject } from '../http/serve-object.ts'
import { valid } from '../validate.ts'
import { sharedOr404 } from './share.ts'

/** The source id that stands for the campaign's own cover artwork. */
export const COVER_SOURCE = 'cover'

const ArtworkQuery = z.object({
  sources: z
    .string()
    .max(1000)
    .transform((s) => [...new Set(s.split(',').filter(Boolean))])
    .pipe(z.array(z.string().min(1).max(100)).min(1, 'name at least one source image').max(16)),
  seed: z.coerce.number().int().min(0).max(MAX_SEED),
  words: z.string().max(MAX_WORDS_LENGTH).default(''),
})

const limit = bodyLimit({
  maxSize: MAX_ARTWORK_BYTES,
  onError: () => {
    throw new DomainError(
      'payload_too_large',
      `Artwork can be at most ${MAX_ARTWORK_BYTES / 1024 / 1024} MiB.`,
    )
  },
})

/** A remix's artwork: the owner uploads it (PUT), the owner or anyone once published reads it. */
export const remixArtwork = new Hono<AppEnv>()
  .put('/:id/artwork', limit, valid('query', ArtworkQuery), async (c) => {
    const user = c.get('user')
    if (!user) throw new DomainError('unauthorized', 'Log in first.')
    const id = c.req.param('id')
    const row = await findRemixRow(c.env.DB, id)
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (row.owner_id !== user.id)
      throw new DomainError('forbidden', 'Only the fan who made this remix can set its artwork.')
    const query = c.req.valid('query')
    const campaign = await findCampaignRow(c.env.DB, row.campaign_slug)
    if (!campaign) throw new DomainError('not_found', 'The campaign of this remix is gone.')
    const listed = new Set((await listImages(c.env.DB, campaign.id)).map((i) => i.id))
    if (campaign.artwork_key) listed.add(COVER_SOURCE)
    const unlisted = query.sources.filter((s) => !listed.has(s))
    if (unlisted.length > 0)
      throw new DomainError(
        'bad_request',
        `The campaign does not list ${unlisted.map((s) => `“${s}”`).join(', ')} among its images.`,
      )
    const png = new Uint8Array(await c.req.arrayBuffer())
    const size = checkArtworkPng(png)

    await c.env.MEDIA.put(remixArtworkKey(id), png, {
      httpMetadata: { contentType: 'image/png' },
      customMetadata: { remixId: id, seed: String(query.seed), sources: query.sources.join(',') },
    })
    const action: AiAction = {
      id: `artwork-${query.seed}`,
      tool: ARTWORK_TOOL,
      version: ARTWORK_VERSION,
      provider: 'local',
      parameters: {
        seed: query.seed,
        words: query.words,
        sourceImages: query.sources,
        width: size.width,
        height: size.height,
      },
      appliedAt: new Date().toISOString(),
    }
    // The remix's one artwork action is replaced; a save racing this one is retried on top of.
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt === 0 ? row : await findRemixRow(c.env.DB, id)
      if (!current) throw new DomainError('not_found', 'No such remix.')
      const recipe = RecipeSchema.parse(JSON.parse(current.recipe))
      recipe.aiActions = [...recipe.aiActions.filter((a) => a.tool !== ARTWORK_TOOL), action]
      const saved = await saveRemixAt(c.env.DB, id, current.version, { recipe })
      if (saved.saved && saved.row)
        return c.json({
          remix: remixFrom(saved.row),
          artwork: { url: `/api/remixes/${id}/artwork`, ...size },
        })
    }
    throw new DomainError('conflict', 'The remix kept changing; set the artwork again.')
  })
  .get('/:id/artwork', async (c) => {
    const user = c.get('user')
    const row = await findRemixRow(c.env.DB, c.req.param('id'))
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (row.owner_id !== user?.id && row.status !== 'published')
      throw new DomainError('forbidden', 'This remix is private to the fan who made it.')
    return serveObject(c, remixArtworkKey(row.id))
  })

/** The artwork of a shared export's remix, as public as its share page. */
export const shareArtwork = new Hono<AppEnv>().get('/:id/artwork', async (c) => {
  const shared = await sharedOr404(c, c.req.param('id'))
  if (shared instanceof Response) return shared
  const key = remixArtworkKey(shared.row.remix_id)
  if (!(await c.env.MEDIA.head(key)))
    throw new DomainError('not_found', 'This remix has no artwork.')
  return serveObject(c, key)
})
