import { useCallback, useEffect, useRef, type Dispatch } from 'react'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { clearDraft, writeDraft } from './draft.ts'
import { recipeOf, type StudioAction, type StudioState } from './studio.ts'

/** Seconds of quiet after the last edit before the studio saves. */
export const AUTOSAVE_DELAY_MS = 2000

/** The remix as the server has it after a save. */
export type SavedRemix = { id: string; version: number }

/**
 * Keeps the remix safe: every change goes to localStorage at once, and to the server a couple of
 * seconds after the last edit (creating the remix on the first save when signed in). Warns before
 * leaving with unsaved work. Returns `saveNow`, for steps that need the server copy current.
 */
export function useAutosave(
  state: StudioState,
  dispatch: Dispatch<StudioAction>,
  campaignSlug: string,
  signedIn: boolean,
  onCreated: (id: string) => void,
): () => Promise<SavedRemix> {
  const recipe = recipeOf(state)
  const scope = state.remixId ?? `new:${campaignSlug}`
  const latest = useRef(state)
  latest.current = state
  const inFlight = useRef<Promise<SavedRemix> | null>(null)

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

  const saveNow = useCallback(async (): Promise<SavedRemix> => {
    if (inFlight.current) await inFlight.current.catch(() => null)
    const s = latest.current
    if (s.remixId && s.save === 'saved') return { id: s.remixId, version: s.version }
    const sent = recipeOf(s)
    const run = (async () => {
      dispatch({ type: 'saving' })
      try {
        const { remix } = s.remixId
          ? await api.saveRemix(s.remixId, { title: s.title, recipe: sent, version: s.version })
          : await api.createRemix({ campaign: campaignSlug, title: s.title, recipe: sent })
        dispatch({
          type: 'saved',
          remixId: remix.id,
          version: remix.version,
          recipe: sent,
          title: s.title,
        })
        if (!s.remixId) {
          clearDraft(`new:${campaignSlug}`)
          onCreated(remix.id)
        }
        return { id: remix.id, version: remix.version }
      } catch (err) {
        const conflict = err instanceof ApiError && err.status === 409
        dispatch({ type: 'saveFailed', message: (err as Error).message, conflict })
        throw err
      }
    })()
    inFlight.current = run
    try {
      return await run
    } finally {
      inFlight.current = null
    }
  }, [campaignSlug, dispatch, onCreated])

  const pending =
    state.save === 'unsaved' ||
    (state.save === 'local' && signedIn && state.history.past.length > 0)
  useEffect(() => {
    if (!pending) return
    const timer = setTimeout(() => void saveNow().catch(() => {}), AUTOSAVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [pending, recipe, state.title, saveNow])

  useEffect(() => {
    const unsaved = state.save === 'unsaved' || state.save === 'saving' || state.save === 'error'
    if (!unsaved) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [state.save])

  return saveNow
}
