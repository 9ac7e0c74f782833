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
 * each band times its gain, summed. The four biquads run in one pass per channel (each rounds to
 * Float32 where a separate filter would store its output, so the result is the same).
 */
export class EQ3Kernel implements Processor {
  private readonly low: Biquad
  private readonly lowMid: Biquad
  private readonly mid: Biquad
  private readonly high: Biquad
  private readonly gains: [number, number, number]
  private readonly k = new Float64Array(36)

  constructor(effect: Of<'eq3'>, sampleRate: number) {
    this.low = new Biquad(biquadCoefficients('lowpass', EQ3_LOW, 1, sampleRate))
    this.lowMid = new Biquad(biquadCoefficients('highpass', EQ3_LOW, 1, sampleRate))
    this.mid = new Biquad(biquadCoefficients('lowpass', EQ3_HIGH, 1, sampleRate))
    this.high = new Biquad(biquadCoefficients('highpass', EQ3_HIGH, 1, sampleRate))
    this.gains = [10 ** (effect.low / 20), 10 ** (effect.mid / 20), 10 ** (effect.high / 20)]
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const [gl, gm, gh] = this.gains
    const { k } = this
    const fr = Math.fround
    for (let c = 0; c < channels; c++) {
      const io = c === 0 ? left : right
      this.low.load(c, k, 0)
      this.lowMid.load(c, k, 9)
      this.mid.load(c, k, 18)
      this.high.load(c, k, 27)
      const lb0 = k[0]!
      const lb1 = k[1]!
      const lb2 = k[2]!
      const la1 = k[3]!
      const la2 = k[4]!
      let lx1 = k[5]!
      let lx2 = k[6]!
      let ly1 = k[7]!
      let ly2 = k[8]!
      const pb0 = k[9]!
      const pb1 = k[10]!
      const pb2 = k[11]!
      const pa1 = k[12]!
      const pa2 = k[13]!
      let px1 = k[14]!
      let px2 = k[15]!
      let py1 = k[16]!
      let py2 = k[17]!
      const mb0 = k[18]!
      const mb1 = k[19]!
      const mb2 = k[20]!
      const ma1 = k[21]!
      const ma2 = k[22]!
      let mx1 = k[23]!
      let mx2 = k[24]!
      let my1 = k[25]!
      let my2 = k[26]!
      const hb0 = k[27]!
      const hb1 = k[28]!
      const hb2 = k[29]!
      const ha1 = k[30]!
      const ha2 = k[31]!
      let hx1 = k[32]!
      let hx2 = k[33]!
      let hy1 = k[34]!
      let hy2 = k[35]!
      for (let i = 0; i < n; i++) {
        const x = io[i]!
        let yl = lb0 * x + lb1 * lx1 + lb2 * lx2 - la1 * ly1 - la2 * ly2
        if (yl > -1e-30 && yl < 1e-30) yl = 0
        lx2 = lx1
        lx1 = x
        ly2 = ly1
        ly1 = yl
        let yp = pb0 * x + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2
        if (yp > -1e-30 && yp < 1e-30) yp = 0
        px2 = px1
        px1 = x
        py2 = py1
        py1 = yp
        const xm = fr(yp)
        let ym = mb0 * xm + mb1 * mx1 + mb2 * mx2 - ma1 * my1 - ma2 * my2
        if (ym > -1e-30 && ym < 1e-30) ym = 0
        mx2 = mx1
        mx1 = xm
        my2 = my1
        my1 = ym
        let yh = hb0 * x + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2
        if (yh > -1e-30 && yh < 1e-30) yh = 0
        hx2 = hx1
        hx1 = x
        hy2 = hy1
        hy1 = yh
        io[i] = fr(fr(yl) * gl + fr(ym) * gm) + fr(yh) * gh
      }
      this.low.store(c, lx1, lx2, ly1, ly2)
      this.lowMid.store(c, px1, px2, py1, py2)
      this.mid.store(c, mx1, mx2, my1, my2)
      this.high.store(c, hx1, hx2, hy1, hy2)
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
