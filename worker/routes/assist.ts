import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { assistInputFrom } from '../../core/assist/from-campaign.ts'
import type { PatchFailure } from '../../core/assist/text-patch.ts'
import {
  localProvider,
  TEXT_MODEL,
  workersAiProvider,
  type ModelInput,
} from '../../core/assist/provider.ts'
import { DomainError } from '../../core/errors.ts'
import { recipeFrom } from '../../core/recipe/migrate.ts'
import { LIMITS, RecipeSchema } from '../../core/recipe/schema.ts'
import type { AppEnv, Bindings, SignedInEnv } from '../env.ts'
import { requireUser } from '../auth/session.ts'
import { ownedBy } from '../auth/ownership.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { detailFrom } from '../views/campaigns.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../views/stems.ts'
import { valid } from '../validate.ts'

const TextSchema = z
  .object({
    remixId: z.string().min(1).max(100).optional(),
    recipe: RecipeSchema.optional(),
    text: z.string().trim().min(1, 'write what you want changed').max(500),
  })
  .refine((b) => (b.remixId === undefined) !== (b.recipe === undefined), {
    message: 'send either remixId or recipe',
    path: ['remixId'],
  })

const limit = bodyLimit({
  maxSize: LIMITS.bytes + 4096,
  onError: () => {
    throw new DomainError('payload_too_large', `A remix can be at most ${LIMITS.bytes / 1024} KiB.`)
  },
})

/** The providers this deployment has: free text only with the Workers AI binding. */
function providersOf(env: Bindings) {
  return [
    { id: localProvider.id, capabilities: localProvider.capabilities },
    ...(env.AI
      ? [
          {
            id: 'workers-ai' as const,
            capabilities: { propose: true, freeText: true },
            model: TEXT_MODEL,
          },
        ]
      : []),
  ]
}

/** A free-text request's failure as the error the route answers (422, with its fields). */
function domainErrorOf(failure: PatchFailure): DomainError {
  switch (failure.code) {
    case 'model_output_invalid':
      return new DomainError(failure.code, failure.message)
    case 'patch_invalid':
      return new DomainError(failure.code, failure.message, { issues: failure.issues })
    case 'licence_violation':
      return new DomainError(failure.code, failure.message, { violations: failure.violations })
  }
}

// The recipe to change: the fan's saved remix, or the one on screen for a campaign.
async function recipeAndCampaign(c: Context<SignedInEnv>, body: z.infer<typeof TextSchema>) {
  let recipe = body.recipe
  if (body.remixId) {
    const row = ownedBy(await findRemixRow(c.env.DB, body.remixId), c.var.user, {
      notFound: 'No such remix.',
      forbidden: 'Only the fan who made this remix can change it.',
    })
    recipe = recipeFrom(JSON.parse(row.recipe) as unknown)
  }
  const row = await findCampaignRow(c.env.DB, recipe!.campaign)
  if (!row) throw new DomainError('not_found', `No live campaign called “${recipe!.campaign}”.`)
  return { recipe: recipe!, row }
}

/** The assistant's providers, and free-text requests through Workers AI when it is bound. */
export const assist = new Hono<AppEnv>()
  .get('/providers', (c) => c.json({ providers: providersOf(c.env) }))
  .post('/text', requireUser(), limit, valid('json', TextSchema), async (c) => {
    const ai = c.env.AI
    if (!ai)
      throw new DomainError(
        'provider_unavailable',
        'Free-text requests need the Workers AI binding, which this deployment does not have.',
      )
    const body = c.req.valid('json')
    const { recipe, row } = await recipeAndCampaign(c, body)
    const detail = detailFrom(row)
    const { campaign, stems } = assistInputFrom({
      ...detail,
      stems: await listStems(c.env.DB, row.id),
    })
    const provider = workersAiProvider((model, input: ModelInput) =>
      (ai.run as (m: string, i: ModelInput) => Promise<unknown>)(model, input),
    )
    let outcome
    try {
      outcome = await provider.patchFromText!({
        text: body.text,
        recipe,
        stems,
        campaign,
        policy: detail.licence,
        at: new Date().toISOString(),
      })
    } catch (err) {
      console.error('workers-ai failed', err)
      const message = 'The Workers AI model did not answer. Try again in a moment.'
      throw new DomainError('provider_failed', message)
    }
    if (!outcome.ok) throw domainErrorOf(outcome)
    const { recipe: patched, patch, action, provider: id, model } = outcome
    return c.json({
      recipe: patched,
      summary: patch.summary,
      operations: patch.operations,
      action,
      provider: id,
      model,
    })
  })
