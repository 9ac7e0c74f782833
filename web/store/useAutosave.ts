import { useEffect, useRef, type Dispatch } from 'react'
import { api, ApiError } from '../api.ts'
import { clearDraft, writeDraft } from './draft.ts'
import { recipeOf, type StudioAction, type StudioState } from './studio.ts'

/** Seconds of quiet after the last edit before the studio saves. */
export const AUTOSAVE_DELAY_MS = 2000

/**
 * Keeps the remix safe: every change goes to localStorage at once, and to the server a couple of
 * seconds after the last edit (creating the remix on the first save when signed in). Warns before
 * leaving with unsaved work.
 */
export function useAutosave(
  state: StudioState,
  dispatch: Dispatch<StudioAction>,
  campaignSlug: string,
  signedIn: boolean,
  onCreated: (id: string) => void,
): void {
  const recipe = recipeOf(state)
  const scope = state.remixId ?? `new:${campaignSlug}`
  const inFlight = useRef(false)

  useEffect(() => {
    if (state.save === 'saved') clearDraft(scope)
    else if (state.save !== 'saving')
      writeDraft(scope, {
        recipe,
        title: state.title,
        baseVersion: state.version,
        savedAt: new Date().toISOString(),
      })
  }, [scope, recipe, state.title, state.save, state.version])

  useEffect(() => {
    const pending =
      state.save === 'unsaved' ||
      (state.save === 'local' && signedIn && state.history.past.length > 0)
    if (!pending || inFlight.current) return
    const timer = setTimeout(async () => {
      inFlight.current = true
      dispatch({ type: 'saving' })
      try {
        const { remix } = state.remixId
          ? await api.saveRemix(state.remixId, {
              title: state.title,
              recipe,
              version: state.version,
            })
          : await api.createRemix({ campaign: campaignSlug, title: state.title, recipe })
        dispatch({
          type: 'saved',
          remixId: remix.id,
          version: remix.version,
          recipe,
          title: state.title,
        })
        if (!state.remixId) {
          clearDraft(scope)
          onCreated(remix.id)
        }
      } catch (err) {
        const conflict = err instanceof ApiError && err.status === 409
        dispatch({ type: 'saveFailed', message: (err as Error).message, conflict })
      } finally {
        inFlight.current = false
      }
    }, AUTOSAVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [
    state.save,
    state.remixId,
    state.title,
    state.version,
    state.history.past.length,
    recipe,
    signedIn,
    campaignSlug,
    dispatch,
    onCreated,
    scope,
  ])

  useEffect(() => {
    const unsaved = state.save === 'unsaved' || state.save === 'saving' || state.save === 'error'
    if (!unsaved) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [state.save])
}
