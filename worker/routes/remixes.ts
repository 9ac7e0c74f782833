import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { ARTWORK_SIZE, ARTWORK_TOOL } from '../../core/artwork/plan.ts'
import { ArtworkRequestSchema, artworkAction, artworkOf } from '../../core/artwork/request.ts'
import { windowViolation } from '../../core/campaign/authoring.ts'
import { DomainError } from '../../core/errors.ts'
import type { MyRemixView } from '../../core/api/remixes.ts'
import { LIMITS, RecipeSchema } from '../../core/recipe/schema.ts'
import { checkRecipeForCampaign, type RecipeIssue } from '../../core/recipe/validate.ts'
import type { AppEnv } from '../env.ts'
import { remixArtworkKey, renderArtwork, storeArtwork } from '../artwork/cover.ts'
import { requireUser } from '../auth/session.ts'
import { ownedBy, owns } from '../auth/ownership.ts'
import { findCampaignRow, windowOf } from '../db/campaigns.ts'
import {
  deleteUnexportedRemix,
  findRemixRow,
  insertRemix,
  listRemixesOf,
  remixFrom,
  renameRemix,
  saveRemixAt,
} from '../db/remixes.ts'
import { listStems } from '../views/stems.ts'
import { serveObject } from '../http/serve-object.ts'
import { valid } from '../validate.ts'

const title = z.string().trim().min(1, 'enter a title').max(120)

const CreateSchema = z.object({ campaign: z.string().min(1).max(100), title, recipe: RecipeSchema })

const RenameSchema = z.object({ title })

const SaveSchema = z.object({
  title: title.optional(),
  recipe: RecipeSchema,
  version: z.number().int().min(1),
})

const limit = bodyLimit({
  maxSize: LIMITS.bytes,
  onError: () => {
    throw new DomainError('payload_too_large', `A remix can be at most ${LIMITS.bytes / 1024} KiB.`)
  },
})

/** The campaign's stems with their lengths, as the recipe check needs them. */
async function stemLengths(db: D1Database, campaignId: string) {
  const stems = await listStems(db, campaignId)
  return stems.map((s) => ({ id: s.id, lengthSeconds: s.lengthSamples / s.sampleRate }))
}

function invalidRecipe(found: RecipeIssue[]) {
  const issues = found.map((i) => ({ path: ['recipe', ...i.path], message: i.message }))
  const message = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  return new DomainError('invalid_recipe', message, { issues })
}

/** Why a remix cannot be changed by this user: it does not exist, or it is someone else's. */
async function notYours(db: D1Database, id: string, verb: string): Promise<DomainError> {
  const row = await findRemixRow(db, id)
  return row
    ? new DomainError('forbidden', `Only the fan who made this remix can ${verb} it.`)
    : new DomainError('not_found', 'No such remix.')
}

function conflict(current: number) {
  const message = `This remix was saved somewhere else (version ${current}). Reload to get the latest.`
  return new DomainError('conflict', message, { current })
}

