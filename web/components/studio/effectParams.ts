import type { Effect, EffectType } from '../../../core/recipe/schema.ts'

/** How one effect parameter is shown: a slider with a range and unit, or a choice. */
export type ParamSpec =
  | {
      key: string
      label: string
      min: number
      max: number
      step: number
      unit?: string
      log?: boolean
    }
  | { key: string; label: string; options: readonly string[] }

/** The controls of each effect type. Ranges match the recipe schema. */
export const EFFECT_PARAMS: Record<EffectType, readonly ParamSpec[]> = {
  filter: [
    { key: 'mode', label: 'Mode', options: ['lowpass', 'highpass', 'bandpass'] },
    { key: 'frequency', label: 'Cutoff', min: 20, max: 20000, step: 1, unit: 'Hz', log: true },
    { key: 'q', label: 'Q', min: 0.1, max: 20, step: 0.1 },
  ],
  eq3: [
    { key: 'low', label: 'Low', min: -24, max: 12, step: 0.5, unit: 'dB' },
    { key: 'mid', label: 'Mid', min: -24, max: 12, step: 0.5, unit: 'dB' },
    { key: 'high', label: 'High', min: -24, max: 12, step: 0.5, unit: 'dB' },
  ],
  compressor: [
    { key: 'threshold', label: 'Threshold', min: -60, max: 0, step: 0.5, unit: 'dB' },
    { key: 'ratio', label: 'Ratio', min: 1, max: 20, step: 0.1, unit: ':1' },
    { key: 'attack', label: 'Attack', min: 0.001, max: 1, step: 0.001, unit: 's' },
    { key: 'release', label: 'Release', min: 0.01, max: 2, step: 0.01, unit: 's' },
  ],
  delay: [
    {
      key: 'division',
      label: 'Time',
      options: ['1/2', '1/4', '1/4d', '1/8', '1/8d', '1/8t', '1/16'],
    },
    { key: 'feedback', label: 'Feedback', min: 0, max: 0.95, step: 0.01 },
    { key: 'wet', label: 'Mix', min: 0, max: 1, step: 0.01 },
  ],
  reverb: [
    { key: 'decay', label: 'Decay', min: 0.1, max: 20, step: 0.1, unit: 's' },
    { key: 'wet', label: 'Mix', min: 0, max: 1, step: 0.01 },
  ],
  distortion: [
    { key: 'amount', label: 'Drive', min: 0, max: 1, step: 0.01 },
    { key: 'wet', label: 'Mix', min: 0, max: 1, step: 0.01 },
  ],
  pitchShift: [
    { key: 'semitones', label: 'Pitch', min: -12, max: 12, step: 1, unit: 'st' },
    { key: 'wet', label: 'Mix', min: 0, max: 1, step: 0.01 },
  ],
}

/** Slider position (0..1000) from a value, logarithmic where the spec says so. */
export function sliderFrom(
  spec: { min: number; max: number; log?: boolean },
  value: number,
): number {
  const t = spec.log
    ? Math.log(value / spec.min) / Math.log(spec.max / spec.min)
    : (value - spec.min) / (spec.max - spec.min)
  return Math.round(Math.min(1, Math.max(0, t)) * 1000)
}

/** Value from a slider position, snapped to the spec's step. */
export function valueFrom(
  spec: { min: number; max: number; step: number; log?: boolean },
  slider: number,
): number {
  const t = slider / 1000
  const raw = spec.log
    ? spec.min * Math.pow(spec.max / spec.min, t)
    : spec.min + t * (spec.max - spec.min)
  const stepped = Math.round(raw / spec.step) * spec.step
  return Math.min(spec.max, Math.max(spec.min, Number(stepped.toFixed(6))))
}

export const paramOf = (effect: Effect, key: string) =>
  (effect as unknown as Record<string, unknown>)[key]
