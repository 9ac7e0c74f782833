// Synthetic stems, recipes and measurements for the render tests and the benchmark.
import { wavHeader } from '../../core/audio/wav.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'

export const RATE = 44_100

/** A mono buffer filled by `f(t)` for `seconds`. */
export function bufferOf(seconds: number, f: (t: number) => number, rate = RATE): AudioBuffer {
  const buffer = new AudioBuffer({
    numberOfChannels: 1,
    length: Math.round(seconds * rate),
    sampleRate: rate,
  })
  const data = buffer.getChannelData(0)
  for (let i = 0; i < data.length; i++) data[i] = f(i / rate)
  return buffer
}

export const sine = (hz: number, amplitude: number, seconds: number) =>
  bufferOf(seconds, (t) => amplitude * Math.sin(2 * Math.PI * hz * t))

export const dc = (value: number, seconds: number) => bufferOf(seconds, () => value)

type TrackInput = { id: string; stem: string } & Record<string, unknown>

/** A valid recipe (schema defaults applied) from a few fields. */
export function recipeOf(input: {
  tracks: TrackInput[]
  length?: number
  tempo?: number
  master?: Record<string, unknown>
}): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'test',
    tempo: input.tempo ?? 120,
    timeSignature: [4, 4],
    length: input.length ?? 1,
    tracks: input.tracks,
    master: input.master,
  })
}

/** One region over the whole of a stem from the top. */
export const wholeRegion = (id: string, duration: number) => ({ id, start: 0, offset: 0, duration })

export function peakOf(samples: Float32Array, from = 0, to = samples.length): number {
  let peak = 0
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]!))
  return peak
}

export function rmsOf(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!
  return Math.sqrt(sum / Math.max(1, to - from))
}

export const dbOf = (gain: number) => 20 * Math.log10(gain)

/** The amplitude of one frequency in a span of samples (Goertzel). */
export function toneAmplitude(
  samples: Float32Array,
  hz: number,
  rate = RATE,
  from = 0,
  to = samples.length,
) {
  const w = (2 * Math.PI * hz) / rate
  const coeff = 2 * Math.cos(w)
  let s1 = 0
  let s2 = 0
  for (let i = from; i < to; i++) {
    const s0 = samples[i]! + coeff * s1 - s2
    s2 = s1
    s1 = s0
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2
  return (2 * Math.sqrt(Math.max(0, power))) / (to - from)
}

/** Indices where the signal rises above `threshold` after at least `gap` quiet samples. */
export function onsetsOf(samples: Float32Array, threshold = 1e-4, gap = 64): number[] {
  const onsets: number[] = []
  let quiet = gap
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > threshold) {
      if (quiet >= gap) onsets.push(i)
      quiet = 0
    } else {
      quiet++
    }
  }
  return onsets
}

export function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

/** A 16-bit PCM WAV file of a buffer's first channel, for tests that fetch and decode. */
export function wavOf(buffer: AudioBuffer): ArrayBuffer {
  const samples = buffer.getChannelData(0)
  const header = wavHeader(samples.length, 1, buffer.sampleRate, 'pcm16')
  const out = new DataView(new ArrayBuffer(44 + samples.length * 2))
  new Uint8Array(out.buffer).set(header)
  samples.forEach((v, i) =>
    out.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, v)) * 32767), true),
  )
  return out.buffer
}
