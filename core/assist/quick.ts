import { DomainError } from '../errors.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { NormalRange } from '../units.ts'
import { proposeAll, recipeFromProposal } from './propose.ts'
import type { Intent, Proposal, ProposeInput } from './types.ts'

/** Quick mode's two sliders and a seed, with what `propose` reads of the campaign. */
export type QuickInput = Omit<ProposeInput, 'intent' | 'energy' | 'rate' | 'targetSeconds'> & {
  mood: NormalRange // chill → high-energy
  tempo: NormalRange // slow → fast
}

/** The intent a mood and tempo mean: chill is ambient, high energy is club, very slow is half-time. */
export function intentFrom(mood: NormalRange, tempo: NormalRange): Intent {
  if (tempo < 0.15 && mood < 0.75) return 'halfTime'
  if (mood < 0.2) return 'ambient'
  if (mood < 0.45) return 'strippedBack'
  if (mood < 0.75) return 'extended'
  return 'club'
}

/** Playback rate for the tempo slider: ±20 % around the original, pitch compensated. */
export function rateFrom(tempo: NormalRange): number {
  return Math.round(2 ** ((tempo - 0.5) * 0.52) * 1000) / 1000
}

/** An energy curve for the mood: flat and low when chill, waves of drops when high-energy. */
export function energyFrom(mood: NormalRange): number[] {
  const level = 0.15 + 0.75 * mood
  if (mood < 0.6) return [level * 0.8, level, level * 0.8]
  return [level * 0.6, level, level * 0.5, 1, level * 0.6]
}

/** One whole remix from two sliders: the assistant's proposal for them, its AI action recorded. */
export function quickRemix(input: QuickInput): { recipe: Recipe; proposal: Proposal } {
  for (const [name, value] of [
    ['mood', input.mood],
    ['tempo', input.tempo],
  ] as const)
    if (!Number.isFinite(value) || value < 0 || value > 1)
      throw new DomainError('bad_request', `${name} must be between 0 and 1.`)
  const intent = intentFrom(input.mood, input.tempo)
  const { proposals, refused } = proposeAll({
    ...input,
    intent,
    energy: energyFrom(input.mood).map((e) => Math.min(1, Math.max(0, e))),
    rate: rateFrom(input.tempo),
  })
  const proposal = proposals.find((p) => p.variant === input.seed % 3) ?? proposals[0]
  if (!proposal) {
    const reasons = refused.flatMap((r) => r.reasons.map((v) => v.message))
    throw new DomainError(
      'forbidden',
      `The licence allows no quick remix: ${[...new Set(reasons)].join(' ')}`,
    )
  }
  const quick = {
    ...proposal,
    parameters: { ...proposal.parameters, mode: 'quick', mood: input.mood, tempo: input.tempo },
  }
  return {
    recipe: recipeFromProposal(quick, input.at ?? new Date().toISOString()),
    proposal: quick,
  }
}
