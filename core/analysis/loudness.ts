import type { Hertz } from '../units.ts'
import { SILENCE_FLOOR_DB } from '../audio/levels.ts'
import { TruePeakMeter } from './true-peak.ts'
import type { Loudness, LoudnessUnits, Lufs } from './types.ts'

/** Reported when no block passes the absolute gate. */
export const SILENT_LUFS: Lufs = -70

type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number }

/**
 * The two K-weighting stages of ITU-R BS.1770 (a high shelf of about +4 dB above 1.5 kHz and a
 * high-pass near 38 Hz), derived for any sample rate from their analogue prototypes.
 */
export function kWeightingFor(sampleRate: Hertz): [Biquad, Biquad] {
  let K = Math.tan((Math.PI * 1681.974450955533) / sampleRate)
  const Vh = 10 ** (3.999843853973347 / 20)
  const Vb = Vh ** 0.4996667741545416
  let Q = 0.7071752369554196
  let a0 = 1 + K / Q + K * K
  const shelf = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  }
  K = Math.tan((Math.PI * 38.13547087602444) / sampleRate)
  Q = 0.5003270373238773
  a0 = 1 + K / Q + K * K
  const highPass = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  }
  return [shelf, highPass]
}

/**
 * Integrated loudness (400 ms blocks every 100 ms, gated at −70 LUFS and −10 LU), loudness range
 * (3 s short-term loudness every 100 ms, gated at −70 LUFS and −20 LU, 10th to 95th percentile) and
 * true peak (4× oversampled below 96 kHz) of planar PCM. Every channel weighs 1 (mono, stereo).
 */
export function loudnessFrom(channels: readonly Float32Array[], sampleRate: Hertz): Loudness {
  const length = channels[0]?.length ?? 0
  const meter = new LoudnessMeter(channels.length, sampleRate, length)
  meter.add(channels, length)
  return meter.result()
}

/** Mean squares of every window of `count` segments, one segment apart. */
function windows(
  segments: number,
  count: number,
  meanSquare: (from: number, count: number) => number,
): Float64Array {
  const n = Math.max(0, segments - count + 1)
  const out = new Float64Array(n)
  for (let j = 0; j < n; j++) out[j] = meanSquare(j, count)
  return out
}

const lufsOf = (meanSquare: number): Lufs =>
  meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : -Infinity

function integrated(blocks: Float64Array): Lufs {
  const passes = (threshold: Lufs) => blocks.filter((z) => lufsOf(z) > threshold)
  const absolute = passes(SILENT_LUFS)
  if (absolute.length === 0) return SILENT_LUFS
  const relative = passes(Math.max(SILENT_LUFS, lufsOf(mean(absolute)) - 10))
  return Math.max(SILENT_LUFS, lufsOf(mean(relative)))
}

function loudnessRange(shortTerm: Float64Array): LoudnessUnits {
  const absolute = shortTerm.filter((z) => lufsOf(z) > SILENT_LUFS)
  if (absolute.length === 0) return 0
  const gate = lufsOf(mean(absolute)) - 20
  const kept = Array.from(absolute, lufsOf)
    .filter((l) => l > gate)
    .sort((a, b) => a - b)
  if (kept.length === 0) return 0
  return percentile(kept, 0.95) - percentile(kept, 0.1)
}

function percentile(sorted: number[], p: number): number {
  const x = p * (sorted.length - 1)
  const i = Math.floor(x)
  const j = Math.min(sorted.length - 1, i + 1)
  return sorted[i]! + (sorted[j]! - sorted[i]!) * (x - i)
}

function mean(x: Float64Array): number {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]!
  return x.length ? s / x.length : 0
}

const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Loudness fed block by block, for a signal of known length too long to hold (`loudnessFrom` is
 * this meter fed the whole signal at once): K-weighting, 100 ms segments and the gates, and the
 * true peak interpolated across blocks.
 */
export class LoudnessMeter {
  private readonly shelf: Biquad
  private readonly highPass: Biquad
  private readonly state: Float64Array[] // per channel: x1 x2 y1 y2 z1 z2
  private readonly bounds: Float64Array
  private readonly energy: Float64Array
  private position = 0
  /** The first segment not yet complete. */
  private segment = 0
  private readonly peaks: TruePeakMeter[]

  private readonly channels: number
  private readonly sampleRate: Hertz

  constructor(channels: number, sampleRate: Hertz, length: number) {
    this.channels = channels
    this.sampleRate = sampleRate
    const segments = Math.floor((length * 10) / sampleRate)
    this.bounds = new Float64Array(segments + 1)
    for (let j = 0; j <= segments; j++) this.bounds[j] = Math.round((j * sampleRate) / 10)
    this.energy = new Float64Array(segments)
    ;[this.shelf, this.highPass] = kWeightingFor(sampleRate)
    this.state = Array.from({ length: channels }, () => new Float64Array(6))
    this.peaks = Array.from({ length: channels }, () => new TruePeakMeter(sampleRate))
  }

  /** Adds the next `frames` frames of planar PCM. */
  add(block: readonly Float32Array[], frames: number): void {
    const { b0, b1, b2, a1, a2 } = this.shelf
    const h1 = this.highPass.a1
    const h2 = this.highPass.a2
    const bounds = this.bounds
    const energy = this.energy
    const segments = energy.length
    const start = this.position
    let j0 = this.segment
    while (j0 < segments && bounds[j0 + 1]! <= start) j0++
    for (let c = 0; c < this.channels; c++) {
      const pcm = block[c]!
      const st = this.state[c]!
      let x1 = st[0]!
      let x2 = st[1]!
      let y1 = st[2]!
      let y2 = st[3]!
      let z1 = st[4]!
      let z2 = st[5]!
      // Segment by segment: the inner loop has no branch.
      for (let j = j0, i = 0; j < segments && i < frames; j++) {
        const end = Math.min(frames, bounds[j + 1]! - start)
        let sum = 0
        for (; i < end; i++) {
          const x = pcm[i]!
          const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
          const z = y - 2 * y1 + y2 - h1 * z1 - h2 * z2
          x2 = x1
          x1 = x
          y2 = y1
          y1 = y
          z2 = z1
          z1 = z
          sum += z * z
        }
        energy[j] = energy[j]! + sum
      }
      st[0] = x1
      st[1] = x2
      st[2] = y1
      st[3] = y2
      st[4] = z1
      st[5] = z2
      this.peaks[c]!.add(pcm, frames)
    }
    this.segment = j0
    this.position += frames
  }

  /** The loudness of everything added; the meter takes no more blocks afterwards. */
  result(): Loudness {
    const { bounds, energy } = this
    const segments = energy.length
    const blockLoudness = (from: number, count: number): number => {
      let sum = 0
      for (let j = from; j < from + count; j++) sum += energy[j]!
      return sum / (bounds[from + count]! - bounds[from]!)
    }
    return {
      integratedLufs: round2(integrated(windows(segments, 4, blockLoudness))),
      rangeLu: round2(loudnessRange(windows(segments, 30, blockLoudness))),
      truePeakDbtp: round2(Math.max(SILENCE_FLOOR_DB, ...this.peaks.map((p) => p.finish()))),
    }
  }
}
