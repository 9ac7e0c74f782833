// Short-time analysis shared by embedding and detection: two real frames per complex FFT, band
// log-energies, and the features (band level against its neighbours) the watermark modulates.
import { Fft } from '../lib/dsp/fft.ts'
import { BAND_BINS, BANDS, FIRST_BIN, FRAME, HOP } from './layout.ts'

/** Energy floor so digital silence yields flat (zero) features. */
const FLOOR = 1e-9
/** Growth of a band's expected codec noise per unit of log energy below the frame's loudest band (0.025 per dB). */
const RELIABILITY_SLOPE = 0.025 * (10 / Math.LN10)
/** Neighbouring bands on each side that a band's level is compared with. */
const REACH = 3

/** Preallocated STFT state: window, FFT buffers, and per-frame band levels. */
export class Analyzer {
  readonly window = new Float64Array(FRAME)
  readonly re = new Float64Array(FRAME)
  readonly im = new Float64Array(FRAME)
  private readonly fft = new Fft(FRAME)
  private readonly levels = new Float64Array(BANDS)
  /** prefix[b]: sum of levels[0…b), for the neighbour sums of contrast. */
  private readonly prefix = new Float64Array(BANDS + 1)

  constructor() {
    for (let n = 0; n < FRAME; n++) this.window[n] = Math.sin((Math.PI * (n + 0.5)) / FRAME)
  }

  /** Loads windowed frames at `a` and `b` of `signal` (zero outside) as real and imaginary parts, then transforms. */
  load(signal: Float32Array, a: number, b: number): void {
    const { re, im, window } = this
    for (let n = 0; n < FRAME; n++) {
      const i = a + n
      const j = b + n
      re[n] = i >= 0 && i < signal.length ? signal[i]! * window[n]! : 0
      im[n] = j >= 0 && j < signal.length ? signal[j]! * window[n]! : 0
    }
    this.fft.transform(re, im)
  }

  /** Loads frames at `a` and `b` of a ring buffer (index & mask) as real and imaginary parts, then transforms. */
  loadRing(ring: Float32Array, mask: number, a: number, b: number): void {
    const { re, im, window } = this
    for (let n = 0; n < FRAME; n++) {
      re[n] = ring[(a + n) & mask]! * window[n]!
      im[n] = ring[(b + n) & mask]! * window[n]!
    }
    this.fft.transform(re, im)
  }

  /** Energy of the loaded frame `which` over all bins, and per band into `bands`. */
  energies(which: 0 | 1, bands: Float64Array): number {
    const { re, im } = this
    let total = 0
    for (let k = 1; k < FRAME / 2; k++) {
      const m = FRAME - k
      const xr = which === 0 ? re[k]! + re[m]! : im[k]! + im[m]!
      const xi = which === 0 ? im[k]! - im[m]! : re[m]! - re[k]!
      total += 0.25 * (xr * xr + xi * xi)
    }
    for (let band = 0; band < BANDS; band++) {
      let energy = 0
      for (let k = FIRST_BIN + band * BAND_BINS, end = k + BAND_BINS; k < end; k++) {
        const m = FRAME - k
        const xr = which === 0 ? re[k]! + re[m]! : im[k]! + im[m]!
        const xi = which === 0 ? im[k]! - im[m]! : re[m]! - re[k]!
        energy += 0.25 * (xr * xr + xi * xi)
      }
      bands[band] = energy
    }
    return total
  }

  /** Inverse-transforms re/im in place. */
  inverse(): void {
    this.fft.transform(this.re, this.im, true)
  }

  /**
   * Writes into out[at…at+BANDS) how far each band of the frame last passed to `features` can be
   * trusted: lossy codecs quantise a band the coarser the further it lies below the frame's
   * loudest band, so a band's feature is weighted by 1 / (1 + σ²), with σ its expected codec noise
   * (measured after MP3 at 64 kbit/s: about 0.2 at the loudest band, growing RELIABILITY_SLOPE per
   * unit of log energy below it, up to 2).
   */
  reliability(out: Float32Array, at: number): void {
    const { levels } = this
    let loudest = -Infinity
    for (let band = 0; band < BANDS; band++) loudest = Math.max(loudest, levels[band]!)
    for (let band = 0; band < BANDS; band++) {
      const sigma = Math.min(2, 0.2 + RELIABILITY_SLOPE * (loudest - levels[band]!))
      out[at + band] = 1 / (1 + sigma * sigma)
    }
  }

