import type { Effect, EffectType } from './schema.ts'

/** Plain names of effect types, for people. */
export const EFFECT_NAMES: Record<EffectType, string> = {
  filter: 'Filter',
  eq3: '3-band EQ',
  compressor: 'Compressor',
  delay: 'Delay',
  reverb: 'Reverb',
  distortion: 'Distortion',
  pitchShift: 'Pitch shift',
}

/** A new effect of `type` with settings that sound reasonable before anyone touches them. */
export function effectFrom(type: EffectType, id: string): Effect {
  const base = { id, bypass: false }
  switch (type) {
    case 'filter':
      return { ...base, type, mode: 'lowpass', frequency: 2000, q: 0.7 }
    case 'eq3':
      return { ...base, type, low: 0, mid: 0, high: 0 }
    case 'compressor':
      return { ...base, type, threshold: -18, ratio: 3, attack: 0.01, release: 0.2 }
    case 'delay':
      return { ...base, type, division: '1/8d', feedback: 0.35, wet: 0.25 }
    case 'reverb':
      return { ...base, type, decay: 3, wet: 0.25 }
    case 'distortion':
      return { ...base, type, amount: 0.3, wet: 0.5 }
    case 'pitchShift':
      return { ...base, type, semitones: 0, wet: 1 }
  }
}
