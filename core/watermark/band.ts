// Moving the watermark band between sample rates, with the one resampler in core/lib/dsp.
import type { Hertz } from '../units.ts'
import { bankFor, resampleInto, type FilterBank } from '../lib/dsp/resample.ts'
import { lowpassTap } from '../lib/dsp/window.ts'

/** Filter for moving the watermark band (below 6.2 kHz) between rates: flat to 6.5 kHz, stops by 15.5 kHz. */
const BAND_CUTOFF: Hertz = 11000
const BAND_TRANSITION: Hertz = 9000

/** The filter bank resampleBand uses between two rates (null when they are equal). */
export function bandBank(from: Hertz, to: Hertz): FilterBank | null {
  return from === to ? null : bankFor(from, to, BAND_CUTOFF, BAND_TRANSITION)
}

/** Resamples a signal whose content of interest lies below 6.2 kHz, from `from` to `to` Hz, into `output`. */
export function resampleBand(
  input: Float32Array,
  from: Hertz,
  to: Hertz,
  output: Float32Array,
): Float32Array {
  return resampleInto(input, from, to, BAND_CUTOFF, BAND_TRANSITION, output)
}

/** Half-length of the half-band filter: taps at −HALF_BAND_REACH…HALF_BAND_REACH (a 31-tap filter). */
const HALF_BAND_REACH = 15
/**
 * The odd taps h[1], h[3], … of a Blackman-windowed half-band low-pass (cutoff a quarter of the
 * input rate; every even tap but the centre's 0.5 is zero), scaled to DC gain 1: at 44.1 kHz flat
 * to about 6.9 kHz and down by 15.2 kHz, as wide a guard as resampleBand's filter leaves the band.
 */
export const HALF_BAND_TAPS = (() => {
  const half = HALF_BAND_REACH + 1
  const taps = Float32Array.from({ length: half / 2 }, (_, i) => lowpassTap(2 * i + 1, 0.5, half))
  const sum = 2 * taps.reduce((a, t) => a + t, 0)
  return taps.map((t) => (0.5 * t) / sum)
})()

/**
 * The band of `input` at half its rate (44.1 → 22.05 kHz), into `output` (length ⌈n / 2⌉): the
 * half-band filter computed at the kept samples only, each symmetric pair of taps folded into one
 * product, so 9 multiplies an output where resampleBand's general bank takes 30. Output n sits at
 * input 2n, as resampleBand's does.
 */
export function halveBand(input: Float32Array, output: Float32Array): Float32Array {
  if (output.length !== Math.ceil(input.length / 2))
    throw new RangeError(`halveBand: output holds ${output.length}, not ⌈${input.length} / 2⌉`)
  const taps = HALF_BAND_TAPS
  const count = taps.length
  const last = input.length - 1
  const edge = HALF_BAND_REACH
  for (let n = 0; n < output.length; n++) {
    const at = 2 * n
    let acc = 0.5 * input[at]!
    if (at >= edge && at + edge <= last) {
      for (let k = 0, d = 1; k < count; k++, d += 2)
        acc += taps[k]! * (input[at - d]! + input[at + d]!)
    } else {
      for (let k = 0, d = 1; k < count; k++, d += 2) {
        const before = at - d >= 0 ? input[at - d]! : 0
        const after = at + d <= last ? input[at + d]! : 0
        acc += taps[k]! * (before + after)
      }
    }
    output[n] = acc
  }
  return output
}
