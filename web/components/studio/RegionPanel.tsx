import type { Dispatch } from 'react'
import type { Region } from '../../../core/recipe/schema.ts'
import type { StudioAction } from '../../store/studio.ts'
import { useGesture } from './useDrag.ts'

type Field = {
  key: 'loops' | 'gainDb' | 'rate' | 'pitch' | 'fadeIn' | 'fadeOut'
  label: string
  min: number
  max: number
  step: number
  unit: string
}

const FIELDS: Field[] = [
  { key: 'loops', label: 'Loops', min: 1, max: 64, step: 1, unit: '×' },
  { key: 'gainDb', label: 'Gain', min: -60, max: 12, step: 0.5, unit: 'dB' },
  { key: 'rate', label: 'Rate', min: 0.25, max: 4, step: 0.01, unit: '×' },
  { key: 'pitch', label: 'Pitch', min: -12, max: 12, step: 1, unit: 'st' },
  { key: 'fadeIn', label: 'Fade in', min: 0, max: 30, step: 0.01, unit: 's' },
  { key: 'fadeOut', label: 'Fade out', min: 0, max: 30, step: 0.01, unit: 's' },
]

/** The selected region's loop count, gain, playback rate, pitch and fades. */
export function RegionPanel({
  trackId,
  region,
  dispatch,
}: {
  trackId: string
  region: Region
  dispatch: Dispatch<StudioAction>
}) {
  const g = useGesture()
  return (
    <section className="region-panel" aria-label="Selected region">
      <h3>Region</h3>
      <p className="muted small">
        {region.start.toFixed(2)} s · {region.duration.toFixed(2)} s × {region.loops} · from{' '}
        {region.offset.toFixed(2)} s of the stem
      </p>
      {FIELDS.map((f) => (
        <label key={f.key} className="param">
          <span>{f.label}</span>
          <input
            type="range"
            aria-label={`Region ${f.label.toLowerCase()}`}
            min={f.min}
            max={f.key.startsWith('fade') ? Math.min(f.max, region.duration) : f.max}
            step={f.step}
            value={region[f.key]}
            onPointerUp={g.end}
            onKeyUp={g.end}
            onChange={(e) =>
              dispatch({
                type: 'edit',
                edit: {
                  type: 'setRegion',
                  trackId,
                  regionId: region.id,
                  patch: { [f.key]: Number(e.currentTarget.value) },
                },
                gesture: g.next(),
              })
            }
          />
          <output>
            {region[f.key]}
            {f.unit}
          </output>
        </label>
      ))}
    </section>
  )
}
