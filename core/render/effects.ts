import type { Effect } from '../recipe/schema.ts'
import { Biquad, biquadCoefficients } from './biquad.ts'
import type { EffectContext, Processor } from './chain.ts'
import { FeedbackDelay, delaySecondsFrom } from './delay.ts'
import { DistortionKernel } from './distortion.ts'
import { CompressorKernel } from './dynamics.ts'
import { PitchShiftKernel } from './pitch-shift.ts'
import { Convolver, reverbImpulse, seedFrom } from './reverb.ts'

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
    this.biquad.run(left, left, 0, n)
    if (channels === 2) this.biquad.run(right, right, 1, n)
    return channels
  }
}

/** EQ3 crossovers, as Tone.EQ3 and LeanEQ3: 400 Hz and 2.5 kHz, Q 1 (dB). */
export const EQ3_LOW = 400
export const EQ3_HIGH = 2500

/**
 * Tone.EQ3's topology: low = lowpass 400; mid = highpass 400 → lowpass 2500; high = highpass 2500;
 * each band times its gain, summed.
 */
export class EQ3Kernel implements Processor {
  private readonly low: Biquad
  private readonly lowMid: Biquad
  private readonly mid: Biquad
  private readonly high: Biquad
  private readonly gains: [number, number, number]
  private readonly a: Float32Array
  private readonly b: Float32Array

  constructor(effect: Of<'eq3'>, sampleRate: number, blockFrames: number) {
    this.low = new Biquad(biquadCoefficients('lowpass', EQ3_LOW, 1, sampleRate))
    this.lowMid = new Biquad(biquadCoefficients('highpass', EQ3_LOW, 1, sampleRate))
    this.mid = new Biquad(biquadCoefficients('lowpass', EQ3_HIGH, 1, sampleRate))
    this.high = new Biquad(biquadCoefficients('highpass', EQ3_HIGH, 1, sampleRate))
    this.gains = [10 ** (effect.low / 20), 10 ** (effect.mid / 20), 10 ** (effect.high / 20)]
    this.a = new Float32Array(blockFrames)
    this.b = new Float32Array(blockFrames)
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { a, b } = this
    const [gl, gm, gh] = this.gains
    for (let c = 0; c < channels; c++) {
      const io = c === 0 ? left : right
      this.low.run(io, a, c, n)
      this.lowMid.run(io, b, c, n)
      this.mid.run(b, b, c, n)
      for (let i = 0; i < n; i++) a[i] = a[i]! * gl + b[i]! * gm
      this.high.run(io, b, c, n)
      for (let i = 0; i < n; i++) io[i] = a[i]! + b[i]! * gh
    }
    return channels
  }
}

/**
 * A reverb: the seeded impulse response (reverb.ts) through a zero-latency convolver, mixed with
 * the dry signal by Tone's equal-power crossfade. Its output is stereo.
 */
export class ReverbKernel implements Processor {
  private readonly convolver: Convolver
  private readonly dry: number
  private readonly wet: number
  private readonly wetL: Float32Array
  private readonly wetR: Float32Array

  constructor(effect: Of<'reverb'>, sampleRate: number, blockFrames: number) {
    const [l, r] = reverbImpulse(effect.decay, sampleRate, seedFrom(effect.id)) as [
      Float32Array,
      Float32Array,
    ]
    this.convolver = new Convolver(l, r)
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
      return new EQ3Kernel(effect, sampleRate, blockFrames)
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
