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

/**
 * One uniformly partitioned overlap-save stage of a stereo convolution: partitions of `size`
 * frames covering taps [size, size + K·size). Its output for an input block lands in the next
 * block, so together with a direct head and smaller stages in front it has no latency. Left and
 * right are packed as one complex signal (z = L + iR): one forward and one inverse FFT per block.
 */
class Stage {
  private readonly fft: Fft
  private readonly bins: number
  private readonly count: number
  private readonly hl: Float32Array // per partition, bins 0..size: re, im interleaved
  private readonly hr: Float32Array
  private readonly xl: Float32Array // input spectra, a ring of `count`
  private readonly xr: Float32Array
  private ring = 0
  private readonly slots: Int32Array // where each partition's input spectrum sits, this block
  private readonly re: Float64Array
  private readonly im: Float64Array
  private readonly winL: Float64Array
  private readonly winR: Float64Array
  readonly outL: Float32Array
  readonly outR: Float32Array
  private readonly accL: Float64Array
  private readonly accR: Float64Array
  readonly size: number

  constructor(size: number, irL: Float32Array, irR: Float32Array, from: number, to: number) {
    this.size = size
    const n = 2 * size
    this.fft = new Fft(n)
    this.bins = size + 1
    this.count = Math.ceil((to - from) / size)
    this.slots = new Int32Array(this.count)
    const stride = 2 * this.bins
    this.hl = new Float32Array(this.count * stride)
    this.hr = new Float32Array(this.count * stride)
    this.xl = new Float32Array(this.count * stride)
    this.xr = new Float32Array(this.count * stride)
    this.re = new Float64Array(n)
    this.im = new Float64Array(n)
    this.winL = new Float64Array(n)
    this.winR = new Float64Array(n)
    this.outL = new Float32Array(size)
    this.outR = new Float32Array(size)
    this.accL = new Float64Array(stride)
    this.accR = new Float64Array(stride)
    for (let k = 0; k < this.count; k++) {
      const { re, im } = this
      re.fill(0)
      im.fill(0)
      // taps of partition k in the first half (overlap-save: the filter is zero-padded)
      for (let j = 0; j < size; j++) {
        const tap = from + k * size + j
        if (tap >= to) break
        re[j] = irL[tap] ?? 0
        im[j] = irR[tap] ?? 0
      }
      this.fft.transform(re, im)
      this.split(this.hl, this.hr, k * stride)
    }
  }

  /** Splits the spectrum in (re, im) of z = a + ib into A and B (bins 0..size) at `at`. */
  private split(a: Float32Array, b: Float32Array, at: number): void {
    const { re, im, bins } = this
    const n = 2 * this.size
    for (let k = 0; k < bins; k++) {
      const m = k === 0 ? 0 : n - k
      const zr = re[k]!
      const zi = im[k]!
      const cr = re[m]!
      const ci = -im[m]!
      // A = (Z + conj Z(-k)) / 2, B = (Z - conj Z(-k)) / 2i
      a[at + 2 * k] = 0.5 * (zr + cr)
      a[at + 2 * k + 1] = 0.5 * (zi + ci)
      b[at + 2 * k] = 0.5 * (zi - ci)
      b[at + 2 * k + 1] = -0.5 * (zr - cr)
    }
  }

  /** Called once per `size` frames with the block just completed (in the window's second half). */
  compute(): void {
    const { size, bins, count, re, im, winL, winR, xl, xr, hl, hr, accL, accR } = this
    const n = 2 * size
    for (let i = 0; i < n; i++) {
      re[i] = winL[i]!
      im[i] = winR[i]!
    }
    this.fft.transform(re, im)
    const stride = 2 * bins
    this.split(xl, xr, this.ring * stride)
    // per bin, the partitions' products summed in registers (partition order, as ever)
    const slots = this.slots
    for (let k = 0; k < count; k++) {
      let slot = this.ring - k
      if (slot < 0) slot += count
      slots[k] = slot * stride
    }
    for (let j = 0; j < stride; j += 2) {
      let lr = 0
      let li = 0
      let rr = 0
      let ri = 0
      for (let k = 0, ho = j; k < count; k++, ho += stride) {
        const xo = slots[k]! + j
        const ar = xl[xo]!
        const ai = xl[xo + 1]!
        const br = hl[ho]!
        const bi = hl[ho + 1]!
        lr = lr + ar * br - ai * bi
        li = li + ar * bi + ai * br
        const cr = xr[xo]!
        const ci = xr[xo + 1]!
        const dr = hr[ho]!
        const di = hr[ho + 1]!
        rr = rr + cr * dr - ci * di
        ri = ri + cr * di + ci * dr
      }
      accL[j] = lr
      accL[j + 1] = li
      accR[j] = rr
      accR[j + 1] = ri
    }
    this.ring = this.ring + 1 === count ? 0 : this.ring + 1
    // Y = AL + i·AR over the whole circle (AL, AR are spectra of real signals)
    for (let k = 0; k < bins; k++) {
      const lr = accL[2 * k]!
      const li = accL[2 * k + 1]!
      const rr = accR[2 * k]!
      const ri = accR[2 * k + 1]!
      re[k] = lr - ri
      im[k] = li + rr
      if (k > 0 && k < size) {
        re[n - k] = lr + ri
        im[n - k] = -li + rr
      }
    }
    this.fft.transform(re, im, true)
    for (let i = 0; i < size; i++) {
      this.outL[i] = re[size + i]!
      this.outR[i] = im[size + i]!
    }
    // slide the window: the block just used becomes the previous one
    winL.copyWithin(0, size, n)
    winR.copyWithin(0, size, n)
  }

