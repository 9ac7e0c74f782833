import { lowpassTap } from '../lib/dsp/window.ts'
import type { Decibels, Hertz } from '../units.ts'

/** Taps of the interpolator on each side of the interpolated point. */
const HALF_TAPS = 12
const TAPS = 2 * HALF_TAPS
/** Samples kept between blocks: the taps of the first points of the next block. */
const HISTORY = TAPS - 1
/** Points per chunk whose bound is checked at once (and samples per chunk maximum). */
const CHUNK = 8

type Interpolator = {
  // The taps folded by symmetry (the phases p and factor − p mirror each other; the half phase is
  // symmetric), over s_k = x_k + x_(TAPS−1−k) and d_k = x_k − x_(TAPS−1−k), k < HALF_TAPS:
  // a quarter = Σ even·s + odd·d, three quarters = Σ even·s − odd·d, a half = Σ half·s.
  even: Float64Array | null
  odd: Float64Array | null
  half: Float64Array
  /** Bound of |interpolated| given the two centre samples' max a and every tap's max m: a·centre + m·rest. */
  centre: number
  rest: number
  /**
   * A tighter bound for smooth signals: a + m·drift + d·slope, d the largest |x_(k+1) − x_k| under
   * the taps. The taps minus linear interpolation between the two centre samples, g, summed by
   * parts: Σ g_k·x_k = G_last·x_last − Σ G_k·(x_(k+1) − x_k), G the running sums of g; drift is
   * the largest |G_last| (the taps' gain minus 1), slope the largest Σ|G_k|, over the phases.
   */
  drift: number
  slope: number
}

const interpolators = new Map<number, Interpolator>()

/** Blackman-windowed sinc taps for the points between samples at fractions p / factor. */
function interpolatorFor(factor: number): Interpolator {
  const cached = interpolators.get(factor)
  if (cached) return cached
  const coefs: Float64Array[] = []
  let centre = 0
  let rest = 0
  let drift = 0
  let slope = 0
  for (let p = 1; p < factor; p++) {
    const c = new Float64Array(TAPS)
    let l1 = 0
    for (let k = 0; k < TAPS; k++) {
      // Tap k sits t samples from the interpolated point; a full-band sinc (cutoff at Nyquist).
      c[k] = lowpassTap(k - HALF_TAPS + 1 - p / factor, 1, HALF_TAPS)
      l1 += Math.abs(c[k]!)
    }
    const mid = Math.abs(c[HALF_TAPS - 1]!) + Math.abs(c[HALF_TAPS]!)
    coefs.push(c)
    centre = Math.max(centre, mid)
    rest = Math.max(rest, l1 - mid)
    let running = 0
    let sum = 0
    for (let k = 0; k < TAPS; k++) {
      const linear = k === HALF_TAPS - 1 ? 1 - p / factor : k === HALF_TAPS ? p / factor : 0
      running += c[k]! - linear
      if (k < TAPS - 1) sum += Math.abs(running)
    }
    drift = Math.max(drift, Math.abs(running))
    slope = Math.max(slope, sum)
  }
  const fold = (c: Float64Array, sign: number) =>
    Float64Array.from({ length: HALF_TAPS }, (_, k) => (c[k]! + sign * c[TAPS - 1 - k]!) / 2)
  const quarter = factor === 4 ? coefs[0]! : null
  const made = {
    even: quarter && fold(quarter, 1),
    odd: quarter && fold(quarter, -1),
    half: fold(coefs[factor === 4 ? 1 : 0]!, 1),
    // Rounding margin: a bound may only ever be too high.
    centre: centre * (1 + 1e-9),
    rest: rest * (1 + 1e-9),
    // Rounding margin of the sums as well: 1e-9 of the largest sample.
    drift: drift * (1 + 1e-9) + 1e-9,
    slope: slope * (1 + 1e-9),
  }
  interpolators.set(factor, made)
  return made
}

