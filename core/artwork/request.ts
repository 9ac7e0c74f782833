import { z } from 'zod'
import type { BarRange, CampaignAnalysis } from '../analysis/types.ts'
import type { AiAction, Recipe } from '../recipe/schema.ts'
import {
  ARTWORK_SIZE,
  ARTWORK_TOOL,
  ARTWORK_VERSION,
  MAX_SEED,
  MAX_WORDS_LENGTH,
  energyCurve,
  planArtwork,
  type ArtworkInput,
  type ArtworkPlan,
} from './plan.ts'

/** How many seeded variants the studio offers at once (seed, seed + 1, …). */
export const ARTWORK_VARIANTS = 4

/** The most official images one artwork is made from. */
export const MAX_ARTWORK_SOURCES = 8

/** The source id that stands for the campaign's own cover artwork. */
export const COVER_SOURCE = 'cover'

/**
 * What a fan asks the worker to render: a base seed and the variant picked among those it offers,
 * the fan's words, and the official images (ids the campaign lists, `cover` for its cover) in the
 * order they are layered. Everything else comes from the campaign's own analysis.
 */
export const ArtworkRequestSchema = z
  .object({
    seed: z.number().int().min(0).max(MAX_SEED),
    variant: z
      .number()
      .int()
      .min(0)
      .max(ARTWORK_VARIANTS - 1)
      .default(0),
    words: z.string().max(MAX_WORDS_LENGTH).default(''),
    sources: z
      .array(z.string().min(1).max(100))
      .min(1, 'name at least one official image')
      .max(MAX_ARTWORK_SOURCES)
      .refine((s) => new Set(s).size === s.length, 'name each official image once'),
  })
  .strict()
export type ArtworkRequest = z.infer<typeof ArtworkRequestSchema>

/** The seed of a variant: the studio's variants are consecutive seeds from the base seed. */
export const variantSeed = (seed: number, variant: number) => (seed + variant) % (MAX_SEED + 1)

/** The music's part of an artwork's input: what the campaign's analysis says, never the client. */
export type ArtworkFeatures = Omit<ArtworkInput, 'words' | 'seed'>

/** The features of a campaign's music (its analysis, key and per-stem activity; the remix's tempo when unanalysed). */
export function artworkFeatures(
  campaign: { analysis: CampaignAnalysis | null; key: string | null },
  stems: readonly { analysis: { activity?: readonly BarRange[] } }[],
  recipeTempo: number,
): ArtworkFeatures {
  const sections = campaign.analysis?.sections ?? []
  const activity = stems.map((s) => s.analysis.activity ?? [])
  const hasActivity = activity.some((a) => a.length > 0)
  return {
    tempo: campaign.analysis?.tempo || recipeTempo,
    key: campaign.analysis?.key ?? campaign.key ?? null,
    sections,
    energy: energyCurve(sections, hasActivity ? activity : undefined),
  }
}

/** The plan of a request over the campaign's features. */
export function planOf(
  features: ArtworkFeatures,
  request: Pick<ArtworkRequest, 'seed' | 'variant' | 'words'>,
): ArtworkPlan {
  return planArtwork({
    ...features,
    words: request.words,
    seed: variantSeed(request.seed, request.variant),
  })
}

/** What the worker rendered, recorded as the remix's artwork AI action. */
export type ArtworkRender = {
  request: ArtworkRequest
  /** SHA-256 of each official image's bytes, in the request's order. */
  sourceSha256: string[]
  /** SHA-256 of the PNG the worker rendered. */
  sha256: string
}

/** The recipe's AI action for an artwork the worker rendered. */
export function artworkAction(render: ArtworkRender, appliedAt: string): AiAction {
  const { request } = render
  const seed = variantSeed(request.seed, request.variant)
  return {
    id: `artwork-${seed}`,
    tool: ARTWORK_TOOL,
    version: ARTWORK_VERSION,
    provider: 'local',
    parameters: {
      seed,
      baseSeed: request.seed,
      variant: request.variant,
      words: request.words,
      sourceImages: request.sources,
      sourceSha256: render.sourceSha256,
      renderedBy: 'worker',
      width: ARTWORK_SIZE,
      height: ARTWORK_SIZE,
      sha256: render.sha256,
    },
    appliedAt,
  }
}

const RecordedSchema = z.object({
  baseSeed: z.number(),
  variant: z.number(),
  words: z.string(),
  sourceImages: z.array(z.string()),
  sourceSha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})

/** The artwork a recipe records (from the worker's AI action), or null when it has none. */
export function artworkOf(recipe: Pick<Recipe, 'aiActions'>): ArtworkRender | null {
  const action = recipe.aiActions.find(
    (a) => a.tool === ARTWORK_TOOL && a.version === ARTWORK_VERSION,
  )
  if (!action) return null
  const recorded = RecordedSchema.safeParse(action.parameters)
  if (!recorded.success) return null
  const request = ArtworkRequestSchema.safeParse({
    seed: recorded.data.baseSeed,
    variant: recorded.data.variant,
    words: recorded.data.words,
    sources: recorded.data.sourceImages,
  })
  if (!request.success) return null
  return {
    request: request.data,
    sourceSha256: recorded.data.sourceSha256,
    sha256: recorded.data.sha256,
  }
}
