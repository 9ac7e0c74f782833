import { applyEdit, type Edit, type EditContext } from '../../core/recipe/edits.ts'
import { amend, historyFrom, push, redo, undo, type History } from '../../core/recipe/history.ts'
import type { SnapUnit } from '../../core/recipe/grid.ts'
import type { Recipe } from '../../core/recipe/schema.ts'

/** Where the remix stands against the server. */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict' | 'local'

export type Selection = { trackId: string; regionId: string | null } | null

/** Everything the studio shows that is not audio. */
export type StudioState = {
  history: History<Recipe>
  ctx: EditContext
  selection: Selection
  snap: SnapUnit
  pxPerSecond: number
  loop: { start: number; end: number } | null
  remixId: string | null
  version: number
  title: string
  save: SaveState
  saveMessage: string | null
  /** The recipe as the server last confirmed it, to tell saved from unsaved. */
  savedRecipe: Recipe | null
}

export type StudioAction =
  | { type: 'edit'; edit: Edit; gesture?: 'push' | 'amend' }
  | { type: 'applyRecipe'; recipe: Recipe } // a whole recipe (the assistant's) as one undo step
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'select'; selection: Selection }
  | { type: 'setSnap'; snap: SnapUnit }
  | { type: 'zoom'; factor: number }
  | { type: 'setLoop'; loop: { start: number; end: number } | null }
  | { type: 'setTitle'; title: string }
  | { type: 'retrySave' }
  | { type: 'saving' }
  | { type: 'saved'; remixId: string; version: number; recipe: Recipe; title: string }
  | { type: 'saveFailed'; message: string; conflict?: boolean }
  | {
      type: 'replace'
      recipe: Recipe
      remixId: string | null
      version: number
      title: string
      saved: boolean
    }

export const MIN_PX_PER_SECOND = 2
export const MAX_PX_PER_SECOND = 400

export function studioFrom(
  recipe: Recipe,
  ctx: EditContext,
  remix: { id: string; version: number; title: string } | null,
  title: string,
): StudioState {
  return {
    history: historyFrom(recipe),
    ctx,
    selection: null,
    snap: 'beat',
    pxPerSecond: 12,
    loop: null,
    remixId: remix?.id ?? null,
    version: remix?.version ?? 0,
    title: remix?.title ?? title,
    save: remix ? 'saved' : 'local',
    saveMessage: null,
    savedRecipe: remix ? recipe : null,
  }
}

function dirty(state: StudioState, history: History<Recipe>): StudioState {
  const save =
    state.remixId && history.present === state.savedRecipe
      ? 'saved'
      : state.remixId
        ? 'unsaved'
        : 'local'
  return { ...state, history, save, saveMessage: null }
}

/** Pure reducer of the studio. Edits go through core's `applyEdit`; a no-op edit adds no undo step. */
export function studioReducer(state: StudioState, action: StudioAction): StudioState {
  switch (action.type) {
    case 'edit': {
      const next = applyEdit(state.history.present, action.edit, state.ctx)
      if (next === state.history.present) return state
      const history =
        action.gesture === 'amend' ? amend(state.history, next) : push(state.history, next)
      return keepSelection(dirty(state, history))
    }
    case 'applyRecipe': {
      const history = push(state.history, action.recipe)
      return history === state.history ? state : keepSelection(dirty(state, history))
    }
    case 'undo':
    case 'redo': {
      const history = action.type === 'undo' ? undo(state.history) : redo(state.history)
      return history === state.history ? state : keepSelection(dirty(state, history))
    }
    case 'select':
      return { ...state, selection: action.selection }
    case 'setSnap':
      return { ...state, snap: action.snap }
    case 'zoom': {
      const px = Math.min(
        MAX_PX_PER_SECOND,
        Math.max(MIN_PX_PER_SECOND, state.pxPerSecond * action.factor),
      )
      return { ...state, pxPerSecond: px }
    }
    case 'setLoop':
      return { ...state, loop: action.loop }
    case 'setTitle':
      return action.title === state.title
        ? state
        : { ...state, title: action.title, save: state.remixId ? 'unsaved' : 'local' }
    case 'retrySave':
      return { ...state, save: state.remixId ? 'unsaved' : 'local', saveMessage: null }
    case 'saving':
      return { ...state, save: 'saving', saveMessage: null }
    case 'saved': {
      const current = state.history.present === action.recipe && state.title === action.title
      return {
        ...state,
        remixId: action.remixId,
        version: action.version,
        savedRecipe: action.recipe,
        save: current ? 'saved' : 'unsaved',
        saveMessage: null,
      }
    }
    case 'saveFailed':
      return { ...state, save: action.conflict ? 'conflict' : 'error', saveMessage: action.message }
    case 'replace':
      return {
        ...state,
        history: historyFrom(action.recipe),
        selection: null,
        remixId: action.remixId,
        version: action.version,
        title: action.title,
        savedRecipe: action.saved ? action.recipe : null,
        save: action.saved ? 'saved' : action.remixId ? 'unsaved' : 'local',
        saveMessage: null,
      }
  }
}

/** Drops a selection whose track or region no longer exists (after delete, undo, …). */
function keepSelection(state: StudioState): StudioState {
  const sel = state.selection
  if (!sel) return state
  const track = state.history.present.tracks.find((t) => t.id === sel.trackId)
  if (!track) return { ...state, selection: null }
  if (sel.regionId && !track.regions.some((r) => r.id === sel.regionId))
    return { ...state, selection: { trackId: sel.trackId, regionId: null } }
  return state
}

/** The recipe on screen. */
export const recipeOf = (state: StudioState): Recipe => state.history.present
