// Moving the watermark band between sample rates, with the one resampler in core/lib/dsp.
import type { Hertz } from '../units.ts'
import { bankFor, resampleInto, type FilterBank } from '../lib/dsp/resample.ts'

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
