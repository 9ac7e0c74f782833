// The remix bench:export renders: bench:render's shape and effect set (per track a lowpass, an
// EQ3, a compressor and a tempo-synced delay; on the master an EQ3, a reverb and the limiter),
// over `tracks` stems of 30 s that loop or repeat to `seconds`.
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'

export const STEM_SECONDS = 30
export const RATE = 44100

const DIVISIONS = ['1/4', '1/8', '1/8d', '1/16'] as const

/** A bench recipe over stems named `stemOf(i)`; `campaign` names the campaign it belongs to. */
export function benchRecipe(
  tracks: number,
  seconds: number,
  stemOf: (i: number) => string,
  campaign = 'bench',
): Recipe {
  const repeats = Math.ceil(seconds / STEM_SECONDS)
  return RecipeSchema.parse({
    version: 2,
    campaign,
    tempo: 120,
    timeSignature: [4, 4],
    length: seconds,
    tracks: Array.from({ length: tracks }, (_, i) => ({
      id: `t${i}`,
      stem: stemOf(i),
      gainDb: -6,
      pan: (i / Math.max(1, tracks - 1)) * 1.6 - 0.8,
      effects: [
        { id: `f${i}`, type: 'filter', mode: 'lowpass', frequency: 4000 + (i % 8) * 1000, q: 0.8 },
        { id: `e${i}`, type: 'eq3', low: 2, mid: -3, high: 1 },
        { id: `c${i}`, type: 'compressor', threshold: -18, ratio: 4, attack: 0.01, release: 0.2 },
        { id: `d${i}`, type: 'delay', division: DIVISIONS[i % 4], feedback: 0.35, wet: 0.2 },
      ],
      // half the tracks loop one region, the others lay out separate ones
      regions:
        i % 2 === 0
          ? [
              {
                id: `r${i}`,
                start: 0,
                offset: 0,
                duration: STEM_SECONDS,
                loops: repeats,
                fadeIn: 0.01,
                fadeOut: 0.01,
              },
            ]
          : Array.from({ length: repeats }, (_, k) => ({
              id: `r${i}_${k}`,
              start: k * STEM_SECONDS,
              offset: 0,
              duration: STEM_SECONDS,
              fadeIn: 0.01,
              fadeOut: 0.01,
            })),
    })),
    master: {
      effects: [
        { id: 'me', type: 'eq3', low: 1, mid: 0, high: 2 },
        { id: 'mr', type: 'reverb', decay: 2.5, wet: 0.2 },
      ],
      limiter: { enabled: true, ceilingDb: -1 },
    },
  })
}

/** bench:render's stem i: a tremolo sine an octave-third apart per stem, a little seeded noise. */
export function benchStem(i: number, seconds = STEM_SECONDS, rate = RATE): Float32Array[] {
  const hz = 55 * 2 ** (i / 3)
  let seed = i + 1
  const frames = Math.round(seconds * rate)
  const left = new Float32Array(frames)
  for (let n = 0; n < frames; n++) {
    seed = (seed * 16807) % 2147483647
    const t = n / rate
    const tremolo = 0.6 + 0.4 * Math.sin(2 * Math.PI * (0.5 + i * 0.25) * t)
    left[n] = 0.3 * tremolo * Math.sin(2 * Math.PI * hz * t) + 0.02 * (seed / 2147483647 - 0.5)
  }
  return [left, left.slice()]
}
