import { fnv1a, randomFrom } from '../lib/random.ts'
import { Fft } from '../lib/dsp/fft.ts'

/** Tone.Reverb's pre-delay before the decaying noise starts, in seconds. */
export const REVERB_PRE_DELAY = 0.01

/** A reverb's seed: its room comes from its effect id. */
export const seedFrom = (effectId: string): number => fnv1a(effectId)

/**
 * The stereo impulse response of a reverb, as Tone.Reverb shapes it (white noise per channel,
 * silent for the pre-delay, then Tone's exponential approach to 0 over `decay`: a time constant
 * ln(decay + 1) / ln 200, a linear ramp to 0 over the last 10 %), but with seeded noise — the same
 * seed gives the same room — and already scaled as ConvolverNode's `normalize` would (Web Audio
 * spec), so the studio plays it with normalize off and both sides hear the same room.
 */
export function reverbImpulse(
  decay: number,
  sampleRate: number,
  seed: number,
): Float32Array<ArrayBuffer>[] {
  const length = Math.max(1, Math.round((decay + REVERB_PRE_DELAY) * sampleRate))
  const random = randomFrom(seed)
  const tau = Math.log(decay + 1) / Math.log(200)
  const knee = REVERB_PRE_DELAY + 0.9 * decay
  const atKnee = Math.exp(-(knee - REVERB_PRE_DELAY) / tau)
  const end = REVERB_PRE_DELAY + decay
  const channels = [new Float32Array(length), new Float32Array(length)]
  let power = 0
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate
    let g = 0
    if (t >= knee) g = (atKnee * (end - t)) / (end - knee)
    else if (t >= REVERB_PRE_DELAY) g = Math.exp(-(t - REVERB_PRE_DELAY) / tau)
    for (const ch of channels) {
      const v = Math.fround((random.next() * 2 - 1) * Math.max(0, g))
      ch[i] = v
      power += v * v
    }
  }
  // ConvolverNode's normalization (Web Audio spec, "calculateNormalizationScale")
  let rms = Math.sqrt(power / (2 * length))
  if (!Number.isFinite(rms) || rms < 0.000125) rms = 0.000125
  const scale = (0.00125 / rms) * (44_100 / sampleRate)
  for (const ch of channels) for (let i = 0; i < length; i++) ch[i] = ch[i]! * scale
  return channels
}

/** Frames per partition of the convolver: the renderer's quantum (its calls are whole cells). */
export const CONVOLVER_CELL = 4096

/**
 * A zero-latency stereo convolver (ConvolverNode's behaviour with a two-channel response: mono in
 * → both responses; stereo in → left with left, right with right): the response in uniform
 * partitions of `cell` frames, overlap-save, left and right packed as one complex signal (z = L +
 * iR) so each cell takes one forward and one inverse FFT of 2·cell.
 *
 * Input runs on a grid of cells from frame 0. A call that brings a whole cell gets all of its
 * output from the spectra (partition 0 included): the renderer calls it so. A cell that comes in
 * pieces hears the partitions after the first from the spectra of the cells before it (one
 * inverse FFT as it starts) and the first partition directly, tap by tap — correct at any block
 * size, but slow, and rounded differently from a whole cell.
 */
export class Convolver {
  private readonly cell: number
  private readonly fft: Fft
  private readonly count: number // partitions
  // Spectra bin by bin (bins 0..cell, re and im): bin k of partition p at 2·(k·count + p). A bin's
  // products then read two runs of memory; partition by partition, the partitions would sit a
  // power of two apart, all in the same cache set.
  private readonly hl: Float32Array // the partitions' spectra
  private readonly hr: Float32Array
  private readonly xl: Float32Array // input spectra, a ring of `count` cells
  private readonly xr: Float32Array
  private ring = 0 // the slot the current cell's spectrum goes to
  private readonly re: Float64Array
  private readonly im: Float64Array
  private readonly winL: Float64Array // the cell before, then the current one
  private readonly winR: Float64Array
  private readonly accL: Float64Array
  private readonly accR: Float64Array
  private readonly headL: Float64Array // partition 0's taps, for a cell in pieces
  private readonly headR: Float64Array
  private readonly tailL: Float64Array // a cell in pieces: the later partitions' output
  private readonly tailR: Float64Array
  private fill = 0 // frames of the current cell so far