/** The oversampling factor of BS.1770's true peak: 4× below 96 kHz, 2× to 192 kHz, none above. */
export const truePeakFactor = (sampleRate: Hertz) =>
  sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1

/**
 * True peak of one channel fed block by block: the largest absolute value of the signal
 * oversampled 4× (2× at 96 kHz and up, none at 192 kHz), with zeros before the first and after
 * the last sample — the same points, to the bit, as interpolating the whole signal at once.
 *
 * Most points are never interpolated: a point between samples a and b is at most
 * max(|a|, |b|)·centre + m·rest (m the largest |sample| under its taps; centre and rest the L1
 * sums of the two centre taps and of the others), and a chunk of points at most m·(centre + rest).
 * For smooth signals a tighter bound holds: max(|a|, |b|) + m·drift + d·slope, d the largest step
 * |x_(k+1) − x_k| under the taps (see Interpolator). Each block is first bounded as a whole (its
 * largest sample and step), then chunk by chunk, then point by point. Points whose bound is below
 * the peak found so far cannot raise it and are skipped; this changes no result. Once the loudest
 * part has passed, most blocks of music cost one pass that finds their largest sample and step.
 */
export class TruePeakMeter {
  private readonly factor: number
  private readonly interpolator: Interpolator | null
  /** HISTORY samples of the past, then the current block. */
  private work: Float32Array
  private chunkMax: Float32Array
  /** Per chunk of `work`: the largest |w[i] − w[i − 1]| of its samples. */
  private chunkStep: Float64Array
  /** Index (in the signal) of the next point to interpolate: between samples `next` and `next + 1`. */
  private next = 0
  /** Samples received. */
  private received = 0
  private peak = 0

  constructor(sampleRate: Hertz) {
    this.factor = truePeakFactor(sampleRate)
    this.interpolator = this.factor > 1 ? interpolatorFor(this.factor) : null
    this.work = new Float32Array(HISTORY + 4096)
    this.chunkMax = new Float32Array(Math.ceil(this.work.length / CHUNK) + 1)
    this.chunkStep = new Float64Array(this.chunkMax.length)
  }

  /** Adds the next `frames` samples of the channel. */
  add(pcm: Float32Array, frames = pcm.length): void {
    if (!this.interpolator) {
      let peak = this.peak
      for (let i = 0; i < frames; i++) {
        const a = Math.abs(pcm[i]!)
        if (a > peak) peak = a
      }
      this.peak = peak
      return
    }
    if (this.work.length < HISTORY + frames) {
      const grown = new Float32Array(HISTORY + frames)
      grown.set(this.work.subarray(0, HISTORY))
      this.work = grown
      this.chunkMax = new Float32Array(Math.ceil(grown.length / CHUNK) + 1)
      this.chunkStep = new Float64Array(this.chunkMax.length)
    }
    this.work.set(pcm.subarray(0, frames), HISTORY)
    this.received += frames
    this.interpolate(HISTORY + frames)
    this.work.copyWithin(0, frames, frames + HISTORY)
  }

  /** The true peak in dBTP (−Infinity for silence). The meter takes no more samples afterwards. */
  finish(): Decibels {
    if (this.interpolator) {
      // The zeros after the last sample: the points between it and them.
      this.work.fill(0, HISTORY, 2 * HISTORY)
      this.interpolate(2 * HISTORY, true)
    }
    return this.peak > 0 ? 20 * Math.log10(this.peak) : -Infinity
  }

