// Sync correlation at every block shift at once, by FFT: the detector's coarse scores, from which
// only the best few shifts are scored exactly (detect.ts).
import { Fft } from '../lib/dsp/fft.ts'
import { BANDS, BLOCK_FRAMES, SLOTS, SYNC_SYMBOLS, type Layout } from './layout.ts'

/** Transform length: holds the folded rows copied twice (2 × BLOCK_FRAMES) without wrapping. */
const SIZE = 2048
/** Band pairs: two real bands ride in one complex transform (the last pair has one band). */
const PAIRS = Math.ceil(BANDS / 2)

/**
 * For one layout: the spectra of its sync pattern (sign at each sync slot) and sync mask (1 at
 * each), band by band, two bands per complex transform. With z = x_a + i·x_b and w = t_a + i·t_b,
 * the real part of z's circular correlation with w is corr(x_a, t_a) + corr(x_b, t_b), so the
 * sum over all bands needs one inverse transform.
 */
export class SyncCorrelator {
  private readonly fft = new Fft(SIZE)
  private readonly pattern: Float64Array[] = []
  private readonly mask: Float64Array[] = []
  private readonly re = new Float64Array(SIZE)
  private readonly im = new Float64Array(SIZE)
  private readonly sumRe = new Float64Array(SIZE)
  private readonly sumIm = new Float64Array(SIZE)
  private readonly energyRe = new Float64Array(SIZE)
  private readonly energyIm = new Float64Array(SIZE)
  /** Numerator (signed sum over sync slots) at each block shift, from the last `scores` call. */
  readonly totals = new Float64Array(BLOCK_FRAMES)

  constructor(layout: Layout) {
    const sign = new Float64Array(SLOTS)
    const used = new Float64Array(SLOTS)
    const { syncSlots, syncStarts } = layout
    for (let bin = 0; bin < 2 * SYNC_SYMBOLS; bin++)
      for (let i = syncStarts[bin]!; i < syncStarts[bin + 1]!; i++) {
        sign[syncSlots[i]!] = bin & 1 ? 1 : -1
        used[syncSlots[i]!] = 1
      }
    for (let p = 0; p < PAIRS; p++) {
      this.pattern.push(this.spectrum(sign, p))
      this.mask.push(this.spectrum(used, p))
    }
  }

  /** The transform of bands 2p and 2p + 1 of `slots` (one block) as real and imaginary parts, interleaved. */
  private spectrum(slots: Float64Array, p: number): Float64Array {
    const { re, im } = this
    re.fill(0)
    im.fill(0)
    const a = 2 * p
    const b = a + 1
    for (let f = 0; f < BLOCK_FRAMES; f++) {
      re[f] = slots[f * BANDS + a]!
      im[f] = b < BANDS ? slots[f * BANDS + b]! : 0
    }
    this.fft.transform(re, im)
    const out = new Float64Array(2 * SIZE)
    for (let k = 0; k < SIZE; k++) {
      out[2 * k] = re[k]!
      out[2 * k + 1] = im[k]!
    }
    return out
  }

  /**
   * Writes into `out[shift]` the sync score total / √energy at every block shift of `folded` (its
   * rows copied twice, as detect.ts folds them): the same numerator and energy the exact score
   * (detect.ts syncAt) takes, summed in another order. Block position f holds fold row
   * (f − shift) mod BLOCK_FRAMES, which is row f + k of the doubled rows for k = (−shift) mod BLOCK_FRAMES.
   * Unless `normalized`, the numerator alone (half the transforms: for ranking shifts whose exact
   * scores are then computed anyway).
   */
  scores(folded: Float32Array, out: Float64Array, normalized = true): void {
    const { re, im, sumRe, sumIm, energyRe, energyIm, fft, totals } = this
    sumRe.fill(0)
    sumIm.fill(0)
    energyRe.fill(0)
    energyIm.fill(0)
    for (let p = 0; p < PAIRS; p++) {
      const a = 2 * p
      const b = a + 1
      for (let pass = 0; pass < (normalized ? 2 : 1); pass++) {
        for (let n = 0; n < 2 * BLOCK_FRAMES; n++) {
          const x = folded[n * BANDS + a]!
          const y = b < BANDS ? folded[n * BANDS + b]! : 0
          re[n] = pass === 0 ? x : x * x
          im[n] = pass === 0 ? y : y * y
        }
        re.fill(0, 2 * BLOCK_FRAMES)
        im.fill(0, 2 * BLOCK_FRAMES)
        fft.transform(re, im)
        const w = pass === 0 ? this.pattern[p]! : this.mask[p]!
        const accRe = pass === 0 ? sumRe : energyRe
        const accIm = pass === 0 ? sumIm : energyIm
        // Z · conj(W)
        for (let k = 0; k < SIZE; k++) {
          const zr = re[k]!
          const zi = im[k]!
          const wr = w[2 * k]!
          const wi = w[2 * k + 1]!
          accRe[k]! += zr * wr + zi * wi
          accIm[k]! += zi * wr - zr * wi
        }
      }
    }
    fft.transform(sumRe, sumIm, true)
    if (normalized) fft.transform(energyRe, energyIm, true)
    for (let shift = 0; shift < BLOCK_FRAMES; shift++) {
      const k = shift === 0 ? 0 : BLOCK_FRAMES - shift
      const total = sumRe[k]!
      const energy = energyRe[k]!
      totals[shift] = total
      out[shift] = !normalized ? total : energy > 1e-12 ? total / Math.sqrt(energy) : 0
    }
  }
}

const correlators = new WeakMap<Layout, SyncCorrelator>()

/** The correlator for a layout, built once per layout. */
export function correlatorFor(layout: Layout): SyncCorrelator {
  let correlator = correlators.get(layout)
  if (!correlator) correlators.set(layout, (correlator = new SyncCorrelator(layout)))
  return correlator
}
