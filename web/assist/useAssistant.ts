import { useEffect, useMemo, useState } from 'react'
import { assistInputFrom } from '../../core/assist/from-campaign.ts'
import { partGeneratorFrom } from '../../core/assist/generated-part.ts'
import { proposeAll } from '../../core/assist/propose.ts'
import {
  ENERGY_PRESETS,
  MAX_SEED,
  type EnergyPreset,
  type Intent,
  type Proposal,
  type Refusal,
} from '../../core/assist/types.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { assistApi, type ProviderView } from './api.ts'

/** What the fan asks for: intent, an optional length, an energy curve, and the seed. */
export type AssistChoice = {
  intent: Intent
  targetSeconds: number | null
  energy: EnergyPreset | 'auto'
  seed: number
}

/** A fresh random seed (the fan's Regenerate). */
export function newSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! % (MAX_SEED + 1)
}

/** Proposals for a choice, computed in the browser by the local provider. */
export function proposalsFor(
  choice: AssistChoice,
  campaign: CampaignDetail,
  recipe: Recipe,
): { proposals: Proposal[]; refused: Refusal[]; error: string | null } {
  try {
    const { campaign: c, stems } = assistInputFrom(campaign)
    return {
      ...proposeAll({
        recipe,
        stems,
        campaign: c,
        policy: campaign.licence,
        // Where the licence allows it, one proposal carries a generated part in the campaign's key.
        generatePart: partGeneratorFrom(new Date().toISOString()),
        intent: choice.intent,
        seed: choice.seed,
        ...(choice.targetSeconds ? { targetSeconds: choice.targetSeconds } : {}),
        ...(choice.energy !== 'auto' ? { energy: [...ENERGY_PRESETS[choice.energy]] } : {}),
      }),
      error: null,
    }
  } catch (err) {
    return { proposals: [], refused: [], error: (err as Error).message }
  }
}

/** The providers this deployment offers; only `local` until the worker answers. */
export function useProviders(): ProviderView[] {
  const [providers, setProviders] = useState<ProviderView[]>([
    { id: 'local', capabilities: { propose: true, freeText: false } },
  ])
  useEffect(() => {
    const abort = new AbortController()
    assistApi
      .providers(abort.signal)
      .then((r) => setProviders(r.providers))
      .catch(() => undefined)
    return () => abort.abort()
  }, [])
  return providers
}

/**
 * The assistant's state: the choice, and the proposals generated for it. Proposals are made on
 * Generate (not on every edit), from the recipe on screen at that moment.
 */
export function useAssistant(campaign: CampaignDetail, recipe: Recipe) {
  const [choice, setChoice] = useState<AssistChoice>(() => ({
    intent: 'extended',
    targetSeconds: null,
    energy: 'auto',
    seed: newSeed(),
  }))
  const [asked, setAsked] = useState<{ choice: AssistChoice; recipe: Recipe } | null>(null)
  const result = useMemo(
    () => (asked ? proposalsFor(asked.choice, campaign, asked.recipe) : null),
    [asked, campaign],
  )
  const generate = (seed = choice.seed) => {
    const next = { ...choice, seed }
    setChoice(next)
    setAsked({ choice: next, recipe })
  }
  return {
    choice,
    setChoice,
    result,
    generate: () => generate(),
    regenerate: () => generate(newSeed()),
  }
}
