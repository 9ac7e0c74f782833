import { useCallback, useReducer, useState } from 'react'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { defaultRecipeFrom, stemSecondsFrom } from '../../core/recipe/default.ts'
import { recipeFrom } from '../../core/recipe/migrate.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { api } from '../api.ts'
import { readDraft } from './draft.ts'
import { studioFrom, studioReducer, type StudioAction } from './studio.ts'

/** The saved remix, or the campaign's default — or, if newer, the draft this browser kept. */
function initialRecipe(
  campaign: CampaignDetail,
  remix: RemixView | null,
): { recipe: Recipe; restored: boolean } {
  const base = remix ? recipeFrom(remix.recipe) : defaultRecipeFrom(campaign)
  const draft = readDraft(remix?.id ?? `new:${campaign.slug}`)
  if (!draft || draft.baseVersion !== (remix?.version ?? 0))
    return { recipe: base, restored: false }
  try {
    const recipe = recipeFrom(draft.recipe)
    return { recipe, restored: JSON.stringify(recipe) !== JSON.stringify(base) }
  } catch {
    return { recipe: base, restored: false }
  }
}

/** Replaces the remix on screen with one the server saved (a reload, the artwork panel's save). */
export const replaceFrom = (saved: RemixView): StudioAction => ({
  type: 'replace',
  recipe: recipeFrom(saved.recipe),
  remixId: saved.id,
  version: saved.version,
  title: saved.title,
  saved: true,
})

/**
 * The studio's state for a loaded campaign and remix, recovering unsaved work kept in this
 * browser. `restored` says a draft was recovered until the fan dismisses it; `reloadLatest`
 * replaces the remix with the server's copy (after a save conflict).
 */
export function useStudioState(campaign: CampaignDetail, remix: RemixView | null) {
  const [initial] = useState(() => initialRecipe(campaign, remix))
  const [restored, setRestored] = useState(initial.restored)
  const [state, dispatch] = useReducer(studioReducer, null, () => {
    const s = studioFrom(
      initial.recipe,
      { stemSeconds: stemSecondsFrom(campaign) },
      remix,
      `${campaign.title} (remix)`,
    )
    return initial.restored && remix ? { ...s, save: 'unsaved' as const, savedRecipe: null } : s
  })
  const remixId = state.remixId
  const reloadLatest = useCallback(async () => {
    if (!remixId) return
    dispatch(replaceFrom((await api.remix(remixId)).remix))
  }, [remixId])
  const dismissRestored = useCallback(() => setRestored(false), [])
  return { state, dispatch, restored, dismissRestored, reloadLatest }
}