  /** Writes the features of the loaded frame `which` (0: real part, 1: imaginary part) into out[at…at+BANDS). */
  features(which: 0 | 1, out: Float32Array, at: number): void {
    const { re, im, levels } = this
    for (let band = 0; band < BANDS; band++) {
      let energy = FLOOR
      for (let k = FIRST_BIN + band * BAND_BINS, end = k + BAND_BINS; k < end; k++) {
        const m = FRAME - k
        const xr = which === 0 ? re[k]! + re[m]! : im[k]! + im[m]!
        const xi = which === 0 ? im[k]! - im[m]! : re[m]! - re[k]!
        energy += 0.25 * (xr * xr + xi * xi)
      }
      levels[band] = Math.log(energy)
    }
    this.contrast(out, at)
  }

  /** Features, as `features` writes them, of a frame whose band energies are given. */
  featuresOfEnergies(energies: Float64Array, out: Float32Array, at: number): void {
    const { levels } = this
    for (let band = 0; band < BANDS; band++) levels[band] = Math.log(FLOOR + energies[band]!)
    this.contrast(out, at)
  }

  /** Each band's level (in `levels`) against its neighbouring bands, into out[at…at+BANDS). */
  private contrast(out: Float32Array, at: number): void {
    const { levels, prefix } = this
    for (let band = 0; band < BANDS; band++) prefix[band + 1] = prefix[band]! + levels[band]!
    for (let band = 0; band < BANDS; band++) {
      const low = band < REACH ? 0 : band - REACH
      const high = band + REACH >= BANDS ? BANDS - 1 : band + REACH
      const sum = prefix[high + 1]! - prefix[low]! - levels[band]!
      out[at + band] = levels[band]! - sum / (high - low)
    }
  }
}

/** Hops between a frame and the neighbours its features are compared with (0: none). */
export const CONTRAST = 2

/**
 * Features of `frames` frames on the grid starting at `offset`, frame j at offset + round(j × hop)
 * (hop: HOP unless a time-stretch is being undone), into out[frame × BANDS + band]:
 * each band's level against its neighbouring bands, minus the mean of the same feature CONTRAST
 * hops before and after, which removes most of a sustained sound's own shape; then each is
 * weighted by its band's reliability (see Analyzer.reliability; `weights` is scratch of out's size,
 * or null for unweighted features).
 */
export function featuresOf(
  analyzer: Analyzer,
  signal: Float32Array,
  offset: number,
  frames: number,
  raw: Float32Array,
  weights: Float32Array | null,
  out: Float32Array,
  hop: number = HOP,
): void {
  for (let j = 0; j < frames; j += 2) {
    analyzer.load(signal, Math.round(offset + j * hop), Math.round(offset + (j + 1) * hop))
    analyzer.features(0, raw, j * BANDS)
    if (weights) analyzer.reliability(weights, j * BANDS)
    if (j + 1 < frames) {
      analyzer.features(1, raw, (j + 1) * BANDS)
      if (weights) analyzer.reliability(weights, (j + 1) * BANDS)
    }
  }
  contrastInTime(raw, weights, frames, out)
}

/**
 * The last step of featuresOf: each of `frames` frames of band features in `raw` minus the mean
 * of the same feature CONTRAST hops before and after, weighted by `weights` unless null, into out.
 */
export function contrastInTime(
  raw: Float32Array,
  weights: Float32Array | null,
  frames: number,
  out: Float32Array,
): void {
  for (let j = 0; j < frames; j++) {
    const before = j >= CONTRAST ? (j - CONTRAST) * BANDS : -1
    const after = j + CONTRAST < frames ? (j + CONTRAST) * BANDS : -1
    const at = j * BANDS
    for (let b = 0; b < BANDS; b++) {
      const sum = (before >= 0 ? raw[before + b]! : 0) + (after >= 0 ? raw[after + b]! : 0)
      const count = (before >= 0 ? 1 : 0) + (after >= 0 ? 1 : 0)
      const feature = raw[at + b]! - (count ? sum / count : 0)
      out[at + b] = weights ? weights[at + b]! * feature : feature
    }
  }
}
