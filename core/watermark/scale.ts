// Cheap scoring of candidate speed and tempo changes: one dense STFT of the clip's start, from
// which the features the mark was embedded in are read back under any change by picking frames
// (time scaled by speed × tempo) and summing power over scaled bin ranges (frequency scaled by
// speed) — no resampling and no new transforms per candidate. Only the best candidates are then
// searched exactly (detect.ts).
import { dsp, type KernelScorer } from '../dsp/kernels.ts'
import { BAND_BINS, BANDS, FIRST_BIN, FRAME, HOP, SLOTS } from './layout.ts'
import { Analyzer, contrastInTime } from './stft.ts'

const EMPTY = new Float32Array(0) as Float32Array & Float64Array

/** Samples between the dense frames: a frame is read at most DENSE_HOP / 2 from where it lies. */
export const DENSE_HOP = 64

/** Bins kept per dense frame: every bin a band reaches under a speed change of up to ±`reach`. */
function binRange(reach: number): { low: number; bins: number } {
  const low = Math.max(1, Math.floor((FIRST_BIN - 0.5) * (1 - reach)) - 1)
  const high = Math.ceil((FIRST_BIN + BANDS * BAND_BINS - 0.5) * (1 + reach)) + 1
  return { low, bins: Math.min(FRAME / 2, high) - low }
}

/**
 * A dense STFT of one signal, as cumulative power over bins, frame by frame: in the DSP kernels'
 * memory when a host has handed them over (core/dsp/kernels.ts), else here in JS (the reference
 * they reproduce; `js` forces it).
 */
export class ScaleScorer {
  private readonly analyzer = new Analyzer()
  private readonly low: number
  private readonly stride: number
  /** The analysis held by the kernels, or null (then the JS state below holds it). */
  private readonly kernel: KernelScorer | null
  /** cumulative[d × stride + i]: power of bins low…low + i − 1 of dense frame d. */
  private readonly cumulative: Float64Array
  readonly frames: number
  /** Most frames one call of `features` writes (raw and weights hold this many). */
  private readonly limit: number
  private readonly energies = new Float64Array(BANDS)
  private readonly raw: Float32Array
  private readonly weights: Float32Array
  /**
   * Features and reliability weights of every dense frame at its own bins (speed 1: tempo changes
   * and the clip as it is read them), computed on first use; `plainDone` says which are.
   */
  private readonly plainRaw: Float32Array
  private readonly plainWeights: Float32Array
  private readonly plainDone: Uint8Array

  /** Analyses `signal` (at RATE) for changes of up to ±`reach`, reading up to `limit` frames each. */
  constructor(signal: Float32Array, reach: number, limit: number, js = false) {
    const { low, bins } = binRange(reach)
    this.low = low
    this.stride = bins + 1
    this.frames = signal.length < FRAME ? 0 : Math.floor((signal.length - FRAME) / DENSE_HOP) + 1
    this.limit = limit
    const kernels = js ? null : dsp()
    this.kernel = kernels?.scorer(signal, this.frames, DENSE_HOP, low, bins, limit) ?? null
    if (this.kernel) {
      this.cumulative = this.raw = this.weights = this.plainRaw = this.plainWeights = EMPTY
      this.plainDone = new Uint8Array(0)
      return
    }
    this.cumulative = new Float64Array(this.frames * this.stride)
    this.raw = new Float32Array(limit * BANDS)
    this.weights = new Float32Array(limit * BANDS)
    this.plainRaw = new Float32Array(this.frames * BANDS)
    this.plainWeights = new Float32Array(this.frames * BANDS)
    this.plainDone = new Uint8Array(this.frames)
    const { re, im } = this.analyzer
    for (let d = 0; d < this.frames; d += 2) {
      this.analyzer.load(signal, d * DENSE_HOP, (d + 1) * DENSE_HOP)
      for (let which = 0; which < 2 && d + which < this.frames; which++) {
        const at = (d + which) * this.stride
        let sum = 0
        this.cumulative[at] = 0
        for (let i = 0; i < bins; i++) {
          const k = low + i
          const m = FRAME - k
          const xr = which === 0 ? re[k]! + re[m]! : im[k]! + im[m]!
          const xi = which === 0 ? im[k]! - im[m]! : re[m]! - re[k]!
          sum += 0.25 * (xr * xr + xi * xi)
          this.cumulative[at + i + 1] = sum
        }
      }
    }
  }

