/**
 * Stereo lookahead brickwall limiter, as pure block DSP with no allocation after construction.
 * The gain is the moving average (over the lookahead window) of a min-hold of the required gain
 * with exponential release, so every gain that touches a sample is at most what that sample needs:
 * output peaks never pass the ceiling. Output is the input delayed by `lookahead` samples.
 *
 * Self-contained on purpose: its source text is also loaded into the AudioWorklet (limiter.ts).
 */
export class LimiterKernel {
  readonly lookahead: number
  private readonly window: number
  private readonly delayL: Float32Array
  private readonly delayR: Float32Array
  private delayAt = 0
  private readonly minAt: Float64Array
  private readonly minValue: Float64Array
  private minHead = 0
  private minSize = 0
  private readonly box: Float64Array
  private boxAt = 0
  private boxSum: number
  private release = 1
  private readonly releaseCoef: number
  private time = 0

  /** The delay, in samples, that a kernel at this rate and lookahead adds. */
  static lookaheadFor(sampleRate: number, lookaheadSeconds: number): number {
    return Math.max(1, Math.round(lookaheadSeconds * sampleRate))
  }

  constructor(sampleRate: number, lookaheadSeconds: number, releaseSeconds = 0.05) {
    this.lookahead = LimiterKernel.lookaheadFor(sampleRate, lookaheadSeconds)
    this.window = this.lookahead + 1
    this.delayL = new Float32Array(this.lookahead)
    this.delayR = new Float32Array(this.lookahead)
    this.minAt = new Float64Array(this.window)
    this.minValue = new Float64Array(this.window)
    this.box = new Float64Array(this.window).fill(1)
    this.boxSum = this.window
    this.releaseCoef = 1 - Math.exp(-1 / Math.max(1, releaseSeconds * sampleRate))
  }

  /** Limits samples [from, to) of the inputs into the outputs (ceiling as linear gain). */
  processBlock(
    inL: Float32Array,
    inR: Float32Array,
    outL: Float32Array,
    outR: Float32Array,
    from: number,
    to: number,
    ceiling: number,
    enabled: boolean,
  ): void {
    const w = this.window
    const n = this.lookahead
    const { delayL, delayR, minAt, minValue, box, releaseCoef } = this
    let { delayAt, minHead, minSize, boxAt, boxSum, release, time } = this
    for (let i = from; i < to; i++) {
      const xL = inL[i]!
      const xR = inR[i]!
      const aL = xL < 0 ? -xL : xL
      const aR = xR < 0 ? -xR : xR
      const peak = aL > aR ? aL : aR
      const needed = enabled && peak > ceiling ? ceiling / peak : 1
      const t = time++
      // sliding minimum of `needed` over the last `window` samples (monotonic deque)
      if (minSize > 0 && minAt[minHead]! <= t - w) {
        minHead = minHead + 1 === w ? 0 : minHead + 1
        minSize--
      }
      while (minSize > 0) {
        let back = minHead + minSize - 1
        if (back >= w) back -= w
        if (minValue[back]! < needed) break
        minSize--
      }
      let tail = minHead + minSize
      if (tail >= w) tail -= w
      minAt[tail] = t
      minValue[tail] = needed
      minSize++
      const held = minValue[minHead]!
      let released = release + (1 - release) * releaseCoef
      if (released > 0.999999999) released = 1
      release = held < released ? held : released
      boxSum += release - box[boxAt]!
      box[boxAt] = release
      boxAt = boxAt + 1 === w ? 0 : boxAt + 1
      const average = boxSum / w
      const gain = average < 1 ? average : 1
      let yL = delayL[delayAt]! * gain
      let yR = delayR[delayAt]! * gain
      delayL[delayAt] = xL
      delayR[delayAt] = xR
      delayAt = delayAt + 1 === n ? 0 : delayAt + 1
      if (enabled) {
        yL = yL > ceiling ? ceiling : yL < -ceiling ? -ceiling : yL
        yR = yR > ceiling ? ceiling : yR < -ceiling ? -ceiling : yR
      }
      outL[i] = yL
      outR[i] = yR
    }
    this.delayAt = delayAt
    this.minHead = minHead
    this.minSize = minSize
    this.boxAt = boxAt
    this.boxSum = boxSum
    this.release = release
    this.time = time
  }
}

/** The master limiter's lookahead, in seconds (the studio's worklet and the renderer use it). */
export const LIMITER_LOOKAHEAD = 0.005

/** The constant delay of the master limiter at a sample rate, in frames. */
export function limiterLatency(sampleRate: number): number {
  return LimiterKernel.lookaheadFor(sampleRate, LIMITER_LOOKAHEAD)
}
