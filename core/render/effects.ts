import { kernelConvolver } from '../dsp/render.ts'
import type { Effect } from '../recipe/schema.ts'
import { Biquad, biquadCoefficients, type BiquadCoefficients } from './biquad.ts'
import type { EffectContext, Processor } from './chain.ts'
import { FeedbackDelay, delaySecondsFrom } from './delay.ts'
import { DistortionKernel } from './distortion.ts'
import { CompressorKernel } from './dynamics.ts'
import { PitchShiftKernel } from './pitch-shift.ts'
import { CONVOLVER_CELL, Convolver, reverbImpulse, seedFrom } from './reverb.ts'

type Of<T extends Effect['type']> = Extract<Effect, { type: T }>

/** A 12 dB/octave filter: one biquad (Tone.Filter with rolloff −12, as LeanFilter). */
export class FilterKernel implements Processor {
  private readonly biquad: Biquad

  constructor(effect: Of<'filter'>, sampleRate: number) {
    this.biquad = new Biquad(
      biquadCoefficients(effect.mode, effect.frequency, effect.q, sampleRate),
    )
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    if (channels === 2) this.biquad.runStereo(left, right, n)
    else this.biquad.run(left, left, 0, n)
    return channels
  }
}

/** EQ3 crossovers, as Tone.EQ3 and LeanEQ3: 400 Hz and 2.5 kHz, Q 1 (dB). */
export const EQ3_LOW = 400
export const EQ3_HIGH = 2500

/** Solves the square system `m`·v = `rhs` (Gaussian elimination, partial pivoting). */
function solve(m: number[][], rhs: number[]): number[] {
  const n = rhs.length
  const a = m.map((row, i) => [...row, rhs[i]!])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r
    ;[a[c], a[p]] = [a[p]!, a[c]!]
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!
    }
  }
  const v = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let t = a[r]![n]!
    for (let k = r + 1; k < n; k++) t -= a[r]![k]! * v[k]!
    v[r] = t / a[r]![r]!
  }
  return v
}

/** The product of two polynomials in z⁻¹ (coefficients from z⁰). */
const times = (p: readonly number[], q: readonly number[]): number[] =>
  Array.from({ length: p.length + q.length - 1 }, (_, k) =>
    p.reduce((sum, c, i) => sum + c * (q[k - i] ?? 0), 0),
  )

/**
 * Tone.EQ3's sum (low = lowpass 400; mid = highpass 400 → lowpass 2500; high = highpass 2500;
 * each band times its linear gain) folded into two biquads that run side by side on the input and
 * are summed: the low and mid bands share the 400 Hz poles, the mid and high bands the 2.5 kHz
 * ones, so the mid's fourth-order product splits into partial fractions, d + P₁/A₄₀₀ + P₂/A₂₅₀₀,
 * and gl·L/A₄₀₀ + gm·(d + P₁/A₄₀₀ + P₂/A₂₅₀₀) + gh·H/A₂₅₀₀ is two sections instead of four.
 */
export function eq3Sections(
  gains: readonly [number, number, number],
  sampleRate: number,
): [BiquadCoefficients, BiquadCoefficients] {
  const [gl, gm, gh] = gains
  const lo = biquadCoefficients('lowpass', EQ3_LOW, 1, sampleRate)
  const lowMid = biquadCoefficients('highpass', EQ3_LOW, 1, sampleRate)
  const mid = biquadCoefficients('lowpass', EQ3_HIGH, 1, sampleRate)
  const hi = biquadCoefficients('highpass', EQ3_HIGH, 1, sampleRate)
  const a1 = [1, lo[3], lo[4]] // the 400 Hz poles (the same for its lowpass and highpass)
  const a2 = [1, hi[3], hi[4]]
  const product = times(lowMid.slice(0, 3), mid.slice(0, 3))
  // product = d·a1·a2 + (p0 + p1 z⁻¹)·a2 + (q0 + q1 z⁻¹)·a1: five coefficients, five unknowns
  const columns = [
    times(a1, a2),
    times([1], a2),
    times([0, 1], a2),
    times([1], a1),
    times([0, 1], a1),
  ]
  const [d, p0, p1, q0, q1] = solve(
    product.map((_, row) => columns.map((c) => c[row] ?? 0)),
    product,
  ) as [number, number, number, number, number]
  return [
    [
      gl * lo[0] + gm * (d + p0),
      gl * lo[1] + gm * (d * a1[1]! + p1),
      gl * lo[2] + gm * d * a1[2]!,
      a1[1]!,
      a1[2]!,
    ],
    [gh * hi[0] + gm * q0, gh * hi[1] + gm * q1, gh * hi[2], a2[1]!, a2[2]!],
  ]
}

/**
 * Tone.EQ3's topology as the two sections of eq3Sections, in direct form I with Float64 state,
 * both channels in one pass when stereo. The studio keeps the four native filters, whose sum this
 * equals (to about 1e-7 of the signal: the four filters round to Float32 between stages).
 */
export class EQ3Kernel implements Processor {
  private readonly k: Float64Array // b0 b1 b2 a1 a2 of section 1, then of section 2
  // per channel (left, then right): the input's x1, x2, then y1, y2 of each section
  private readonly state = new Float64Array(12)

  constructor(effect: Of<'eq3'>, sampleRate: number) {
    const gain = (db: number) => 10 ** (db / 20)
    this.k = Float64Array.from(
      eq3Sections([gain(effect.low), gain(effect.mid), gain(effect.high)], sampleRate).flat(),
    )
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    if (channels === 2) this.stereo(left, right, n)
    else this.mono(left, 0, n)
    return channels
  }