/** Fans' remixes: create, list their own, read, save with optimistic versioning; their artwork. */
export const remixes = new Hono<AppEnv>()
  .use(requireUser())
  .post('/', limit, valid('json', CreateSchema), async (c) => {
    const user = c.var.user
    const body = c.req.valid('json')
    const campaign = await findCampaignRow(c.env.DB, body.campaign)
    if (!campaign) throw new DomainError('not_found', `No live campaign called “${body.campaign}”.`)
    const closed = windowViolation(windowOf(campaign), new Date().toISOString())
    if (closed) throw new DomainError('forbidden', closed.message)
    const stems = await stemLengths(c.env.DB, campaign.id)
    const issues = checkRecipeForCampaign(body.recipe, { slug: campaign.slug, stems })
    if (issues.length > 0) throw invalidRecipe(issues)
    const row = await insertRemix(c.env.DB, {
      id: crypto.randomUUID(),
      campaignId: campaign.id,
      ownerId: user.id,
      title: body.title,
      recipe: body.recipe,
    })
    return c.json({ remix: remixFrom(row) }, 201)
  })
  .get('/', async (c) => {
    const mine = await listRemixesOf(c.env.DB, c.var.user.id)
    const remixes: MyRemixView[] = mine.map(({ readyExportId, ...remix }) => ({
      ...remix,
      shareUrl: readyExportId ? `/r/${readyExportId}` : null,
    }))
    return c.json({ remixes })
  })
  .patch('/:id', valid('json', RenameSchema), async (c) => {
    const user = c.var.user
    const row = await renameRemix(c.env.DB, c.req.param('id'), user.id, c.req.valid('json').title)
    if (!row) throw await notYours(c.env.DB, c.req.param('id'), 'rename')
    return c.json({ remix: remixFrom(row) })
  })
  .delete('/:id', async (c) => {
    const user = c.var.user
    const id = c.req.param('id')
    if (!(await deleteUnexportedRemix(c.env.DB, id, user.id))) {
      const row = await findRemixRow(c.env.DB, id)
      if (row?.owner_id === user.id)
        throw new DomainError(
          'conflict',
          'This remix has exports: they are credited and may be playing, so it stays. Ask the artist to take a public one down.',
        )
      throw await notYours(c.env.DB, id, 'delete')
    }
    // its rendered covers (no export carries them: it was never exported)
    const covers = await c.env.MEDIA.list({ prefix: `remixes/${id}/artwork/` })
    if (covers.objects.length) await c.env.MEDIA.delete(covers.objects.map((o) => o.key))
    return c.body(null, 204)
  })
  .get('/:id', async (c) => {
    const user = c.var.user
    const row = await findRemixRow(c.env.DB, c.req.param('id'))
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (!owns(user, row.owner_id) && row.status !== 'published')
      throw new DomainError('forbidden', 'This remix is private to the fan who made it.')
    return c.json({ remix: remixFrom(row) })
  })
  .put('/:id', limit, valid('json', SaveSchema), async (c) => {
    const user = c.var.user
    const body = c.req.valid('json')
    const id = c.req.param('id')
    const row = ownedBy(await findRemixRow(c.env.DB, id), user, {
      notFound: 'No such remix.',
      forbidden: 'Only the fan who made this remix can save it.',
    })
    const stems = await stemLengths(c.env.DB, row.campaign_id)
    const issues = checkRecipeForCampaign(body.recipe, { slug: row.campaign_slug, stems })
    if (issues.length > 0) throw invalidRecipe(issues)
    // The version check and the write are one statement, so of two saves from the same version
    // exactly one wins.
    const saved = await saveRemixAt(c.env.DB, id, body.version, body)
    if (!saved.row) throw new DomainError('not_found', 'No such remix.')
    if (!saved.saved) throw conflict(saved.row.version)
    return c.json({ remix: remixFrom(saved.row) })
  })
  // A remix's artwork. The owner saves a plan (PUT …/artwork/plan: seed, variant, words, official
  // images); the worker renders it, stores the PNG and records what it rendered as the recipe's
  // artwork AI action. The owner, or anyone once published, reads the PNG. Nothing uploads pixels.
  .put('/:id/artwork/plan', valid('json', ArtworkRequestSchema), async (c) => {
    const user = c.var.user
    const id = c.req.param('id')
    const row = ownedBy(await findRemixRow(c.env.DB, id), user, {
      notFound: 'No such remix.',
      forbidden: 'Only the fan who made this remix can set its artwork.',
    })
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
    const row = await findRemixRow(c.env.DB, c.req.param('id'))
    if (!row) throw new DomainError('not_found', 'No such remix.')
    if (!owns(c.var.user, row.owner_id) && row.status !== 'published')
      throw new DomainError('forbidden', 'This remix is private to the fan who made it.')
    const art = artworkOf(RecipeSchema.parse(JSON.parse(row.recipe)))
    if (!art) throw new DomainError('not_found', 'This remix has no artwork.')
    return serveObject(c, remixArtworkKey(row.id, art.sha256))
  })
