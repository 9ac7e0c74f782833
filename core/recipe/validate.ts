import type { Seconds } from '../units.ts'
import { regionSourceSpan, type Recipe } from './schema.ts'

/** One reason a recipe does not fit its campaign, at a path inside the recipe. */
export type RecipeIssue = { path: (string | number)[]; message: string }

/** What a recipe is checked against: the campaign's slug and the length of each of its stems. */
export type RecipeCampaign = { slug: string; stems: { id: string; lengthSeconds: Seconds }[] }

// A millisecond of slack for rounding between samples and seconds.
const TOLERANCE: Seconds = 0.001

const secondsText = (s: Seconds) => `${Number(s.toFixed(3))} s`

/** Checks what the schema cannot: the campaign, its stems, and regions inside their stems. */
export function checkRecipeForCampaign(recipe: Recipe, campaign: RecipeCampaign): RecipeIssue[] {
  const issues: RecipeIssue[] = []
  if (recipe.campaign !== campaign.slug)
    issues.push({
      path: ['campaign'],
      message: `this recipe is for campaign ${recipe.campaign}, not ${campaign.slug}`,
    })
  const lengths = new Map(campaign.stems.map((s) => [s.id, s.lengthSeconds]))
  recipe.tracks.forEach((track, ti) => {
    const length = lengths.get(track.stem)
    if (length === undefined) {
      issues.push({
        path: ['tracks', ti, 'stem'],
        message: `stem ${track.stem} is not part of this campaign`,
      })
      return
    }
    track.regions.forEach((region, ri) => {
      const end = region.offset + regionSourceSpan(region)
      if (end > length + TOLERANCE)
        issues.push({
          path: ['tracks', ti, 'regions', ri],
          message: `region ${region.id} ends at ${secondsText(end)} of the stem, which is ${secondsText(length)} long`,
        })
    })
  })
  return issues
}