  /** Interpolates every point whose taps lie in work[0, length), skipping those that cannot count. */
  private interpolate(length: number, last = false): void {
    const { even, odd, half, centre, rest, drift, slope } = this.interpolator!
    const w = this.work
    // The sample peak (oversampling keeps every original sample; the history's were real samples
    // or the zeros before the first), and the largest step, over the whole buffer.
    let peak = this.peak
    let top = 0
    let steepest = 0
    for (let i = 0, prev = w[0]!; i < length; i++) {
      const x = w[i]!
      const a = x < 0 ? -x : x
      if (a > top) top = a
      const s = x - prev
      const step = s < 0 ? -s : s
      if (step > steepest) steepest = step
      prev = x
    }
    if (top > peak) peak = top
    this.peak = peak
    // w[j] is signal sample base + j; point i (between samples i and i + 1) has its taps at
    // w[q, q + TAPS) with q = i − HALF_TAPS + 1 − base. Its last tap must be in the buffer.
    const base = last ? this.received - HISTORY : this.received - length
    const lastPoint = last ? this.received - 1 : this.received - 1 - HALF_TAPS
    const from = this.next - HALF_TAPS + 1 - base
    const to = lastPoint - HALF_TAPS + 2 - base // exclusive
    if (to <= from) return
    this.next = lastPoint + 1
    // No point of the buffer can pass the peak: nothing to interpolate (most blocks of music).
    if (top + top * drift + steepest * slope <= peak || top * (centre + rest) <= peak) return
    const chunkMax = this.chunkMax
    const chunkStep = this.chunkStep
    const chunks = Math.ceil(length / CHUNK)
    let prev = w[0]!
    for (let k = 0; k < chunks; k++) {
      let m = 0
      let d = 0
      const end = Math.min(length, (k + 1) * CHUNK)
      for (let i = k * CHUNK; i < end; i++) {
        const x = w[i]!
        const a = x < 0 ? -x : x
        if (a > m) m = a
        const s = x - prev
        const step = s < 0 ? -s : s
        if (step > d) d = step
        prev = x
      }
      chunkMax[k] = m
      chunkStep[k] = d
    }
    const total = centre + rest
    for (let q0 = from; q0 < to; q0 += CHUNK) {
      const q1 = Math.min(to, q0 + CHUNK)
      // Taps of points q0 … q1 − 1 span w[q0, q1 − 1 + TAPS); their steps end in w(q0, …).
      let m = 0
      let d = 0
      for (let k = Math.floor(q0 / CHUNK); k * CHUNK < q1 - 1 + TAPS; k++) {
        if (chunkMax[k]! > m) m = chunkMax[k]!
        if (chunkStep[k]! > d) d = chunkStep[k]!
      }
      if (m * total <= peak) continue
      const smooth = m * drift + d * slope
      // The centre samples of these points: w[q0 + HALF_TAPS − 1, q1 + HALF_TAPS).
      let c = 0
      for (let i = q0 + HALF_TAPS - 1; i < q1 + HALF_TAPS; i++) {
        const a = Math.abs(w[i]!)
        if (a > c) c = a
      }
      if (c + smooth <= peak) continue
      const spread = m * rest
      for (let q = q0; q < q1; q++) {
        const a = Math.abs(w[q + HALF_TAPS - 1]!)
        const b = Math.abs(w[q + HALF_TAPS]!)
        const ab = a > b ? a : b
        if (ab + smooth <= peak || ab * centre + spread <= peak) continue
        let e = 0
        let o = 0
        let h = 0
        for (let k = 0; k < HALF_TAPS; k++) {
          const lo = w[q + k]!
          const hi = w[q + TAPS - 1 - k]!
          const sum = lo + hi
          h += half[k]! * sum
          if (even) {
            e += even[k]! * sum
            o += odd![k]! * (lo - hi)
          }
        }
        const y = Math.max(Math.abs(h), Math.abs(e + o), Math.abs(e - o))
        if (y > peak) peak = y
      }
    }
    this.peak = peak
  }
}

/** True peak of one whole channel in dBTP (see TruePeakMeter). */
export function truePeakOf(pcm: Float32Array, sampleRate: Hertz): Decibels {
  const meter = new TruePeakMeter(sampleRate)
  const block = 1 << 16
  for (let at = 0; at < pcm.length; at += block)
    meter.add(pcm.subarray(at, Math.min(pcm.length, at + block)))
  return meter.finish()
}
