import { useMemo } from 'react'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { evaluateLicence, limitsForStem, type StemLimits } from '../../core/licence/evaluate.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import type { EffectType, Recipe } from '../../core/recipe/schema.ts'

/**
 * What the campaign's licence says of the remix on screen: the decision an export would get (the
 * worker decides again), the limits on the selected track's stem, and the effects forbidden on
 * the selected track — or on the master, which reaches every stem in the mix.
 */
export function useStudioLicence(
  campaign: CampaignDetail,
  recipe: Recipe,
  selectedStem: string | null,
) {
  const { licence, slug, stems } = campaign
  const licenceStems = useMemo(() => licenceStemsFrom(slug, stems), [slug, stems])
  const names = useMemo(() => Object.fromEntries(stems.map((s) => [s.id, s.name])), [stems])
  const decision = useMemo(
    () =>
      evaluateLicence(licence, {
        action: 'export',
        at: new Date().toISOString(),
        country: null,
        purpose: 'non-commercial',
        recipe,
        stems: licenceStems,
        exportsToday: 0,
        approved: false,
        names,
      }),
    [licence, recipe, licenceStems, names],
  )
  // Limits per stem depend only on the licence; the studio re-renders every frame while playing.
  const limits = useMemo(
    () => new Map(licenceStems.map((stem) => [stem.id, limitsForStem(licence, stem, names)])),
    [licence, licenceStems, names],
  )
  const forbiddenEffects = useMemo(() => {
    const forbidden = new Map<EffectType, string>()
    for (const stemId of selectedStem ? [selectedStem] : recipe.tracks.map((t) => t.stem)) {
      const stemLimits = limits.get(stemId)
      for (const type of stemLimits?.effectTypes.forbidden ?? [])
        forbidden.set(
          type,
          stemLimits?.reasons[type] ?? 'The licence does not allow this effect here.',
        )
    }
    return forbidden
  }, [limits, selectedStem, recipe.tracks])
  const selectedLimits: StemLimits | null = (selectedStem && limits.get(selectedStem)) || null
  return { decision, selectedLimits, forbiddenEffects }
}
