// Sync correlation at every block shift at once, by FFT: the detector's coarse scores, from which
// only the best few shifts are scored exactly (detect.ts).
import { dsp, type KernelSync } from '../dsp/kernels.ts'
import { Fft } from '../lib/dsp/fft.ts'
import { BANDS, BLOCK_FRAMES, SLOTS, SYNC_SYMBOLS, type Layout } from './layout.ts'

/** The block length factored for the transform: BLOCK_FRAMES = RADIX × SUB, SUB a power of two. */
const RADIX = 5
const SUB = BLOCK_FRAMES / RADIX
/** Band pairs: two real bands ride in one complex transform (the last pair has one band). */
const PAIRS = Math.ceil(BANDS / 2)
/** cos and sin of 2π/5 and 4π/5, for the 5-point DFT. */
const C1 = Math.cos((2 * Math.PI) / 5)
const C2 = Math.cos((4 * Math.PI) / 5)
const S1 = Math.sin((2 * Math.PI) / 5)
const S2 = Math.sin((4 * Math.PI) / 5)

/**
 * A complex DFT of length BLOCK_FRAMES (640 = 5 × 128): the Cooley–Tukey split into RADIX
 * decimated SUB-point FFTs, twiddled and recombined by 5-point DFTs. The sync
 * correlation is circular over one block, so this is the whole transform it needs (a power-of-two
 * transform would need the rows copied twice and three times the length).
 */
class BlockFft {
  private readonly fft = new Fft(SUB)
  /** The RADIX decimated sequences, sequence r at [r × SUB, (r + 1) × SUB). */
  private readonly subRe = new Float64Array(BLOCK_FRAMES)
  private readonly subIm = new Float64Array(BLOCK_FRAMES)
  /** Twiddles e^(−2πi·r·q / BLOCK_FRAMES) at [r × SUB + q]. */
  private readonly cos = new Float64Array(BLOCK_FRAMES)
  private readonly sin = new Float64Array(BLOCK_FRAMES)
  /** Views of sequence r of subRe and subIm, made once (a view per transform would be garbage). */
  private readonly seqRe = Array.from({ length: RADIX }, (_, r) =>
    this.subRe.subarray(r * SUB, (r + 1) * SUB),
  )
  private readonly seqIm = Array.from({ length: RADIX }, (_, r) =>
    this.subIm.subarray(r * SUB, (r + 1) * SUB),
  )

  constructor() {
    for (let r = 0; r < RADIX; r++)
      for (let q = 0; q < SUB; q++) {
        this.cos[r * SUB + q] = Math.cos((2 * Math.PI * r * q) / BLOCK_FRAMES)
        this.sin[r * SUB + q] = -Math.sin((2 * Math.PI * r * q) / BLOCK_FRAMES)
      }
  }

  /** Transforms (re, im) of length BLOCK_FRAMES in place; `inverse` conjugates and scales by 1/length. */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const { fft, subRe, subIm, cos, sin } = this
    const sign = inverse ? -1 : 1
    for (let r = 0; r < RADIX; r++) {
      const sr = this.seqRe[r]!
      const si = this.seqIm[r]!
      for (let m = 0, n = r; m < SUB; m++, n += RADIX) {
        sr[m] = re[n]!
        si[m] = sign * im[n]!
      }
      fft.transform(sr, si)
    }
    // Each sequence but the first times its twiddles, then a 5-point DFT per q.
    for (let i = SUB; i < BLOCK_FRAMES; i++) {
      const yr = subRe[i]!
      const yi = subIm[i]!
      subRe[i] = yr * cos[i]! - yi * sin[i]!
      subIm[i] = yr * sin[i]! + yi * cos[i]!
    }
    const scale = inverse ? 1 / BLOCK_FRAMES : 1
    const imScale = sign * scale
    for (let q = 0; q < SUB; q++) {
      const a0r = subRe[q]!
      const a0i = subIm[q]!
      const a1r = subRe[q + SUB]!
      const a1i = subIm[q + SUB]!
      const a2r = subRe[q + 2 * SUB]!
      const a2i = subIm[q + 2 * SUB]!
      const a3r = subRe[q + 3 * SUB]!
      const a3i = subIm[q + 3 * SUB]!
      const a4r = subRe[q + 4 * SUB]!
      const a4i = subIm[q + 4 * SUB]!
      const t1r = a1r + a4r
      const t1i = a1i + a4i
      const t2r = a2r + a3r
      const t2i = a2i + a3i
      const t3r = a1r - a4r
      const t3i = a1i - a4i
      const t4r = a2r - a3r
      const t4i = a2i - a3i
      const b1r = a0r + C1 * t1r + C2 * t2r
      const b1i = a0i + C1 * t1i + C2 * t2i
      const b2r = a0r + C2 * t1r + C1 * t2r
      const b2i = a0i + C2 * t1i + C1 * t2i
      const d1r = S1 * t3r + S2 * t4r
      const d1i = S1 * t3i + S2 * t4i
      const d2r = S2 * t3r - S1 * t4r
      const d2i = S2 * t3i - S1 * t4i
      // X1 = b1 − i·d1, X4 = b1 + i·d1, X2 = b2 − i·d2, X3 = b2 + i·d2.
      re[q] = (a0r + t1r + t2r) * scale
      im[q] = (a0i + t1i + t2i) * imScale
      re[q + SUB] = (b1r + d1i) * scale
      im[q + SUB] = (b1i - d1r) * imScale
      re[q + 4 * SUB] = (b1r - d1i) * scale
      im[q + 4 * SUB] = (b1i + d1r) * imScale
      re[q + 2 * SUB] = (b2r + d2i) * scale
      im[q + 2 * SUB] = (b2i - d2r) * imScale
      re[q + 3 * SUB] = (b2r - d2i) * scale
      im[q + 3 * SUB] = (b2i + d2r) * imScale
    }
  }
}

