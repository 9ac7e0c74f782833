import type { Dispatch } from 'react'
import type { StemLimits } from '../../../core/licence/evaluate.ts'
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

/**
 * A slider's range: the field's own, narrowed by the licence for pitch (the region's share of the
 * total shift: what rate and effects already use is taken off) and rate, with the licence's reason.
 */
function rangeOf(f: Field, region: Region, limits: StemLimits | null) {
  const own = {
    min: f.min,
    max: f.key.startsWith('fade') ? Math.min(f.max, region.duration) : f.max,
  }
  if (f.key === 'rate' && limits?.rate)
    return {
      min: Math.max(own.min, limits.rate.min),
      max: Math.min(own.max, limits.rate.max),
      reason: limits.reasons.rate,
    }
  if (f.key === 'pitch' && limits?.pitch) {
    const fromRate = 12 * Math.log2(region.rate)
    const min = Math.ceil(Math.max(own.min, limits.pitch.min - fromRate))
    const max = Math.floor(Math.min(own.max, limits.pitch.max - fromRate))
    return { min: Math.min(min, max), max, reason: limits.reasons.pitch }
  }
  return { ...own, reason: undefined }
}

/** The selected region's loop count, gain, playback rate, pitch and fades. */
export function RegionPanel({
  trackId,
  region,
  dispatch,
  limits,
}: {
  trackId: string
  region: Region
  dispatch: Dispatch<StudioAction>
  /** What the licence allows on this stem; pitch and rate sliders stay inside it. */
  limits: StemLimits | null
}) {
  const g = useGesture()
  return (
    <section className="region-panel" aria-label="Selected region">
      <h3>Region</h3>
      <p className="muted small">
        {region.start.toFixed(2)} s · {region.duration.toFixed(2)} s × {region.loops} · from{' '}
        {region.offset.toFixed(2)} s of the stem
      </p>
      {FIELDS.map((f) => {
        const { min, max, reason } = rangeOf(f, region, limits)
        return (
          <label key={f.key} className="param" title={reason}>
            <span>{f.label}</span>
            <input
              type="range"
              aria-label={`Region ${f.label.toLowerCase()}`}
              aria-description={reason}
              min={min}
              max={max}
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
        )
      })}
    </section>
  )
}
