/**
 * The distortion kernel (recipe effect `distortion`): Tone.Distortion's curve
 * ((3 + k)·x·20° / (π + k·|x|), k = 100·amount, 0 within ±0.001; 1024 points, read as WaveShaperNode
 * reads a curve) at 2× oversampling through 31-tap Kaiser half-band filters, mixed with the dry
 * signal (delayed by the filters' 15 frames, so dry and wet line up) by Tone's equal-power
 * crossfade. The studio runs this same kernel in an AudioWorklet.
 *
 * Self-contained on purpose: its source text is also loaded into the AudioWorklet.
 */
export class DistortionKernel {
  /** Frames the whole effect (dry and wet alike) is delayed by. */
  readonly latency = 15
  private readonly curve: Float32Array
  private readonly up: Float64Array // the 16 non-trivial taps of the half-band (gain 2)
  private readonly dry: number
  private readonly wet: number
  // per channel: input history (32, doubled) and shaped history at 2x (64, doubled)
  private readonly xs: Float64Array[]
  private readonly ss: Float64Array[]
  private xAt = 0
  private sAt = 0

  constructor(amount: number, wet: number) {
    const k = amount * 100
    const deg = Math.PI / 180
    const length = 1024
    this.curve = new Float32Array(length)
    for (let i = 0; i < length; i++) {
      const x = (i / (length - 1)) * 2 - 1
      this.curve[i] =
        Math.abs(x) < 0.001 ? 0 : ((3 + k) * x * 20 * deg) / (Math.PI + k * Math.abs(x))
    }
    // half-band lowpass at 2x, 31 taps centred on 15: even taps carry the sinc, h[15] = 1/2
    const beta = 8
    const i0 = (x: number) => {
      let sum = 1
      let term = 1
      for (let j = 1; j < 40; j++) {
        term *= (x * x) / 4 / (j * j)
        sum += term
      }
      return sum
    }
    this.up = new Float64Array(16)
    let norm = 0
    for (let j = 0; j < 16; j++) {
      const m = 2 * j - 15
      const r = m / 15
      const w = i0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0(beta)
      this.up[j] = (Math.sin((Math.PI * m) / 2) / ((Math.PI * m) / 2)) * w * 0.5
      norm += this.up[j]!
    }
    // DC gain of the whole half-band = 1: sum(even taps) + 1/2 = 1
    for (let j = 0; j < 16; j++) this.up[j] = (this.up[j]! * 0.5) / norm
    this.dry = Math.cos((wet * Math.PI) / 2)
    this.wet = Math.sin((wet * Math.PI) / 2)
    this.xs = [new Float64Array(64), new Float64Array(64)]
    this.ss = [new Float64Array(128), new Float64Array(128)]
  }

  private shape(x: number): number {
    const c = this.curve
    const v = ((c.length - 1) / 2) * (x + 1)
    if (v <= 0) return c[0]!
    if (v >= c.length - 1) return c[c.length - 1]!
    const i = Math.floor(v)
    const f = v - i
    return (1 - f) * c[i]! + f * c[i + 1]!
  }

  /** Distorts frames [0, n) in place. */
  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { up, dry, wet } = this
    const xAt0 = this.xAt
    const sAt0 = this.sAt
    for (let c = 0; c < channels; c++) {
      const io = c === 0 ? left : right
      const xs = this.xs[c]!
      const ss = this.ss[c]!
      let xAt = xAt0
      let sAt = sAt0
      for (let i = 0; i < n; i++) {
        const x = io[i]!
        xs[xAt] = x
        xs[xAt + 32] = x
        // upsampled pair: even phase through the sinc taps (gain 2), odd phase a pure delay
        let even = 0
        for (let j = 0; j < 16; j++) even += up[j]! * xs[xAt + 32 - j]!
        even *= 2
        const odd = xs[xAt + 32 - 7]!
        const sa = sAt
        ss[sa] = ss[sa + 64] = this.shape(even)
        // decimate at the even position just written: 15 + 15 frames at 2x = 15 frames of delay
        let y = 0
        for (let j = 0; j < 16; j++) y += up[j]! * ss[sa + 64 - 2 * j]!
        y += 0.5 * ss[sa + 64 - 15]!
        const so = sa + 1
        ss[so] = ss[so + 64] = this.shape(odd)
        sAt = so + 1 === 64 ? 0 : so + 1
        const delayed = xs[xAt + 32 - 15]!
        io[i] = dry * delayed + wet * y
        xAt = xAt + 1 === 32 ? 0 : xAt + 1
      }
      if (c === channels - 1) {
        this.xAt = xAt
        this.sAt = sAt
      }
    }
    return channels
  }
}
