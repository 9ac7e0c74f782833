import { Hono } from 'hono'
import { ARTWORK_SIZE, ARTWORK_TOOL } from '../../core/artwork/plan.ts'
import { ArtworkRequestSchema, artworkAction, artworkOf } from '../../core/artwork/request.ts'
import { DomainError } from '../../core/errors.ts'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import type { AppEnv } from '../env.ts'
import { exportArtworkKey, remixArtworkKey, renderArtwork, storeArtwork } from '../artwork/cover.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { findRemixRow, remixFrom, saveRemixAt } from '../db/remixes.ts'
import { serveObject } from '../http/serve-object.ts'
import { valid } from '../validate.ts'
import { sharedOr404 } from './share.ts'

/**
 * A remix's artwork. The owner saves a plan (PUT …/artwork/plan: seed, variant, words, official
 * images); the worker renders it, stores the PNG and records what it rendered as the recipe's
 * artwork AI action. The owner, or anyone once published, reads the PNG. Nothing uploads pixels.
 */
export const remixArtwork = new Hono<AppEnv>()
  .put('/:id/artwork/plan', valid('json', ArtworkRequestSchema), async (c) => {
    const user = c.get('user')
    if (!user) throw new DomainError('unauthorized', 'Log in first.')
    const id = c.req.param('id')
    const row = await findRemixRow(c.env.DB, id)
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (row.owner_id !== user.id)
      throw new DomainError('forbidden', 'Only the fan who made this remix can set its artwork.')
    const campaign = await findCampaignRow(c.env.DB, row.campaign_slug)
    if (!campaign) throw new DomainError('not_found', 'The campaign of this remix is gone.')
    const tempo = RecipeSchema.parse(JSON.parse(row.recipe)).tempo
    const { png, render } = await renderArtwork(c.env, campaign, c.req.valid('json'), tempo)
    await storeArtwork(c.env, id, png, render)
    const action = artworkAction(render, new Date().toISOString())
    // The remix's one artwork action is replaced; a save racing this one is retried on top of.
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt === 0 ? row : await findRemixRow(c.env.DB, id)
      if (!current) break
      const recipe = RecipeSchema.parse(JSON.parse(current.recipe))
      recipe.aiActions = [...recipe.aiActions.filter((a) => a.tool !== ARTWORK_TOOL), action]
      const saved = await saveRemixAt(c.env.DB, id, current.version, { recipe })
      if (saved.saved && saved.row)
        return c.json({
          remix: remixFrom(saved.row),
          artwork: {
            url: `/api/remixes/${id}/artwork`,
            width: ARTWORK_SIZE,
            height: ARTWORK_SIZE,
            sha256: render.sha256,
          },
        })
    }
    // Not recorded: the render is left only if some saved recipe still names it.
    const now = await findRemixRow(c.env.DB, id)
    const named = now ? artworkOf(RecipeSchema.parse(JSON.parse(now.recipe)))?.sha256 : null
    if (named !== render.sha256) await c.env.MEDIA.delete(remixArtworkKey(id, render.sha256))
    throw new DomainError('conflict', 'The remix kept changing; set the artwork again.')
  })
  // Artwork is never uploaded: the worker renders it from the plan.
  .on(['PUT', 'POST', 'PATCH', 'DELETE'], '/:id/artwork', (c) => {
    c.header('Allow', 'GET')
    throw new DomainError(
      'method_not_allowed',
      'Artwork is rendered by Stemfair from its plan: PUT /api/remixes/:id/artwork/plan.',
    )
  })
  .get('/:id/artwork', async (c) => {
    const user = c.get('user')
    const row = await findRemixRow(c.env.DB, c.req.param('id'))
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (row.owner_id !== user?.id && row.status !== 'published')
      throw new DomainError('forbidden', 'This remix is private to the fan who made it.')
    const art = artworkOf(RecipeSchema.parse(JSON.parse(row.recipe)))
    if (!art) throw new DomainError('not_found', 'This remix has no artwork.')
    return serveObject(c, remixArtworkKey(row.id, art.sha256))
  })

/** The artwork of a shared export: the cover its manifest records, as public as its share page. */
export const shareArtwork = new Hono<AppEnv>().get('/:id/artwork', async (c) => {
  const shared = await sharedOr404(c, c.req.param('id'))
  if (shared instanceof Response) return shared
  const key = exportArtworkKey(shared.row.remix_id, shared.manifest)
  if (!key || !(await c.env.MEDIA.head(key)))
    throw new DomainError('not_found', 'This remix has no artwork.')
  return serveObject(c, key)
})
