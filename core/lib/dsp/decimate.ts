// Streaming integer-factor decimation, block by block with a carried history: the ingest
// rendition and the analysis copy. Whole signals at any rational ratio go through resample.ts;
// both take their taps from window.ts's one low-pass design.
import { lowpassTap } from './window.ts'

const TAPS = 95

/**
 * Integer-factor decimation with a windowed-sinc (Blackman) low-pass at 0.45 of the output rate,
 * so the rendition has no aliasing. Factor 1 passes blocks through.
 */
export class Decimator {
  private readonly kernel: Float32Array
  private readonly history: Float32Array[]
  private readonly work: Float32Array[]
  private readonly out: Float32Array[]
  private phase = 0 // input samples to skip before the next output

  readonly factor: number
  private readonly maxFrames: number

  constructor(factor: number, channels: number, maxFrames: number) {
    this.factor = factor
    this.maxFrames = maxFrames
    const kernel = new Float32Array(TAPS)
    const fc = 0.9 / factor // 0.45 of the output rate, as a fraction of the input's Nyquist
    const mid = (TAPS - 1) / 2
    let sum = 0
    for (let i = 0; i < TAPS; i++) {
      kernel[i] = lowpassTap(i - mid, fc, mid)
      sum += kernel[i]!
    }
    for (let i = 0; i < TAPS; i++) kernel[i] = kernel[i]! / sum
    this.kernel = kernel
    this.history = Array.from({ length: channels }, () => new Float32Array(TAPS - 1))
    this.work = Array.from({ length: channels }, () => new Float32Array(TAPS - 1 + maxFrames))
    this.out = Array.from(
      { length: channels },
      () => new Float32Array(Math.ceil(maxFrames / factor) + 1),
    )
  }

  /** Filters and decimates `frames` frames; answers the output arrays (reused) and their length. */
  process(
    block: readonly Float32Array[],
    frames: number,
  ): { channels: Float32Array[]; length: number } {
    if (this.factor === 1) return { channels: block as Float32Array[], length: frames }
    if (frames > this.maxFrames) throw new RangeError('block larger than the decimator allows')
    const k = this.kernel
    let produced = 0
    for (let ch = 0; ch < this.work.length; ch++) {
      const work = this.work[ch]!
      work.set(this.history[ch]!)
      work.set(block[ch]!.subarray(0, frames), TAPS - 1)
      const out = this.out[ch]!
      let n = 0
      // Output at input index i (the newest sample of the window work[i .. i + TAPS - 1]).
      for (let i = this.phase; i < frames; i += this.factor) {
        let acc = 0
        for (let t = 0; t < TAPS; t++) acc += k[t]! * work[i + t]!
        out[n++] = acc
      }
      this.history[ch]!.set(work.subarray(frames, frames + TAPS - 1))
      produced = n
    }
    const last = this.phase + (produced - 1) * this.factor
    this.phase = produced > 0 ? last + this.factor - frames : this.phase - frames
    return { channels: this.out, length: produced }
  }
}