/**
 * For one layout: the spectra of its sync pattern (sign at each sync slot) and sync mask (1 at
 * each), band by band, two bands per complex transform. With z = x_a + i·x_b and w = t_a + i·t_b,
 * the real part of z's circular correlation with w is corr(x_a, t_a) + corr(x_b, t_b), so the
 * sum over all bands needs one inverse transform.
 */
export class SyncCorrelator implements KernelSync {
  private readonly fft = new BlockFft()
  private readonly pattern: Float64Array[] = []
  private readonly mask: Float64Array[] = []
  private readonly re = new Float64Array(BLOCK_FRAMES)
  private readonly im = new Float64Array(BLOCK_FRAMES)
  private readonly sumRe = new Float64Array(BLOCK_FRAMES)
  private readonly sumIm = new Float64Array(BLOCK_FRAMES)
  private readonly energyRe = new Float64Array(BLOCK_FRAMES)
  private readonly energyIm = new Float64Array(BLOCK_FRAMES)
  /** Sign (±1) and use (1) of each sync slot: what the kernels transform (core/dsp/kernels.ts). */
  readonly sign = new Float64Array(SLOTS)
  readonly used = new Float64Array(SLOTS)
  readonly syncSlots: Uint32Array
  readonly syncStarts: Uint32Array

  constructor(layout: Layout) {
    const { sign, used } = this
    this.syncSlots = layout.syncSlots
    this.syncStarts = layout.syncStarts
    const { syncSlots, syncStarts } = this
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
    const a = 2 * p
    const b = a + 1
    for (let f = 0; f < BLOCK_FRAMES; f++) {
      re[f] = slots[f * BANDS + a]!
      im[f] = b < BANDS ? slots[f * BANDS + b]! : 0
    }
    this.fft.transform(re, im)
    const out = new Float64Array(2 * BLOCK_FRAMES)
    for (let k = 0; k < BLOCK_FRAMES; k++) {
      out[2 * k] = re[k]!
      out[2 * k + 1] = im[k]!
    }
    return out
  }

  /**
   * Writes into `out[shift]` the sync score total / √energy at every block shift of the folded
   * rows (`folded`, one block of them; detect.ts may hold a second copy after it): the same
   * numerator and energy the exact score (detect.ts syncAt) takes, summed in another order. Block
   * position f holds fold row (f − shift) mod BLOCK_FRAMES, so the circular correlation at lag
   * k = (−shift) mod BLOCK_FRAMES. Unless `normalized`, the numerator alone (half the transforms:
   * for ranking shifts whose exact scores are then computed anyway). Runs in the DSP kernels once
   * a host has handed them over (the same sums in the same order), unless `js`.
   */
  scores(folded: Float32Array, out: Float64Array, normalized = true, js = false): void {
    const kernels = js ? null : dsp()
    if (kernels) return kernels.syncScores(this, folded, normalized, out)
    const { re, im, sumRe, sumIm, energyRe, energyIm, fft } = this
    sumRe.fill(0)
    sumIm.fill(0)
    energyRe.fill(0)
    energyIm.fill(0)
    for (let p = 0; p < PAIRS; p++) {
      const a = 2 * p
      const b = a + 1
      for (let pass = 0; pass < (normalized ? 2 : 1); pass++) {
        for (let n = 0; n < BLOCK_FRAMES; n++) {
          const x = folded[n * BANDS + a]!
          const y = b < BANDS ? folded[n * BANDS + b]! : 0
          re[n] = pass === 0 ? x : x * x
          im[n] = pass === 0 ? y : y * y
        }
        fft.transform(re, im)
        const w = pass === 0 ? this.pattern[p]! : this.mask[p]!
        const accRe = pass === 0 ? sumRe : energyRe
        const accIm = pass === 0 ? sumIm : energyIm
        // Z · conj(W)
        for (let k = 0; k < BLOCK_FRAMES; k++) {
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