  /** Power of dense frame `at` (its offset into cumulative) below bin edge `edge` (fractional). */
  private below(at: number, edge: number): number {
    const u = edge - this.low
    const i = Math.floor(u)
    const a = this.cumulative[at + i]!
    return a + (u - i) * (this.cumulative[at + i + 1]! - a)
  }

  /** Writes the features and weights of dense frame `d` read at `speed` into raw/weights at `to`. */
  private frameAt(d: number, speed: number, raw: Float32Array, weights: Float32Array, to: number) {
    const { analyzer, energies } = this
    const at = d * this.stride
    // Bin k covers [k − 0.5, k + 0.5); edges move with the speed, and bin `low` starts at 0.
    let lower = this.below(at, (FIRST_BIN - 0.5) * speed + 0.5)
    for (let band = 0; band < BANDS; band++) {
      const upper = this.below(at, (FIRST_BIN + (band + 1) * BAND_BINS - 0.5) * speed + 0.5)
      energies[band] = upper - lower
      lower = upper
    }
    analyzer.featuresOfEnergies(energies, raw, to)
    analyzer.reliability(weights, to)
  }

  /** The cumulative power (for the test that the kernels reproduce it). */
  cumulativePower(): Float64Array {
    const values = this.frames * this.stride
    return this.kernel ? dsp()!.cumulativeOf(this.kernel, values) : this.cumulative.slice(0, values)
  }

  /**
   * The weighted features `features` writes, folded onto block rows into folded[0…SLOTS) (frame j
   * onto row j mod BLOCK_FRAMES). Returns the frames read.
   */
  fold(
    speed: number,
    tempo: number,
    features: Float32Array,
    folded: Float32Array,
    limit: number,
    start = 0,
  ): number {
    if (this.kernel) {
      const step = HOP / (speed * tempo) / DENSE_HOP
      return dsp()!.scorerFold(this.kernel, speed, step, limit, start, folded)
    }
    const frames = this.features(speed, tempo, features, limit, start)
    folded.fill(0, 0, SLOTS)
    for (let at = 0, row = 0; at < frames * BANDS; at++) {
      folded[row]! += features[at]!
      if (++row === SLOTS) row = 0
    }
    return frames
  }

  /**
   * Writes into `out` the weighted features (as featuresOf computes them) of up to `limit` frames
   * (at most the constructor's) of the clip read as if it had been sped up by `speed` and
   * time-stretched by `tempo`: frame j of the mark lies at j × HOP / (speed × tempo) samples, and
   * its bin k at bin k × speed. The grid starts `start` dense frames in (at speed and tempo 1 the
   * features of grid offset start × DENSE_HOP, as featuresOf computes them). Returns the frames written.
   */
  private features(
    speed: number,
    tempo: number,
    out: Float32Array,
    limit: number,
    start = 0,
  ): number {
    const { raw, weights, plainRaw, plainWeights, plainDone } = this
    const step = HOP / (speed * tempo) / DENSE_HOP
    let frames = 0
    const most = Math.min(limit, this.limit)
    while (frames < most && start + Math.round(frames * step) < this.frames) frames++
    for (let j = 0; j < frames; j++) {
      const d = start + Math.round(j * step)
      if (speed !== 1) {
        this.frameAt(d, speed, raw, weights, j * BANDS)
        continue
      }
      if (!plainDone[d]) {
        this.frameAt(d, 1, plainRaw, plainWeights, d * BANDS)
        plainDone[d] = 1
      }
      raw.set(plainRaw.subarray(d * BANDS, (d + 1) * BANDS), j * BANDS)
      weights.set(plainWeights.subarray(d * BANDS, (d + 1) * BANDS), j * BANDS)
    }
    contrastInTime(raw, weights, frames, out)
    return frames
  }
}
