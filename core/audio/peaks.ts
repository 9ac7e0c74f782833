import { z } from 'zod'
import type { Hertz, Samples } from '../units.ts'

/** Precomputed waveform peaks: per channel, the largest absolute sample in each bucket. */
export const PeaksSchema = z.object({
  version: z.literal(1),
  sampleRate: z.number().int().positive(),
  samplesPerPeak: z.number().int().positive(),
  length: z.number().int().nonnegative(),
  channels: z.array(z.array(z.number().min(0).max(1))).min(1),
})
export type Peaks = z.infer<typeof PeaksSchema>

/** Default bucket size: ~86 peaks a second at 44.1 kHz, enough for zoomed-out lanes. */
export const DEFAULT_SAMPLES_PER_PEAK: Samples = 512

/** Computes peaks from planar PCM; values are rounded to 1/1000 to keep the JSON small. */
export function peaksFrom(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  samplesPerPeak: Samples = DEFAULT_SAMPLES_PER_PEAK,
): Peaks {
  if (channels.length === 0) throw new RangeError('peaksFrom needs at least one channel')
  if (!Number.isInteger(samplesPerPeak) || samplesPerPeak < 1)
    throw new RangeError('samplesPerPeak must be a positive integer')
  const length = channels[0]!.length
  const buckets = Math.ceil(length / samplesPerPeak)
  const out = channels.map((pcm) => {
    if (pcm.length !== length) throw new RangeError('all channels must have the same length')
    const peaks = new Array<number>(buckets)
    for (let b = 0; b < buckets; b++) {
      const end = Math.min(length, (b + 1) * samplesPerPeak)
      let max = 0
      for (let i = b * samplesPerPeak; i < end; i++) {
        const v = Math.abs(pcm[i]!)
        if (v > max) max = v
      }
      peaks[b] = Math.round(Math.min(1, max) * 1000) / 1000
    }
    return peaks
  })
  return { version: 1, sampleRate, samplesPerPeak, length, channels: out }
}
