/**
 * Biquad filters with the Web Audio spec's coefficient formulas (BiquadFilterNode: lowpass and
 * highpass take Q in dB, bandpass a plain Q), run in direct form I with Float64 state.
 */
export type BiquadMode = 'lowpass' | 'highpass' | 'bandpass'

/** Normalized coefficients [b0, b1, b2, a1, a2] (a0 = 1). */
export type BiquadCoefficients = readonly [number, number, number, number, number]

export function biquadCoefficients(
  mode: BiquadMode,
  frequency: number,
  q: number,
  sampleRate: number,
): BiquadCoefficients {
  const nyquist = sampleRate / 2
  const f = Math.max(0, Math.min(frequency, nyquist)) / nyquist
  if (f >= 1) return mode === 'lowpass' ? [1, 0, 0, 0, 0] : [0, 0, 0, 0, 0]
  const w0 = Math.PI * f
  const cos = Math.cos(w0)
  const sin = Math.sin(w0)
  if (mode === 'bandpass') {
    const alpha = sin / (2 * q)
    const a0 = 1 + alpha
    return [alpha / a0, 0, -alpha / a0, (-2 * cos) / a0, (1 - alpha) / a0]
  }
  const alpha = sin / (2 * 10 ** (q / 20))
  const a0 = 1 + alpha
  const a1 = (-2 * cos) / a0
  const a2 = (1 - alpha) / a0
  if (mode === 'lowpass') {
    const b = (1 - cos) / 2 / a0
    return [b, 2 * b, b, a1, a2]
  }
  const b = (1 + cos) / 2 / a0
  return [b, -2 * b, b, a1, a2]
}

/** The magnitude response |H(e^jw)| of coefficients at `frequency`. */
export function biquadMagnitude(k: BiquadCoefficients, frequency: number, sampleRate: number) {
  const w = (2 * Math.PI * frequency) / sampleRate
  const [b0, b1, b2, a1, a2] = k
  const re = (c0: number, c1: number, c2: number) => c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w)
  const im = (c1: number, c2: number) => -c1 * Math.sin(w) - c2 * Math.sin(2 * w)
  const num = Math.hypot(re(b0, b1, b2), im(b1, b2))
  const den = Math.hypot(re(1, a1, a2), im(a1, a2))
  return num / den
}

/** One biquad over up to two channels, state kept between blocks. */
export class Biquad {
  private readonly b0: number
  private readonly b1: number
  private readonly b2: number
  private readonly a1: number
  private readonly a2: number
  // x1, x2, y1, y2 per channel
  private readonly state = new Float64Array(8)

  constructor(k: BiquadCoefficients) {
    ;[this.b0, this.b1, this.b2, this.a1, this.a2] = k
  }

  /** Filters frames [0, n) of `input` into `output` (may be the same array) on channel `ch`. */
  run(input: Float32Array, output: Float32Array, ch: number, n: number): void {
    const { b0, b1, b2, a1, a2, state } = this
    const s = ch * 4
    let x1 = state[s]!
    let x2 = state[s + 1]!
    let y1 = state[s + 2]!
    let y2 = state[s + 3]!
    for (let i = 0; i < n; i++) {
      const x = input[i]!
      let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
      if (y > -1e-30 && y < 1e-30) y = 0
      x2 = x1
      x1 = x
      y2 = y1
      y1 = y
      output[i] = y
    }
    state[s] = x1
    state[s + 1] = x2
    state[s + 2] = y1
    state[s + 3] = y2
  }

  /** Filters frames [0, n) of both channels in place in one pass (as `run` on each). */
  runStereo(left: Float32Array, right: Float32Array, n: number): void {
    const { b0, b1, b2, a1, a2, state } = this
    let x1 = state[0]!
    let x2 = state[1]!
    let y1 = state[2]!
    let y2 = state[3]!
    let u1 = state[4]!
    let u2 = state[5]!
    let v1 = state[6]!
    let v2 = state[7]!
    for (let i = 0; i < n; i++) {
      const x = left[i]!
      const u = right[i]!
      let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
      let v = b0 * u + b1 * u1 + b2 * u2 - a1 * v1 - a2 * v2
      if (y > -1e-30 && y < 1e-30) y = 0
      if (v > -1e-30 && v < 1e-30) v = 0
      x2 = x1
      x1 = x
      y2 = y1
      y1 = y
      u2 = u1
      u1 = u
      v2 = v1
      v1 = v
      left[i] = y
      right[i] = v
    }
    state[0] = x1
    state[1] = x2
    state[2] = y1
    state[3] = y2
    state[4] = u1
    state[5] = u2
    state[6] = v1
    state[7] = v2
  }
}