  constructor(irL: Float32Array, irR: Float32Array, cell = CONVOLVER_CELL) {
    if (cell < 2 || (cell & (cell - 1)) !== 0) throw new RangeError('cell must be a power of 2')
    this.cell = cell
    const n = 2 * cell
    this.fft = new Fft(n)
    const length = Math.max(1, irL.length, irR.length)
    this.count = Math.ceil(length / cell)
    const size = 2 * (cell + 1) * this.count
    this.hl = new Float32Array(size)
    this.hr = new Float32Array(size)
    this.xl = new Float32Array(size)
    this.xr = new Float32Array(size)
    this.re = new Float64Array(n)
    this.im = new Float64Array(n)
    this.winL = new Float64Array(n)
    this.winR = new Float64Array(n)
    this.accL = new Float64Array(2 * (cell + 1))
    this.accR = new Float64Array(2 * (cell + 1))
    this.headL = Float64Array.from({ length: cell }, (_, i) => irL[i] ?? 0)
    this.headR = Float64Array.from({ length: cell }, (_, i) => irR[i] ?? 0)
    this.tailL = new Float64Array(cell)
    this.tailR = new Float64Array(cell)
    const { re, im } = this
    for (let k = 0; k < this.count; k++) {
      re.fill(0)
      im.fill(0)
      // partition k's taps in the first half (overlap-save: the filter is zero-padded)
      for (let j = 0; j < cell; j++) {
        re[j] = irL[k * cell + j] ?? 0
        im[j] = irR[k * cell + j] ?? 0
      }
      this.fft.transform(re, im)
      this.split(this.hl, this.hr, k)
    }
  }

  /** Splits the spectrum in (re, im) of z = a + ib into A and B (bins 0..cell) as slot `slot`. */
  private split(a: Float32Array, b: Float32Array, slot: number): void {
    const { re, im, cell, count } = this
    const n = 2 * cell
    for (let k = 0; k <= cell; k++) {
      const m = k === 0 ? 0 : n - k
      const zr = re[k]!
      const zi = im[k]!
      const cr = re[m]!
      const ci = -im[m]!
      const at = 2 * (k * count + slot)
      // A = (Z + conj Z(-k)) / 2, B = (Z - conj Z(-k)) / 2i
      a[at] = 0.5 * (zr + cr)
      a[at + 1] = 0.5 * (zi + ci)
      b[at] = 0.5 * (zi - ci)
      b[at + 1] = -0.5 * (zr - cr)
    }
  }

  /** The window (the cell before, the current one) into the current cell's spectrum slot. */
  private transformWindow(): void {
    const { re, im, winL, winR } = this
    re.set(winL)
    im.set(winR)
    this.fft.transform(re, im)
    this.split(this.xl, this.xr, this.ring)
  }

