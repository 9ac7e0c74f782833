// Short-time analysis shared by embedding and detection: two real frames per complex FFT, band
// log-energies, and the features (band level against its neighbours) the watermark modulates.
import { Fft } from './fft.ts'
import { BAND_BINS, BANDS, FIRST_BIN, FRAME } from './layout.ts'

/** Energy floor so digital silence yields flat (zero) features. */
const FLOOR = 1e-9
/** Neighbouring bands on each side that a band's level is compared with. */
const REACH = 3
/** Features are clipped so a single loud partial cannot dominate a sum. */
const CLIP = 2.5

/** Preallocated STFT state: window, FFT buffers, and per-frame band levels. */
export class Analyzer {
  readonly window = new Float64Array(FRAME)
  readonly re = new Float64Array(FRAME)
  readonly im = new Float64Array(FRAME)
  private readonly fft = new Fft(FRAME)
  private readonly levels = new Float64Array(BANDS)

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

  /** Inverse-transforms re/im in place. */
  inverse(): void {
    this.fft.transform(this.re, this.im, true)
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
    for (let band = 0; band < BANDS; band++) {
      let sum = 0
      let count = 0
      for (let j = Math.max(0, band - REACH); j <= Math.min(BANDS - 1, band + REACH); j++)
        if (j !== band) {
          sum += levels[j]!
          count++
        }
      const f = levels[band]! - sum / count
      out[at + band] = f > CLIP ? CLIP : f < -CLIP ? -CLIP : f
    }
  }
}
