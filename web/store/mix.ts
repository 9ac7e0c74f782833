import { audibleFrom, type MuteSolo } from '../../core/recipe/audibility.ts'

/** Per-stem mute and solo on the campaign page. */
export type MixState = Record<string, MuteSolo>

export type MixAction = { type: 'toggleMute' | 'toggleSolo'; id: string } | { type: 'reset' }

/** Pure reducer over the mix. */
export function mixReducer(state: MixState, action: MixAction): MixState {
  switch (action.type) {
    case 'reset':
      return Object.fromEntries(
        Object.keys(state).map((id) => [id, { muted: false, soloed: false }]),
      )
    case 'toggleMute':
    case 'toggleSolo': {
      const track = state[action.id]
      if (!track) return state
      const next =
        action.type === 'toggleMute'
          ? { ...track, muted: !track.muted }
          : { ...track, soloed: !track.soloed }
      return { ...state, [action.id]: next }
    }
  }
}

export function initialMix(ids: readonly string[]): MixState {
  return Object.fromEntries(ids.map((id) => [id, { muted: false, soloed: false }]))
}

/** Which stems are heard, by id. */
export function audibleMap(state: MixState): Map<string, boolean> {
  const ids = Object.keys(state)
  const audible = audibleFrom(ids.map((id) => state[id]!))
  return new Map(ids.map((id, i) => [id, audible[i]!]))
}
