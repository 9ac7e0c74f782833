// Whole-signal resampling at any rational ratio through a cached polyphase bank; streaming
// integer-factor decimation is decimate.ts. Both take their taps from window.ts's one low-pass design.
import type { Hertz } from '../../units.ts'
import { lowpassTap } from './window.ts'

const MAX_PHASES = 1024
/** Width of the Blackman-windowed sinc's main lobe in transition widths: taps = this × rate / transition. */
const BLACKMAN_WIDTH = 6

/** A polyphase windowed-sinc filter bank for one rate pair: taps per output phase, DC gain 1. */
export interface FilterBank {
  phases: number
  taps: number
  /** Index of the first tap relative to floor(input position). */
  first: number
  coefficients: Float32Array
}

const banks = new Map<string, FilterBank>()

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

/** The polyphase bank for `from` → `to` Hz with the given cutoff and transition band, cached. */
export function bankFor(from: Hertz, to: Hertz, cutoff: Hertz, transition: Hertz): FilterBank {
  const id = `${from}:${to}:${cutoff}:${transition}`
  const cached = banks.get(id)
  if (cached) return cached
  const phases = Math.min(MAX_PHASES, to / gcd(from, to))
  const fc = Math.min(1, (2 * cutoff) / from)
  const half = Math.ceil((BLACKMAN_WIDTH * from) / transition / 2)
  const taps = 2 * half
  const first = -half + 1
  const coefficients = new Float32Array(phases * taps)
  for (let p = 0; p < phases; p++) {
    const frac = p / phases
    let sum = 0
    for (let k = 0; k < taps; k++) {
      const v = lowpassTap(first + k - frac, fc, half)
      coefficients[p * taps + k] = v
      sum += v
    }
    for (let k = 0; k < taps; k++) coefficients[p * taps + k]! /= sum
  }
  const bank = { phases, taps, first, coefficients }
  banks.set(id, bank)
  return bank
}

/**
 * Resamples `input` from `from` to `to` Hz into `output` (its length decides how many samples) with
 * a windowed-sinc low-pass centred on `cutoff` whose transition band is `transition` Hz wide;
 * zero-phase: output sample n sits at input time n·from/to.
 */
export function resampleInto(
  input: Float32Array,
  from: Hertz,
  to: Hertz,
  cutoff: Hertz,
  transition: Hertz,
  output: Float32Array,
): Float32Array {
  if (from === to) {
    output.set(input.subarray(0, output.length))
    return output
  }
  const { phases, taps, first, coefficients } = bankFor(from, to, cutoff, transition)
  const last = input.length - 1
  for (let n = 0; n < output.length; n++) {
    const position = n * from
    const base = Math.floor(position / to)
    const phase = Math.floor(((position - base * to) * phases) / to)
    const c = phase * taps
    const start = base + first
    let acc = 0
    if (start >= 0 && start + taps - 1 <= last) {
      for (let k = 0; k < taps; k++) acc += coefficients[c + k]! * input[start + k]!
    } else {
      for (let k = 0; k < taps; k++) {
        const i = start + k
        if (i >= 0 && i <= last) acc += coefficients[c + k]! * input[i]!
      }
    }
    output[n] = acc
  }
  return output
}

/** The number of samples `length` input samples at `from` Hz become at `to` Hz. */
export function resampledLength(length: number, from: Hertz, to: Hertz): number {
  return Math.ceil((length * to) / from)
}
