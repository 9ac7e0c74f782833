import type { Dispatch } from 'react'
import type { StemView } from '../../../core/api/campaigns.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import type { StudioAction } from '../../store/studio.ts'
import { LevelMeter } from '../LevelMeter.tsx'
import { useGesture } from './useDrag.ts'

type Props = {
  recipe: Recipe
  stems: StemView[]
  dispatch: Dispatch<StudioAction>
  trackLevel: (trackId: string) => number
  masterLevel: () => number
  selectedTrack: string | null
}

const dbText = (db: number) => `${db > 0 ? '+' : ''}${db.toFixed(1)} dB`
const panText = (pan: number) =>
  Math.abs(pan) < 0.005 ? 'C' : `${pan < 0 ? 'L' : 'R'}${Math.round(Math.abs(pan) * 100)}`

/**
 * Channel strips: gain fader, pan, mute, solo and meter per track; the master fader, limiter and
 * meter. Each slider drag is one undo step (push on pointer down, amend while it moves).
 */
export function MixerPanel({
  recipe,
  stems,
  dispatch,
  trackLevel,
  masterLevel,
  selectedTrack,
}: Props) {
  const name = (stem: string) => stems.find((s) => s.id === stem)?.name ?? stem
  const g = useGesture()
  return (
    <section className="mixer-panel" aria-label="Mixer">
      {recipe.tracks.map((t) => (
        <div
          key={t.id}
          className={`strip${selectedTrack === t.id ? ' selected' : ''}`}
          data-testid="strip"
          data-track={t.id}
          onPointerDown={() =>
            dispatch({ type: 'select', selection: { trackId: t.id, regionId: null } })
          }
        >
          <strong className="strip-name">{name(t.stem)}</strong>
          <GainFader
            name={name(t.stem)}
            gainDb={t.gainDb}
            level={() => trackLevel(t.id)}
            onGesture={g}
            onGain={(gainDb, gesture) =>
              dispatch({
                type: 'edit',
                edit: { type: 'setTrack', trackId: t.id, patch: { gainDb } },
                gesture,
              })
            }
          />
          <input
            type="range"
            aria-label={`${name(t.stem)} pan`}
            min={-1}
            max={1}
            step={0.01}
            value={t.pan}
            onPointerUp={g.end}
            onKeyUp={g.end}
            onDoubleClick={() =>
              dispatch({
                type: 'edit',
                edit: { type: 'setTrack', trackId: t.id, patch: { pan: 0 } },
              })
            }
            onChange={(e) =>
              dispatch({
                type: 'edit',
                edit: {
                  type: 'setTrack',
                  trackId: t.id,
                  patch: { pan: Number(e.currentTarget.value) },
                },
                gesture: g.next(),
              })
            }
          />
          <output className="strip-value">{panText(t.pan)}</output>
        </div>
      ))}
      <div
        className={`strip master${selectedTrack === null ? ' selected' : ''}`}
        data-testid="strip-master"
        onPointerDown={() => dispatch({ type: 'select', selection: null })}
      >
        <strong className="strip-name">Master</strong>
        <GainFader
          name="Master"
          gainDb={recipe.master.gainDb}
          level={masterLevel}
          onGesture={g}
          onGain={(gainDb, gesture) =>
            dispatch({ type: 'edit', edit: { type: 'setMaster', patch: { gainDb } }, gesture })
          }
        />
        <label className="limiter">
          <input
            type="checkbox"
            checked={recipe.master.limiter.enabled}
            onChange={(e) =>
              dispatch({
                type: 'edit',
                edit: {
                  type: 'setMaster',
                  patch: { limiter: { enabled: e.currentTarget.checked } },
                },
              })
            }
          />
          Limiter {recipe.master.limiter.ceilingDb} dB
        </label>
      </div>
    </section>
  )
}

type FaderProps = {
  name: string
  gainDb: number
  level: () => number
  onGesture: ReturnType<typeof useGesture>
  onGain: (gainDb: number, gesture: 'push' | 'amend') => void
}

/** A vertical gain fader with its meter and value: one undo step per drag. */
function GainFader({ name, gainDb, level, onGesture: g, onGain }: FaderProps) {
  return (
    <>
      <div className="strip-fader">
        <input
          type="range"
          className="vertical"
          aria-label={`${name} gain`}
          min={-60}
          max={12}
          step={0.5}
          value={gainDb}
          onPointerUp={g.end}
          onKeyUp={g.end}
          onChange={(e) => onGain(Number(e.currentTarget.value), g.next())}
        />
        <LevelMeter level={level} label={`${name} level`} />
      </div>
      <output className="strip-value">{dbText(gainDb)}</output>
    </>
  )
}
