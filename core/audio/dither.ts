// TPDF dither for the 16-bit rendition: before PCM rounds a float to 16 bits, add the sum of two
// independent uniform values of ±½ LSB (triangular, ±1 LSB peak), which decorrelates the rounding
// error from the signal. Seeded, so an export's 16-bit file is the same on every run.
import { seededRandom } from '../lib/random.ts'

/** One 16-bit LSB on the float scale wav.ts quantises with (×32 768). */
const LSB16 = 1 / 32768

/** A seeded TPDF ditherer for interleaved channel blocks. */
export class TpdfDither {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = seededRandom(seed)
  }

  /** Writes `input` plus dither into `output` (the same lengths), `n` frames of each channel. */
  process(input: readonly Float32Array[], output: readonly Float32Array[], n: number): void {
    const next = this.next
    // frame by frame across channels, so the noise sequence does not depend on the block size
    for (let i = 0; i < n; i++)
      for (let ch = 0; ch < input.length; ch++)
        output[ch]![i] = input[ch]![i]! + (next() - next()) * LSB16
  }
}
