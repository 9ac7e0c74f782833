import type { Effect } from '../recipe/schema.ts'
import { Biquad, biquadCoefficients } from './biquad.ts'
import type { EffectContext, Processor } from './chain.ts'
import { FeedbackDelay, delaySecondsFrom } from './delay.ts'

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

/** The kernel of one effect; undefined for kinds this renderer does not have yet (passed through). */
export function processorFor(effect: Effect, context: EffectContext): Processor | undefined {
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
    default:
      return undefined
  }
}
