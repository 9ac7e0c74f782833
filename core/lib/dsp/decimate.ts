// Streaming integer-factor decimation, block by block with a carried history: the ingest
// rendition and the analysis copy. Whole signals at any rational ratio go through resample.ts;
// both take their taps from window.ts's one low-pass design.
import { lowpassTap } from './window.ts'

const TAPS = 95
const MID = (TAPS - 1) / 2

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
    let sum = 0
    for (let i = 0; i < TAPS; i++) {
      // Mirrored, so that the two halves are equal to the bit (process folds them).
      kernel[i] = i <= MID ? lowpassTap(i - MID, fc, MID) : kernel[TAPS - 1 - i]!
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
      // The kernel is symmetric (k[t] = k[TAPS − 1 − t]): half the products; two outputs at once
      // share each tap's load.
      const f = this.factor
      let i = this.phase
      for (; i + f < frames; i += 2 * f) {
        const j = i + f
        let a = k[MID]! * work[i + MID]!
        let b = k[MID]! * work[j + MID]!
        for (let t = 0; t < MID; t++) {
          const kt = k[t]!
          a += kt * (work[i + t]! + work[i + TAPS - 1 - t]!)
          b += kt * (work[j + t]! + work[j + TAPS - 1 - t]!)
        }
        out[n++] = a
        out[n++] = b
      }
      for (; i < frames; i += f) {
        let a = k[MID]! * work[i + MID]!
        for (let t = 0; t < MID; t++) a += k[t]! * (work[i + t]! + work[i + TAPS - 1 - t]!)
        out[n++] = a
      }
      this.history[ch]!.set(work.subarray(frames, frames + TAPS - 1))
      produced = n
    }
    const last = this.phase + (produced - 1) * this.factor
    this.phase = produced > 0 ? last + this.factor - frames : this.phase - frames
    return { channels: this.out, length: produced }
  }
}
