import { useRef, type Dispatch, type PointerEvent, type RefObject } from 'react'
import type { Peaks } from '../../../core/audio/peaks.ts'
import type { CampaignAnalysis } from '../../../core/analysis/types.ts'
import type { StemView } from '../../../core/api/campaigns.ts'
import { audibleFrom } from '../../../core/recipe/audibility.ts'
import { gridLines, secondsPerBar, snapTime } from '../../../core/recipe/grid.ts'
import type { Recipe, Region } from '../../../core/recipe/schema.ts'
import type { StudioAction, StudioState } from '../../store/studio.ts'
import { usePlayheadFrame, type Playhead } from '../../studio/playhead.ts'
import type { BoundCommands } from '../../studio/useStudioCommands.ts'
import { LevelMeter } from '../LevelMeter.tsx'
import { AnalysisMarks } from './AnalysisMarks.tsx'
import { regionDragEdit } from './regionDrag.ts'
import { RegionView } from './RegionView.tsx'
import { useTouchTimeline } from './useTouchTimeline.ts'

type Props = {
  recipe: Recipe
  state: StudioState
  stems: StemView[]
  /** The campaign's beat grid and sections, drawn on the ruler. */
  analysis: CampaignAnalysis | null
  colors: Map<string, string>
  peaks: Map<string, Peaks>
  /** Drawn every frame by the playhead line itself: the timeline does not re-render for it. */
  playhead: Playhead
  /** While playing, the view scrolls to keep the playhead in sight. */
  playing: boolean
  dispatch: Dispatch<StudioAction>
  commands: BoundCommands
  onSeek: (seconds: number) => void
  trackLevel: (trackId: string) => number
}