  /** Where the next input frame goes in the window (second half). */
  inputL(): Float64Array {
    return this.winL
  }

  inputR(): Float64Array {
    return this.winR
  }
}

/** Direct taps, then stages of 32, 512 and 8192 frames: zero latency, cost ~log of the length. */
const HEAD = 32
const STAGES = [32, 512, 8192]

/**
 * A zero-latency stereo convolver (ConvolverNode's behaviour with a two-channel response: mono in
 * → both responses; stereo in → left with left, right with right), processing any block size with
 * the same result: every stage runs on its own frame grid from frame 0.
 */
export class Convolver {
  private readonly headL: Float64Array
  private readonly headR: Float64Array
  private readonly histL: Float64Array
  private readonly histR: Float64Array
  private histAt = 0
  private readonly stages: Stage[] = []
  private position = 0
  private readonly accL = new Float64Array(HEAD)
  private readonly accR = new Float64Array(HEAD)

  constructor(irL: Float32Array, irR: Float32Array) {
    const length = Math.max(irL.length, irR.length)
    const head = Math.min(HEAD, length)
    this.headL = Float64Array.from({ length: HEAD }, (_, i) => (i < head ? (irL[i] ?? 0) : 0))
    this.headR = Float64Array.from({ length: HEAD }, (_, i) => (i < head ? (irR[i] ?? 0) : 0))
    this.histL = new Float64Array(2 * HEAD)
    this.histR = new Float64Array(2 * HEAD)
    let from = HEAD
    for (let s = 0; s < STAGES.length && from < length; s++) {
      const size = STAGES[s]!
      const next = STAGES[s + 1]
      const to = next === undefined ? length : Math.min(length, next)
      if (to > from) this.stages.push(new Stage(size, irL, irR, from, to))
      from = to
    }
  }

  /** Convolves frames [0, n) of inL/inR into outL/outR (outputs may alias the inputs). */
  process(
    inL: Float32Array,
    inR: Float32Array,
    outL: Float32Array,
    outR: Float32Array,
    n: number,
  ): void {
    const { headL, headR, histL, histR, stages, accL, accR } = this
    // runs that stay inside one HEAD-frame cell: every stage's size is a multiple of HEAD and
    // every grid starts at frame 0, so no stage completes a block inside a run
    for (let i = 0; i < n;) {
      const t = this.position
      const m = Math.min(n - i, HEAD - (t % HEAD))
      // direct head over a doubled history ring, so the taps read one contiguous run
      let h = this.histAt
      let r = 0
      // two frames at a time: frame r + 1's taps past its first are frame r's shifted by one,
      // so each history value loaded serves both (each sum still runs over k in order)
      for (; r + 1 < m; r += 2) {
        const xl = inL[i + r]!
        const xr = inR[i + r]!
        const xl1 = inL[i + r + 1]!
        const xr1 = inR[i + r + 1]!
        histL[h] = xl
        histL[h + HEAD] = xl
        histR[h] = xr
        histR[h + HEAD] = xr
        let yl = 0
        let yr = 0
        let yl1 = 0
        let yr1 = 0
        yl += headL[0]! * xl
        yr += headR[0]! * xr
        yl1 += headL[0]! * xl1
        yr1 += headR[0]! * xr1
        // frame r + 1 is not in the ring yet: its tap k reads where frame r's tap k − 1 did
        let pl = xl
        let pr = xr
        for (let k = 1, j = h + HEAD - 1; k < HEAD; k++, j--) {
          const cl = histL[j]!
          const cr = histR[j]!
          const gl = headL[k]!
          const gr = headR[k]!
          yl += gl * cl
          yr += gr * cr
          yl1 += gl * pl
          yr1 += gr * pr
          pl = cl
          pr = cr
        }
        accL[r] = yl
        accR[r] = yr
        accL[r + 1] = yl1
        accR[r + 1] = yr1
        h = h + 1 === HEAD ? 0 : h + 1
        histL[h] = xl1
        histL[h + HEAD] = xl1
        histR[h] = xr1
        histR[h + HEAD] = xr1
        h = h + 1 === HEAD ? 0 : h + 1
      }
      for (; r < m; r++) {
        const xl = inL[i + r]!
        const xr = inR[i + r]!
        histL[h] = xl
        histL[h + HEAD] = xl
        histR[h] = xr
        histR[h + HEAD] = xr
        let yl = 0
        let yr = 0
        for (let k = 0; k < HEAD; k++) {
          const j = h + HEAD - k
          yl += headL[k]! * histL[j]!
          yr += headR[k]! * histR[j]!
        }
        accL[r] = yl
        accR[r] = yr
        h = h + 1 === HEAD ? 0 : h + 1
      }
      this.histAt = h
      for (let s = 0; s < stages.length; s++) {
        const stage = stages[s]!
        const size = stage.size
        const at = t % size
        const wl = stage.inputL()
        const wr = stage.inputR()
        const sol = stage.outL
        const sor = stage.outR
        for (let r = 0; r < m; r++) {
          wl[size + at + r] = inL[i + r]!
          wr[size + at + r] = inR[i + r]!
          accL[r] = accL[r]! + sol[at + r]!
          accR[r] = accR[r]! + sor[at + r]!
        }
        if (at + m === size) stage.compute()
      }
      for (let r = 0; r < m; r++) {
        outL[i + r] = accL[r]!
        outR[i + r] = accR[r]!
      }
      this.position = t + m
      i += m
    }
  }
}
