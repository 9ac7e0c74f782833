import { RECIPE_VERSION, RecipeSchema } from '../recipe/schema.ts'
import { evaluateLicence } from './evaluate.ts'
import type { LicencePolicy } from './policy.ts'
import { licenceStemsFrom } from './stems.ts'

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
  return evaluateLicence(policy, {
    action: 'generateParts',
    at,
    country: null,
    purpose: 'non-commercial',
    recipe,
    stems: licenceStemsFrom(campaign.slug, campaign.stems),
    exportsToday: 0,
    approved: false,
    sourceStems: [stemId],
  }).allowed
}

/** Stems the assistant transcribes at all: melodic ones, never drums and never the voice. */
export const transcribable = (stem: { role: string; isVoice: boolean }): boolean =>
  stem.role !== 'drums' && !stem.isVoice
