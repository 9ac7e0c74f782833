import { SILENCE_FLOOR_DB } from '../audio/levels.ts'
import type { Decibels } from '../units.ts'

/**
 * The null test's maths: the residual of the stems' sum against the reference mix, block by block,
 * in dB relative to the reference's energy (more negative is closer).
 */
export class NullTest {
  private residual = 0
  private energy = 0
  private readonly sum: Float32Array[]

  constructor(channels: number, blockFrames: number) {
    this.sum = Array.from({ length: channels }, () => new Float32Array(blockFrames))
  }

  /** Starts a block of `frames` frames: the sum of the stems is zero. */
  begin(frames: number): void {
    for (const s of this.sum) s.fill(0, 0, frames)
  }

  /** Adds one stem's block (mono or stereo); a stereo stem folds to (L + R) / 2 on a mono reference. */
  addStem(stem: readonly Float32Array[], frames: number): void {
    const channels = this.sum.length
    for (let c = 0; c < channels; c++) {
      const dst = this.sum[c]!
      if (channels === 1 && stem.length === 2) {
        const a = stem[0]!
        const b = stem[1]!
        for (let i = 0; i < frames; i++) dst[i] = dst[i]! + (a[i]! + b[i]!) / 2
      } else {
        const src = stem[stem.length === 1 ? 0 : c]!
        for (let i = 0; i < frames; i++) dst[i] = dst[i]! + src[i]!
      }
    }
  }

  /** Compares the block's sum with the reference's block. */
  end(reference: readonly Float32Array[], frames: number): void {
    for (let c = 0; c < this.sum.length; c++) {
      const r = reference[c]!
      const s = this.sum[c]!
      for (let i = 0; i < frames; i++) {
        const d = r[i]! - s[i]!
        this.residual += d * d
        this.energy += r[i]! * r[i]!
      }
    }
  }

  /** The residual in dB to a tenth, or null when the reference is silent. */
  result(): Decibels | null {
    if (this.energy === 0) return null
    const db =
      this.residual > 0
        ? Math.max(SILENCE_FLOOR_DB, 10 * Math.log10(this.residual / this.energy))
        : SILENCE_FLOOR_DB
    return Math.round(db * 10) / 10
  }
}