  /**
   * The current cell's output from partitions [from, count) — their input spectra, the current
   * cell's at `ring` — summed per bin (partition order, as ever, in Float32), into re/im's second
   * half.
   */
  private outputFrom(from: number): void {
    const { cell, count, re, im, xl, xr, hl, hr, accL, accR } = this
    const n = 2 * cell
    const ring = this.ring
    const fr = Math.fround
    for (let j = 0, base = 0; j <= 2 * cell; j += 2, base += 2 * count) {
      // per channel the four sums of products (re·re, im·im, re·im, im·re), each in Float32 (the
      // spectra's precision) as the SIMD kernel runs them in four lanes; then re and im in Float64
      let lrr = 0
      let lii = 0
      let lri = 0
      let lir = 0
      let rrr = 0
      let rii = 0
      let rri = 0
      let rir = 0
      let slot = ring - from
      if (slot < 0) slot += count
      for (let k = from, ho = base + 2 * from; k < count; k++, ho += 2) {
        const xo = base + 2 * slot
        const ar = xl[xo]!
        const ai = xl[xo + 1]!
        const br = hl[ho]!
        const bi = hl[ho + 1]!
        lrr = fr(lrr + fr(ar * br))
        lii = fr(lii + fr(ai * bi))
        lri = fr(lri + fr(ar * bi))
        lir = fr(lir + fr(ai * br))
        const cr = xr[xo]!
        const ci = xr[xo + 1]!
        const dr = hr[ho]!
        const di = hr[ho + 1]!
        rrr = fr(rrr + fr(cr * dr))
        rii = fr(rii + fr(ci * di))
        rri = fr(rri + fr(cr * di))
        rir = fr(rir + fr(ci * dr))
        slot = slot === 0 ? count - 1 : slot - 1
      }
      accL[j] = lrr - lii
      accL[j + 1] = lri + lir
      accR[j] = rrr - rii
      accR[j + 1] = rri + rir
    }
    // Y = AL + i·AR over the whole circle (AL, AR are spectra of real signals)
    for (let k = 0; k <= cell; k++) {
      const lr = accL[2 * k]!
      const li = accL[2 * k + 1]!
      const rr = accR[2 * k]!
      const ri = accR[2 * k + 1]!
      re[k] = lr - ri
      im[k] = li + rr
      if (k > 0 && k < cell) {
        re[n - k] = lr + ri
        im[n - k] = -li + rr
      }
    }
    this.fft.transform(re, im, true)
  }

  /** The current cell is complete: it becomes the cell before, and the next slot the current. */
  private advance(): void {
    const { cell, winL, winR } = this
    winL.copyWithin(0, cell, 2 * cell)
    winR.copyWithin(0, cell, 2 * cell)
    this.ring = this.ring + 1 === this.count ? 0 : this.ring + 1
    this.fill = 0
  }

  /** Convolves frames [0, n) of inL/inR into outL/outR (outputs may alias the inputs). */
  process(
    inL: Float32Array,
    inR: Float32Array,
    outL: Float32Array,
    outR: Float32Array,
    n: number,
  ): void {
    const { cell, winL, winR, re, im } = this
    for (let i = 0; i < n;) {
      if (this.fill === 0 && n - i >= cell) {
        // a whole cell: every partition from the spectra
        for (let r = 0; r < cell; r++) {
          winL[cell + r] = inL[i + r]!
          winR[cell + r] = inR[i + r]!
        }
        this.transformWindow()
        this.outputFrom(0)
        for (let r = 0; r < cell; r++) {
          outL[i + r] = re[cell + r]!
          outR[i + r] = im[cell + r]!
        }
        this.advance()
        i += cell
        continue
      }
      i += this.piece(inL, inR, outL, outR, i, n - i)
    }
  }

  /** Up to `n` frames of a cell in pieces, from `i`; answers how many it took. */
  private piece(
    inL: Float32Array,
    inR: Float32Array,
    outL: Float32Array,
    outR: Float32Array,
    i: number,
    n: number,
  ): number {
    const { cell, winL, winR, headL, headR, tailL, tailR } = this
    if (this.fill === 0) {
      this.outputFrom(1)
      tailL.set(this.re.subarray(cell))
      tailR.set(this.im.subarray(cell))
    }
    const fill = this.fill
    const m = Math.min(n, cell - fill)
    for (let r = 0; r < m; r++) {
      const at = cell + fill + r
      winL[at] = inL[i + r]!
      winR[at] = inR[i + r]!
      let yl = tailL[fill + r]!
      let yr = tailR[fill + r]!
      for (let k = 0; k < cell; k++) {
        yl += headL[k]! * winL[at - k]!
        yr += headR[k]! * winR[at - k]!
      }
      outL[i + r] = yl
      outR[i + r] = yr
    }
    this.fill = fill + m
    if (this.fill === cell) {
      this.transformWindow()
      this.advance()
    }
    return m
  }
}