/** Ruler, one lane per track with its regions, loop range and playhead. */
export function Timeline(props: Props) {
  const {
    recipe,
    state,
    stems,
    analysis,
    colors,
    peaks,
    playhead,
    playing,
    dispatch,
    commands,
    onSeek,
    trackLevel,
  } = props
  const px = state.pxPerSecond
  const width = Math.ceil(recipe.length * px) + 200
  const audible = audibleFrom(recipe.tracks)
  const loopDrag = useRef<number | null>(null)
  const snap = (t: number) => snapTime(t, state.snap, recipe.tempo, recipe.timeSignature)
  const timeAt = (e: PointerEvent<HTMLElement>) =>
    Math.max(0, (e.clientX - e.currentTarget.getBoundingClientRect().left) / px)

  const bars = gridLines(0, recipe.length, 'bar', recipe.tempo, recipe.timeSignature)
  const labelEvery = Math.max(
    1,
    Math.ceil(40 / (px * secondsPerBar(recipe.tempo, recipe.timeSignature))),
  )
  const stemName = (id: string) => stems.find((s) => s.id === id)?.name ?? id
  const scroller = useRef<HTMLDivElement>(null)
  // The region as it was when a touch drag began: drags measure from there.
  const dragOrigin = useRef<Region | null>(null)
  useTouchTimeline(scroller, {
    pxPerSecond: px,
    // The playhead keeps its place on screen while the song slides under the finger.
    onSwipe: (dx) => onSeek(Math.min(recipe.length, Math.max(0, playhead.seconds() + dx / px))),
    onTap: (seconds, trackId) => {
      if (trackId) dispatch({ type: 'select', selection: { trackId, regionId: null } })
      onSeek(snap(seconds))
    },
    onRegionDrag: (trackId, regionId, part, dx, first) => {
      const region = recipe.tracks
        .find((t) => t.id === trackId)
        ?.regions.find((r) => r.id === regionId)
      if (!region) return
      if (first) dragOrigin.current = region
      const ids = { trackId, regionId }
      dispatch({
        type: 'edit',
        edit: regionDragEdit(part, ids, dragOrigin.current ?? region, dx, snap),
        gesture: first ? 'push' : 'amend',
      })
    },
    onZoom: (factor) => dispatch({ type: 'zoom', factor }),
  })

  return (
    <div className="timeline">
      <div className="track-heads">
        <div className="ruler-head">
          {state.loop
            ? `Loop ${state.loop.start.toFixed(1)}–${state.loop.end.toFixed(1)} s`
            : 'Drag the ruler to loop'}
        </div>
        {recipe.tracks.map((track, i) => {
          const selected = state.selection?.trackId === track.id
          return (
            <div
              key={track.id}
              className={`track-head${selected ? ' selected' : ''}${audible[i] ? '' : ' silent'}`}
              data-testid="track-head"
              data-track={track.id}
              onPointerDown={() =>
                dispatch({ type: 'select', selection: { trackId: track.id, regionId: null } })
              }
            >
              <span className="swatch" style={{ background: colors.get(track.stem) }} aria-hidden />
              <span className="track-name">{stemName(track.stem)}</span>
              <button
                type="button"
                className={`toggle mute${track.muted ? ' on' : ''}`}
                aria-pressed={track.muted}
                aria-label={`Mute ${stemName(track.stem)}`}
                onClick={() => commands.run('mute', { trackId: track.id })}
              >
                M
              </button>
              <button
                type="button"
                className={`toggle solo${track.soloed ? ' on' : ''}`}
                aria-pressed={track.soloed}
                aria-label={`Solo ${stemName(track.stem)}`}
                onClick={() => commands.run('solo', { trackId: track.id })}
              >
                S
              </button>
              <button
                type="button"
                className="toggle"
                aria-label={`Add a ${stemName(track.stem)} region at the playhead`}
                title={commands.title('addRegion')}
                onClick={() => commands.run('addRegion', { trackId: track.id })}
              >
                +
              </button>
              <LevelMeter
                level={() => trackLevel(track.id)}
                label={`${stemName(track.stem)} level`}
              />
            </div>
          )
        })}
      </div>
      <div className="timeline-scroll" data-testid="timeline-scroll" ref={scroller}>
        <div className="timeline-body" style={{ width }}>
          <div
            className="ruler"
            data-testid="ruler"
            onPointerDown={(e) => {
              if (e.pointerType === 'touch') return
              e.currentTarget.setPointerCapture(e.pointerId)
              loopDrag.current = snap(timeAt(e))
            }}
            onPointerMove={(e) => {
              if (loopDrag.current === null) return
              const t = snap(timeAt(e))
              if (Math.abs(t - loopDrag.current) * px < 4) return
              const [start, end] =
                t > loopDrag.current ? [loopDrag.current, t] : [t, loopDrag.current]
              dispatch({ type: 'setLoop', loop: { start, end } })
            }}
            onPointerUp={(e) => {
              const from = loopDrag.current
              loopDrag.current = null
              if (from !== null && Math.abs(timeAt(e) - from) * px < 4) onSeek(from)
            }}
          >
            {bars.map((t, i) => (
              <span key={t} className="bar-mark" style={{ left: t * px }}>
                {i % labelEvery === 0 ? i + 1 : ''}
              </span>
            ))}
            <AnalysisMarks analysis={analysis} length={recipe.length} px={px} />
            {state.loop && (
              <button
                type="button"
                className="loop-range"
                style={{
                  left: state.loop.start * px,
                  width: (state.loop.end - state.loop.start) * px,
                }}
                aria-label="Clear loop range"
                title="Click to clear the loop"
                onPointerDown={(e) => e.stopPropagation()}
                onClick={() => dispatch({ type: 'setLoop', loop: null })}
              />
            )}
          </div>
          {recipe.tracks.map((track) => (
            <div
              key={track.id}
              className="lane-track"
              data-testid="lane"
              data-track={track.id}
              onPointerDown={(e) => {
                if (e.target !== e.currentTarget || e.pointerType === 'touch') return
                dispatch({ type: 'select', selection: { trackId: track.id, regionId: null } })
                onSeek(snap(timeAt(e)))
              }}
            >
              {bars.map((t) => (
                <span key={t} className="grid-line" style={{ left: t * px }} />
              ))}
              {track.regions.map((region) => (
                <RegionView
                  key={region.id}
                  recipe={recipe}
                  trackId={track.id}
                  region={region}
                  peaks={peaks.get(track.stem)}
                  color={colors.get(track.stem) ?? '#ccc'}
                  state={state}
                  selected={state.selection?.regionId === region.id}
                  dispatch={dispatch}
                />
              ))}
            </div>
          ))}
          <PlayheadLine playhead={playhead} px={px} playing={playing} scroller={scroller} />
          <div className="song-end" style={{ left: recipe.length * px }} title="End of the remix" />
        </div>
      </div>
    </div>
  )
}

/**
 * The playhead's line, moved by a transform on its own layer every frame (the waveforms under it
 * are not repainted); while playing, it scrolls the view to keep itself in sight.
 */
function PlayheadLine(props: {
  playhead: Playhead
  px: number
  playing: boolean
  scroller: RefObject<HTMLDivElement | null>
}) {
  const { playhead, px, playing, scroller } = props
  const line = useRef<HTMLDivElement>(null)
  usePlayheadFrame(playhead, (seconds) => {
    const el = line.current
    if (!el) return
    const x = seconds * px
    const transform = `translateX(${x.toFixed(1)}px)`
    if (el.style.transform !== transform) el.style.transform = transform
    const box = scroller.current
    if (!box || !playing) return
    const scrollLeft = followedScroll(x, box.scrollLeft, box.clientWidth)
    if (scrollLeft !== null) box.scrollLeft = scrollLeft
  })
  return <div ref={line} className="studio-playhead" data-testid="playhead" />
}

/** The scroll that brings the playhead at `x` back into view, 80 px in; null while it is in view. */
function followedScroll(x: number, scrollLeft: number, width: number): number | null {
  if (x >= scrollLeft && x <= scrollLeft + width - 40) return null
  return Math.max(0, x - 80)
}
