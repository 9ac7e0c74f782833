import { useEffect, useRef, type Dispatch } from 'react'
import type { Peaks } from '../../../core/audio/peaks.ts'
import { snapTime } from '../../../core/recipe/grid.ts'
import { regionEnd, type Recipe, type Region } from '../../../core/recipe/schema.ts'
import { regionPeaksFrom } from '../../audio/regionWave.ts'
import { drawPeaks } from '../../audio/waveform.ts'
import type { StudioAction, StudioState } from '../../store/studio.ts'
import { regionDragEdit, type RegionPart } from './regionDrag.ts'
import { useDrag } from './useDrag.ts'

type Props = {
  recipe: Recipe
  trackId: string
  region: Region
  peaks: Peaks | undefined
  color: string
  state: Pick<StudioState, 'pxPerSecond' | 'snap'>
  selected: boolean
  dispatch: Dispatch<StudioAction>
}

/** A region on a lane: its waveform slice, drag to move, edges to trim, corners to fade. */
export function RegionView({
  recipe,
  trackId,
  region,
  peaks,
  color,
  state,
  selected,
  dispatch,
}: Props) {
  const wave = useRef<HTMLDivElement>(null)
  const px = state.pxPerSecond
  const snap = (t: number) => snapTime(t, state.snap, recipe.tempo, recipe.timeSignature)
  const gesture = (first: boolean): 'push' | 'amend' => (first ? 'push' : 'amend')
  const ids = { trackId, regionId: region.id }
  // Drags measure from where the gesture began, not from the region as it moves.
  const origin = useRef(region)

  const edit = (part: RegionPart) => (dx: number, first: boolean) =>
    dispatch({
      type: 'edit',
      edit: regionDragEdit(part, ids, origin.current, dx, snap),
      gesture: gesture(first),
    })
  const move = useDrag(px, edit('move'))
  const trimStart = useDrag(px, edit('trimStart'))
  const trimEnd = useDrag(px, edit('trimEnd'))
  const fadeIn = useDrag(px, edit('fadeIn'))
  const fadeOut = useDrag(px, edit('fadeOut'))

  const seconds = regionEnd(region) - region.start
  const { offset, duration, rate, loops } = region
  useEffect(() => {
    if (!wave.current || !peaks) return
    const channels = regionPeaksFrom(peaks, { offset, duration, rate, loops })
    return drawPeaks(wave.current, channels, seconds, color, { barWidth: 1 })
  }, [peaks, offset, duration, rate, loops, seconds, color])

  const fadeInPct = (region.fadeIn / seconds) * 100
  const fadeOutPct = (region.fadeOut / seconds) * 100
  return (
    <div
      className={`region${selected ? ' selected' : ''}`}
      data-testid="region"
      data-region={region.id}
      data-start={region.start.toFixed(3)}
      style={{ left: region.start * px, width: Math.max(4, seconds * px), borderColor: color }}
      role="button"
      tabIndex={0}
      aria-label={`Region at ${region.start.toFixed(2)} s, ${seconds.toFixed(2)} s long`}
      aria-pressed={selected}
      onPointerDownCapture={() => {
        origin.current = region
        dispatch({ type: 'select', selection: ids })
      }}
      onFocus={() => dispatch({ type: 'select', selection: ids })}
      {...move}
    >
      <div className="region-wave" ref={wave} />
      {loops > 1 &&
        Array.from({ length: loops - 1 }, (_, k) => (
          <span key={k} className="loop-mark" style={{ left: `${((k + 1) / loops) * 100}%` }} />
        ))}
      <svg className="fades" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden>
        <polygon points={`0,0 0,100 ${fadeInPct},0`} />
        <polygon points={`100,0 100,100 ${100 - fadeOutPct},0`} />
      </svg>
      <span className="edge left" title="Trim start" data-part="trimStart" {...trimStart} />
      <span className="edge right" title="Trim end" data-part="trimEnd" {...trimEnd} />
      <span
        className="fade-handle in"
        title="Fade in"
        data-part="fadeIn"
        style={{ left: `${fadeInPct}%` }}
        {...fadeIn}
      />
      <span
        className="fade-handle out"
        title="Fade out"
        data-part="fadeOut"
        style={{ right: `${fadeOutPct}%` }}
        {...fadeOut}
      />
    </div>
  )
}