  private mono(io: Float32Array, ch: number, n: number): void {
    const { k, state } = this
    const b0 = k[0]!,
      b1 = k[1]!,
      b2 = k[2]!,
      a1 = k[3]!,
      a2 = k[4]!
    const c0 = k[5]!,
      c1 = k[6]!,
      c2 = k[7]!,
      d1 = k[8]!,
      d2 = k[9]!
    const s = 6 * ch
    let x1 = state[s]!,
      x2 = state[s + 1]!
    let y1 = state[s + 2]!,
      y2 = state[s + 3]!,
      v1 = state[s + 4]!,
      v2 = state[s + 5]!
    for (let i = 0; i < n; i++) {
      const x = io[i]!
      let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
      let v = c0 * x + c1 * x1 + c2 * x2 - d1 * v1 - d2 * v2
      if (y > -1e-30 && y < 1e-30) y = 0
      if (v > -1e-30 && v < 1e-30) v = 0
      x2 = x1
      x1 = x
      y2 = y1
      y1 = y
      v2 = v1
      v1 = v
      io[i] = y + v
    }
    state[s] = x1
    state[s + 1] = x2
    state[s + 2] = y1
    state[s + 3] = y2
    state[s + 4] = v1
    state[s + 5] = v2
  }

  /** Both channels in one pass: `mono`'s arithmetic per channel, twice the parallelism. */
  private stereo(left: Float32Array, right: Float32Array, n: number): void {
    const { k, state } = this
    const b0 = k[0]!,
      b1 = k[1]!,
      b2 = k[2]!,
      a1 = k[3]!,
      a2 = k[4]!
    const c0 = k[5]!,
      c1 = k[6]!,
      c2 = k[7]!,
      d1 = k[8]!,
      d2 = k[9]!
    let x1 = state[0]!,
      x2 = state[1]!
    let y1 = state[2]!,
      y2 = state[3]!,
      v1 = state[4]!,
      v2 = state[5]!
    let rx1 = state[6]!,
      rx2 = state[7]!
    let ry1 = state[8]!,
      ry2 = state[9]!,
      rv1 = state[10]!,
      rv2 = state[11]!
    for (let i = 0; i < n; i++) {
      const x = left[i]!
      const rx = right[i]!
      let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
      let v = c0 * x + c1 * x1 + c2 * x2 - d1 * v1 - d2 * v2
      let ry = b0 * rx + b1 * rx1 + b2 * rx2 - a1 * ry1 - a2 * ry2
      let rv = c0 * rx + c1 * rx1 + c2 * rx2 - d1 * rv1 - d2 * rv2
      if (y > -1e-30 && y < 1e-30) y = 0
      if (v > -1e-30 && v < 1e-30) v = 0
      if (ry > -1e-30 && ry < 1e-30) ry = 0
      if (rv > -1e-30 && rv < 1e-30) rv = 0
      x2 = x1
      x1 = x
      y2 = y1
      y1 = y
      v2 = v1
      v1 = v
      rx2 = rx1
      rx1 = rx
      ry2 = ry1
      ry1 = ry
      rv2 = rv1
      rv1 = rv
      left[i] = y + v
      right[i] = ry + rv
    }
    state.set([x1, x2, y1, y2, v1, v2, rx1, rx2, ry1, ry2, rv1, rv2])
  }
}

/**
 * A reverb: the seeded impulse response (reverb.ts) through a zero-latency convolver, mixed with
 * the dry signal by Tone's equal-power crossfade. Its output is stereo.
 */
export class ReverbKernel implements Processor {
  private readonly convolver: Pick<Convolver, 'process'>
  private readonly dry: number
  private readonly wet: number
  private readonly wetL: Float32Array
  private readonly wetR: Float32Array

  constructor(effect: Of<'reverb'>, sampleRate: number, blockFrames: number) {
    const [l, r] = reverbImpulse(effect.decay, sampleRate, seedFrom(effect.id)) as [
      Float32Array,
      Float32Array,
    ]
    // the WebAssembly convolver where the host handed core its kernels: the same bits, faster
    this.convolver = kernelConvolver(l, r, CONVOLVER_CELL) ?? new Convolver(l, r)
    this.dry = Math.cos((effect.wet * Math.PI) / 2)
    this.wet = Math.sin((effect.wet * Math.PI) / 2)
    this.wetL = new Float32Array(blockFrames)
    this.wetR = new Float32Array(blockFrames)
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { wetL, wetR, dry, wet } = this
    if (channels === 1) for (let i = 0; i < n; i++) right[i] = left[i]!
    this.convolver.process(left, right, wetL, wetR, n)
    for (let i = 0; i < n; i++) {
      left[i] = dry * left[i]! + wet * wetL[i]!
      right[i] = dry * right[i]! + wet * wetR[i]!
    }
    return 2
  }
}

/** The kernel of one effect. */
export function processorFor(effect: Effect, context: EffectContext): Processor {
  const { sampleRate, tempo, blockFrames } = context
  switch (effect.type) {
    case 'filter':
      return new FilterKernel(effect, sampleRate)
    case 'eq3':
      return new EQ3Kernel(effect, sampleRate)
    case 'delay':
      return new FeedbackDelay(
        delaySecondsFrom(effect.division, tempo),
        effect.feedback,
        effect.wet,
        sampleRate,
      )
    case 'compressor':
      return new CompressorKernel(
        sampleRate,
        effect.threshold,
        effect.ratio,
        effect.attack,
        effect.release,
      )
    case 'reverb':
      return new ReverbKernel(effect, sampleRate, blockFrames)
    case 'distortion':
      return new DistortionKernel(effect.amount, effect.wet)
    case 'pitchShift':
      return new PitchShiftKernel(sampleRate, effect.semitones, effect.wet)
  }
}
