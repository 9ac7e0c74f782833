import type { BPM, Hertz, Samples, Seconds } from '../units.ts'
import { MIN_LENGTH_SECONDS, MIN_REGION_SECONDS } from './edits.ts'
import { LIMITS, RECIPE_VERSION, RecipeSchema, type Recipe } from './schema.ts'

/** What a fresh recipe needs to know about its campaign. */
export type CampaignForRecipe = {
  slug: string
  tempo: BPM
  timeSignature: [number, number]
  stems: { id: string; lengthSamples: Samples; sampleRate: Hertz }[]
}

/** Source length of each stem, in seconds, by stem id (the `EditContext` of `applyEdit`). */
export function stemSecondsFrom(campaign: CampaignForRecipe): Record<string, Seconds> {
  return Object.fromEntries(campaign.stems.map((s) => [s.id, s.lengthSamples / s.sampleRate]))
}

/**
 * The starting remix: every stem whole on its own track from 0, as long as the longest stem.
 * Throws the ZodError when the campaign cannot make a valid recipe (say a tempo under 20).
 */
export function defaultRecipeFrom(campaign: CampaignForRecipe): Recipe {
  const spanOf = (s: CampaignForRecipe['stems'][number]) =>
    Math.min(LIMITS.length, Math.max(MIN_REGION_SECONDS, s.lengthSamples / s.sampleRate))
  const spans = campaign.stems.map(spanOf)
  return RecipeSchema.parse({
    version: RECIPE_VERSION,
    campaign: campaign.slug,
    tempo: campaign.tempo,
    timeSignature: campaign.timeSignature,
    length: spans.length > 0 ? Math.max(...spans) : MIN_LENGTH_SECONDS,
    tracks: campaign.stems.map((s) => ({
      id: `t-${s.id}`,
      stem: s.id,
      regions: [{ id: `r-${s.id}`, start: 0, offset: 0, duration: spanOf(s) }],
    })),
  })
}
