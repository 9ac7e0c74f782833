import { useRef, type Dispatch } from 'react'
import type { StemView } from '../../../core/api/campaigns.ts'
import { formatBarsBeats, type SnapUnit } from '../../../core/recipe/grid.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import { newId } from '../../store/ids.ts'
import type { StudioAction, StudioState } from '../../store/studio.ts'
import { usePlayheadFrame, type Playhead } from '../../studio/playhead.ts'
import type { BoundCommands } from '../../studio/useStudioCommands.ts'
import { clockFrom } from '../format.ts'
import { CommandButton } from './CommandButton.tsx'

type Props = {
  recipe: Recipe
  state: StudioState
  dispatch: Dispatch<StudioAction>
  commands: BoundCommands
  stems: StemView[]
  playhead: Playhead
  playing: boolean
  status: string
}

/** Transport, clock, edit buttons, Export, snap, zoom and adding a track. */
export function Toolbar(props: Props) {
  const { recipe, state, dispatch, commands, stems, playhead, playing, status } = props
  const usedStems = new Set(recipe.tracks.map((t) => t.stem))
  return (
    <div className="toolbar" role="toolbar" aria-label="Studio tools">
      <CommandButton
        commands={commands}
        command="togglePlay"
        className="play"
        aria-label={playing ? 'Pause' : 'Play'}
      >
        {playing ? '❚❚' : '▶'}
      </CommandButton>
      <Clock playhead={playhead} recipe={recipe} />
      <CommandButton commands={commands} command="undo">
        Undo
      </CommandButton>
      <CommandButton commands={commands} command="redo">
        Redo
      </CommandButton>
      <CommandButton commands={commands} command="split">
        Split
      </CommandButton>
      <CommandButton commands={commands} command="duplicate">
        Duplicate
      </CommandButton>
      <CommandButton commands={commands} command="remove">
        Delete
      </CommandButton>
      <CommandButton commands={commands} command="export" className="primary">
        Export
      </CommandButton>
      <CommandButton commands={commands} command="artwork">
        Artwork
      </CommandButton>
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
      <CommandButton commands={commands} command="zoomOut" aria-label="Zoom out">
        −
      </CommandButton>
      <CommandButton commands={commands} command="zoomIn" aria-label="Zoom in">
        +
      </CommandButton>
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

/** Bars and beats, and minutes and seconds, of the playhead: written every frame, not rendered. */
function Clock({ playhead, recipe }: { playhead: Playhead; recipe: Recipe }) {
  const clock = useRef<HTMLOutputElement>(null)
  usePlayheadFrame(playhead, (seconds) => {
    const el = clock.current
    if (!el) return
    const at = seconds.toFixed(3)
    const text = `${formatBarsBeats(seconds, recipe.tempo, recipe.timeSignature)} · ${clockFrom(seconds)}`
    if (el.dataset.seconds !== at) el.dataset.seconds = at
    if (el.textContent !== text) el.textContent = text
  })
  return <output ref={clock} className="clock" data-testid="position" />
}
