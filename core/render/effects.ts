import { kernelConvolver } from '../dsp/render.ts'
import type { Effect } from '../recipe/schema.ts'
import { Biquad, biquadCoefficients } from './biquad.ts'
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
    if (channels === 2) this.stereo(left, right, n)
    else this.mono(left, n)
    return channels
  }

  private mono(io: Float32Array, n: number): void {
    const [gl, gm, gh] = this.gains
    const { k } = this
    const fr = Math.fround
    this.low.load(0, k, 0)
    this.lowMid.load(0, k, 9)
    this.mid.load(0, k, 18)
    this.high.load(0, k, 27)
    const [lb0, lb1, lb2, la1, la2] = [k[0]!, k[1]!, k[2]!, k[3]!, k[4]!]
    const [pb0, pb1, pb2, pa1, pa2] = [k[9]!, k[10]!, k[11]!, k[12]!, k[13]!]
    const [mb0, mb1, mb2, ma1, ma2] = [k[18]!, k[19]!, k[20]!, k[21]!, k[22]!]
    const [hb0, hb1, hb2, ha1, ha2] = [k[27]!, k[28]!, k[29]!, k[30]!, k[31]!]
    let [lx1, lx2, ly1, ly2] = [k[5]!, k[6]!, k[7]!, k[8]!]
    let [px1, px2, py1, py2] = [k[14]!, k[15]!, k[16]!, k[17]!]
    let [mx1, mx2, my1, my2] = [k[23]!, k[24]!, k[25]!, k[26]!]
    let [hx1, hx2, hy1, hy2] = [k[32]!, k[33]!, k[34]!, k[35]!]
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
    this.low.store(0, lx1, lx2, ly1, ly2)
    this.lowMid.store(0, px1, px2, py1, py2)
    this.mid.store(0, mx1, mx2, my1, my2)
    this.high.store(0, hx1, hx2, hy1, hy2)
  }

  /** Both channels in one pass: the same arithmetic as `mono` per channel, twice the parallelism. */
  private stereo(left: Float32Array, right: Float32Array, n: number): void {
    const [gl, gm, gh] = this.gains
    const { k } = this
    const fr = Math.fround
    this.low.load(0, k, 0)
    this.lowMid.load(0, k, 9)
    this.mid.load(0, k, 18)
    this.high.load(0, k, 27)
    const [lb0, lb1, lb2, la1, la2] = [k[0]!, k[1]!, k[2]!, k[3]!, k[4]!]
    const [pb0, pb1, pb2, pa1, pa2] = [k[9]!, k[10]!, k[11]!, k[12]!, k[13]!]
    const [mb0, mb1, mb2, ma1, ma2] = [k[18]!, k[19]!, k[20]!, k[21]!, k[22]!]
    const [hb0, hb1, hb2, ha1, ha2] = [k[27]!, k[28]!, k[29]!, k[30]!, k[31]!]
    let [lx1, lx2, ly1, ly2] = [k[5]!, k[6]!, k[7]!, k[8]!]
    let [px1, px2, py1, py2] = [k[14]!, k[15]!, k[16]!, k[17]!]
    let [mx1, mx2, my1, my2] = [k[23]!, k[24]!, k[25]!, k[26]!]
    let [hx1, hx2, hy1, hy2] = [k[32]!, k[33]!, k[34]!, k[35]!]
    this.low.load(1, k, 0)
    this.lowMid.load(1, k, 9)
    this.mid.load(1, k, 18)
    this.high.load(1, k, 27)
    let [rlx1, rlx2, rly1, rly2] = [k[5]!, k[6]!, k[7]!, k[8]!]
    let [rpx1, rpx2, rpy1, rpy2] = [k[14]!, k[15]!, k[16]!, k[17]!]
    let [rmx1, rmx2, rmy1, rmy2] = [k[23]!, k[24]!, k[25]!, k[26]!]
    let [rhx1, rhx2, rhy1, rhy2] = [k[32]!, k[33]!, k[34]!, k[35]!]
    for (let i = 0; i < n; i++) {
      const x = left[i]!
      const rx = right[i]!
      let yl = lb0 * x + lb1 * lx1 + lb2 * lx2 - la1 * ly1 - la2 * ly2
      let ryl = lb0 * rx + lb1 * rlx1 + lb2 * rlx2 - la1 * rly1 - la2 * rly2
      if (yl > -1e-30 && yl < 1e-30) yl = 0
      if (ryl > -1e-30 && ryl < 1e-30) ryl = 0
      lx2 = lx1
      lx1 = x
      ly2 = ly1
      ly1 = yl
      rlx2 = rlx1
      rlx1 = rx
      rly2 = rly1
      rly1 = ryl
      let yp = pb0 * x + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2
      let ryp = pb0 * rx + pb1 * rpx1 + pb2 * rpx2 - pa1 * rpy1 - pa2 * rpy2
      if (yp > -1e-30 && yp < 1e-30) yp = 0
      if (ryp > -1e-30 && ryp < 1e-30) ryp = 0
      px2 = px1
      px1 = x
      py2 = py1
      py1 = yp
      rpx2 = rpx1
      rpx1 = rx
      rpy2 = rpy1
      rpy1 = ryp
      const xm = fr(yp)
      const rxm = fr(ryp)
      let ym = mb0 * xm + mb1 * mx1 + mb2 * mx2 - ma1 * my1 - ma2 * my2
      let rym = mb0 * rxm + mb1 * rmx1 + mb2 * rmx2 - ma1 * rmy1 - ma2 * rmy2
      if (ym > -1e-30 && ym < 1e-30) ym = 0
      if (rym > -1e-30 && rym < 1e-30) rym = 0
      mx2 = mx1
      mx1 = xm
      my2 = my1
      my1 = ym
      rmx2 = rmx1
      rmx1 = rxm
      rmy2 = rmy1
      rmy1 = rym
      let yh = hb0 * x + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2
      let ryh = hb0 * rx + hb1 * rhx1 + hb2 * rhx2 - ha1 * rhy1 - ha2 * rhy2
      if (yh > -1e-30 && yh < 1e-30) yh = 0
      if (ryh > -1e-30 && ryh < 1e-30) ryh = 0
      hx2 = hx1
      hx1 = x
      hy2 = hy1
      hy1 = yh
      rhx2 = rhx1
      rhx1 = rx
      rhy2 = rhy1
      rhy1 = ryh
      left[i] = fr(fr(yl) * gl + fr(ym) * gm) + fr(yh) * gh
      right[i] = fr(fr(ryl) * gl + fr(rym) * gm) + fr(ryh) * gh
    }
    this.low.store(0, lx1, lx2, ly1, ly2)
    this.lowMid.store(0, px1, px2, py1, py2)
    this.mid.store(0, mx1, mx2, my1, my2)
    this.high.store(0, hx1, hx2, hy1, hy2)
    this.low.store(1, rlx1, rlx2, rly1, rly2)
    this.lowMid.store(1, rpx1, rpx2, rpy1, rpy2)
    this.mid.store(1, rmx1, rmx2, rmy1, rmy2)
    this.high.store(1, rhx1, rhx2, rhy1, rhy2)
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
