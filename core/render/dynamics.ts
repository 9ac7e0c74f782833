/**
 * The compressor kernel (recipe effect `compressor`), modelled on Web Audio's DynamicsCompressorNode
 * as the studio used it through Tone.Compressor: a 30 dB soft knee above the threshold, peak
 * detection linked across channels, attack/release smoothing of the gain in dB, a 6 ms lookahead
 * (the signal is delayed by it, as the native node's pre-delay) and the spec's makeup gain
 * (1 / gain at 0 dBFS)^0.6. The studio runs this same kernel in an AudioWorklet.
 *
 * Self-contained on purpose: its source text is also loaded into the AudioWorklet.
 */
export class CompressorKernel {
  readonly latency: number
  private readonly threshold: number
  private readonly knee: number
  private readonly slope: number
  private readonly makeupDb: number
  private readonly attackCoef: number
  private readonly releaseCoef: number
  private readonly delayL: Float32Array
  private readonly delayR: Float32Array
  private at = 0
  private envDb = 0
  // the gain of the envelope `heldDb`, and the frames since it was last computed exactly
  private gain = 1
  private heldDb = 0
  private since = 0

  constructor(
    sampleRate: number,
    threshold: number,
    ratio: number,
    attack: number,
    release: number,
    knee = 30,
  ) {
    this.threshold = threshold
    this.knee = knee
    this.slope = 1 / ratio
    this.latency = Math.max(1, Math.round(0.006 * sampleRate))
    this.delayL = new Float32Array(this.latency)
    this.delayR = new Float32Array(this.latency)
    this.attackCoef = 1 - Math.exp(-1 / Math.max(1, attack * sampleRate))
    this.releaseCoef = 1 - Math.exp(-1 / Math.max(1, release * sampleRate))
    this.makeupDb = -0.6 * this.curveDb(0)
    this.gain = Math.exp((this.makeupDb * Math.LN10) / 20)
  }

  /** The static curve: output level in dB for an input level in dB. */
  curveDb(x: number): number {
    const t = this.threshold
    const k = this.knee
    const s = this.slope
    if (x <= t) return x
    if (k > 0 && x < t + k) return x + ((s - 1) * (x - t) * (x - t)) / (2 * k)
    return t + (k * (1 + s)) / 2 + (x - t - k) * s
  }

  /** Compresses frames [0, n) in place (right is ignored when `channels` is 1). */
  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { delayL, delayR, latency, attackCoef, releaseCoef, makeupDb } = this
    const t = this.threshold
    const k = this.knee
    const s = this.slope
    const top = t + (k * (1 + s)) / 2
    const toDb = 20 / Math.LN10
    const fromDb = Math.LN10 / 20
    const quiet = Math.max(1e-9, 0.999 * Math.exp(t * fromDb))
    let at = this.at
    let env = this.envDb
    // the gain follows the envelope. Where the envelope moves by a small step, the gain is carried
    // by the exponential of the step (its Taylor series to the 4th order: relative error below
    // 1e-12 a step), and computed exactly after any larger step and after `exactEvery` carried
    // steps; the count runs across blocks, so the output is the same at any block size
    let held = this.heldDb
    let g = this.gain
    let since = this.since
    const exactEvery = 4096
    const stereo = channels === 2
    for (let i = 0; i < n; i++) {
      const l = left[i]!
      const r = stereo ? right[i]! : 0
      const al = l < 0 ? -l : l
      const ar = r < 0 ? -r : r
      const peak = al > ar ? al : ar
      let target = 0
      // below `quiet` the level is surely under the threshold: no logarithm needed
      if (peak > quiet) {
        const x = Math.log(peak) * toDb
        if (x > t) {
          const y =
            k > 0 && x < t + k ? x + ((s - 1) * (x - t) * (x - t)) / (2 * k) : top + (x - t - k) * s
          target = y - x
        }
      }
      env += (target - env) * (target < env ? attackCoef : releaseCoef)
      if (env !== held) {
        const y = (env - held) * fromDb
        if (since < exactEvery && y > -0.01 && y < 0.01) {
          g *= 1 + y * (1 + y * (0.5 + y * (1 / 6 + y * (1 / 24))))
          since++
        } else {
          g = Math.exp((env + makeupDb) * fromDb)
          since = 0
        }
        held = env
      }
      const dl = delayL[at]!
      delayL[at] = l
      left[i] = dl * g
      if (stereo) {
        const dr = delayR[at]!
        delayR[at] = r
        right[i] = dr * g
      }
      at = at + 1 === latency ? 0 : at + 1
    }
    this.at = at
    this.envDb = env
    this.heldDb = held
    this.gain = g
    this.since = since
    return channels
  }
}
