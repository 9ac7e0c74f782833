import type { Dispatch } from 'react'
import type { StemView } from '../../../core/api/campaigns.ts'
import { formatBarsBeats, type SnapUnit } from '../../../core/recipe/grid.ts'
import { canRedo, canUndo } from '../../../core/recipe/history.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import { newId } from '../../store/ids.ts'
import type { StudioAction, StudioState } from '../../store/studio.ts'
import { clockFrom } from '../format.ts'

type Props = {
  recipe: Recipe
  state: StudioState
  dispatch: Dispatch<StudioAction>
  stems: StemView[]
  position: number
  playing: boolean
  ready: boolean
  status: string
  canSplit: boolean
  hasSelection: boolean
  /** Why Export is off, or null when it is on. */
  exportBlocked: string | null
  on: {
    togglePlay: () => void
    split: () => void
    duplicate: () => void
    remove: () => void
    startExport: () => void
    /** Opens or closes the artwork panel. */
    artwork?: () => void
  }
}

/** Transport, clock, edit buttons, Export, snap, zoom and adding a track. */
export function Toolbar(props: Props) {
  const { recipe, state, dispatch, stems, position, playing, ready, status } = props
  const { canSplit, hasSelection, exportBlocked, on } = props
  const usedStems = new Set(recipe.tracks.map((t) => t.stem))
  return (
    <div className="toolbar" role="toolbar" aria-label="Studio tools">
      <button
        type="button"
        className="play"
        onClick={on.togglePlay}
        disabled={!ready}
        aria-label={playing ? 'Pause' : 'Play'}
        title="Play/pause (Space)"
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <output className="clock" data-testid="position" data-seconds={position.toFixed(3)}>
        {formatBarsBeats(position, recipe.tempo, recipe.timeSignature)} · {clockFrom(position)}
      </output>
      <button
        type="button"
        onClick={() => dispatch({ type: 'undo' })}
        disabled={!canUndo(state.history)}
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        onClick={() => dispatch({ type: 'redo' })}
        disabled={!canRedo(state.history)}
        title="Redo (Shift+Ctrl+Z)"
      >
        Redo
      </button>
      <button type="button" onClick={on.split} disabled={!canSplit} title="Split at playhead (S)">
        Split
      </button>
      <button
        type="button"
        onClick={on.duplicate}
        disabled={!hasSelection}
        title="Duplicate (Ctrl+D)"
      >
        Duplicate
      </button>
      <button type="button" onClick={on.remove} disabled={!hasSelection} title="Delete (Del)">
        Delete
      </button>
      <button
        type="button"
        className="primary"
        onClick={on.startExport}
        disabled={exportBlocked !== null}
        title={exportBlocked ?? 'Render, watermark and tag your remix'}
      >
        Export
      </button>
      {on.artwork && (
        <button type="button" onClick={on.artwork} title="Artwork remix (C)">
          Artwork
        </button>
      )}
      <label>
        Snap{' '}
        <select
          aria-label="Snap"
          value={state.snap}
          onChange={(e) => dispatch({ type: 'setSnap', snap: e.currentTarget.value as SnapUnit })}
        >
          <option value="bar">Bar</option>
          <option value="beat">Beat</option>
          <option value="off">Off</option>
        </select>
      </label>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out (−)"
        onClick={() => dispatch({ type: 'zoom', factor: 1 / 1.5 })}
      >
        −
      </button>
      <button
        type="button"
        aria-label="Zoom in"
        title="Zoom in (+)"
        onClick={() => dispatch({ type: 'zoom', factor: 1.5 })}
      >
        +
      </button>
      <label>
        Add track{' '}
        <select
          aria-label="Add track"
          value=""
          onChange={(e) => {
            const stem = e.currentTarget.value
            if (stem)
              dispatch({ type: 'edit', edit: { type: 'addTrack', trackId: newId('t'), stem } })
          }}
        >
          <option value="">Stem…</option>
          {stems.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {usedStems.has(s.id) ? ' (another lane)' : ''}
            </option>
          ))}
        </select>
      </label>
      <span className="muted small">{status}</span>
    </div>
  )
}
