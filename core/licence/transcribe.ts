import { RECIPE_VERSION, RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { evaluateLicence, type LicenceDecision } from './evaluate.ts'
import type { LicencePolicy } from './policy.ts'
import { licenceStemsFrom } from './stems.ts'
import type { LicenceStem } from './use.ts'

/**
 * The licence's decision on the assistant deriving a part from `sourceStems` within `recipe`: the
 * one rule the studio's panel, the assistant's proposals and the worker's notes all apply.
 */
export function generatePartsDecision(
  policy: LicencePolicy,
  use: {
    recipe: Recipe
    stems: LicenceStem[]
    sourceStems: string[]
    at: string
    names?: Record<string, string>
  },
): LicenceDecision {
  return evaluateLicence(policy, {
    action: 'generateParts',
    country: null,
    purpose: 'non-commercial',
    exportsToday: 0,
    approved: false,
    ...use,
  })
}

/**
 * Whether the licence lets the assistant transcribe one stem at `at`, and so derive parts from it:
 * the test the worker applies before it makes or serves a stem's notes (a generated part is
 * checked again, against the fan's own recipe, when it is added and exported).
 */
export function mayTranscribe(
  policy: LicencePolicy,
  campaign: { slug: string; stems: readonly { id: string; isVoice: boolean }[] },
  stemId: string,
  at: string,
): boolean {
  const recipe = RecipeSchema.parse({
    version: RECIPE_VERSION,
    campaign: campaign.slug,
    tempo: 120,
    timeSignature: [4, 4],
    length: 60,
    tracks: [],
  })
  const stems = licenceStemsFrom(campaign.slug, campaign.stems)
  return generatePartsDecision(policy, { recipe, stems, sourceStems: [stemId], at }).allowed
}

/** Stems the assistant transcribes at all: melodic ones, never drums and never the voice. */
export const transcribable = (stem: { role: string; isVoice: boolean }): boolean =>
  stem.role !== 'drums' && !stem.isVoice
