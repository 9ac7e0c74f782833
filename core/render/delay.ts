import type { NoteDivision } from '../recipe/schema.ts'

const QUARTERS: Record<NoteDivision, number> = {
  '1/2': 2,
  '1/4': 1,
  '1/4d': 1.5,
  '1/8': 0.5,
  '1/8d': 0.75,
  '1/8t': 1 / 3,
  '1/16': 0.25,
}

/** The delay time of a note division at a tempo (beats are quarter notes; d = dotted, t = triplet). */
export function delaySecondsFrom(division: NoteDivision, tempo: number): number {
  return (60 / tempo) * QUARTERS[division]
}

/**
 * A feedback delay, as the studio used to build it from native nodes: send = x + feedback·tap, tap = send delayed
 * by `time` (linear interpolation between frames, as DelayNode), out = cos(wet·π/2)·x +
 * sin(wet·π/2)·tap. The studio runs this same kernel in an AudioWorklet (a native DelayNode in a
 * feedback cycle adds a render quantum to every repeat). Self-contained: its source is loaded there.
 */
export class FeedbackDelay {
  private readonly buffers: Float32Array[]
  private readonly size: number
  private readonly whole: number
  private readonly frac: number
  private readonly dry: number
  private readonly wet: number
  private readonly feedback: number
  private at = 0

  constructor(seconds: number, feedback: number, wet: number, sampleRate: number) {
    this.feedback = feedback
    const frames = seconds * sampleRate
    this.whole = Math.floor(frames)
    this.frac = frames - this.whole
    this.size = this.whole + 2
    this.buffers = [new Float32Array(this.size), new Float32Array(this.size)]
    this.dry = Math.cos((wet * Math.PI) / 2)
    this.wet = Math.sin((wet * Math.PI) / 2)
  }

  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { size, whole, frac, dry, wet, feedback } = this
    const bl = this.buffers[0]!
    const br = this.buffers[1]!
    const stereo = channels === 2
    let w = this.at
    // both channels in one pass, on the same ring position, in runs where neither the write
    // position nor the taps (`whole` and `whole + 1` frames ago) wrap around the ring; a loop of
    // its own for each case (stereo or mono, a whole or a fractional delay)
    for (let i = 0; i < n;) {
      let r0 = w - whole
      if (r0 < 0) r0 += size
      const r1 = r0 === 0 ? size - 1 : r0 - 1
      const m = Math.min(n - i, size - w, size - r0, r1 === size - 1 ? 1 : size - r1)
      if (frac === 0 && stereo)
        for (let j = 0; j < m; j++) {
          const tl = bl[r0 + j]!
          const tr = br[r0 + j]!
          const xl = left[i + j]!
          const xr = right[i + j]!
          bl[w + j] = xl + feedback * tl
          br[w + j] = xr + feedback * tr
          left[i + j] = dry * xl + wet * tl
          right[i + j] = dry * xr + wet * tr
        }
      else if (!stereo && frac === 0)
        for (let j = 0; j < m; j++) {
          const tl = bl[r0 + j]!
          const xl = left[i + j]!
          bl[w + j] = xl + feedback * tl
          left[i + j] = dry * xl + wet * tl
        }
      else if (!stereo)
        for (let j = 0; j < m; j++) {
          const ta = bl[r0 + j]!
          const tl = ta + (bl[r1 + j]! - ta) * frac
          const xl = left[i + j]!
          bl[w + j] = xl + feedback * tl
          left[i + j] = dry * xl + wet * tl
        }
      else
        for (let j = 0; j < m; j++) {
          const a = r0 + j
          const b = r1 + j
          const tl = bl[a]! + (bl[b]! - bl[a]!) * frac
          const tr = br[a]! + (br[b]! - br[a]!) * frac
          const xl = left[i + j]!
          const xr = right[i + j]!
          bl[w + j] = xl + feedback * tl
          br[w + j] = xr + feedback * tr
          left[i + j] = dry * xl + wet * tl
          right[i + j] = dry * xr + wet * tr
        }
      i += m
      w = w + m === size ? 0 : w + m
    }
    this.at = w
    return channels
  }
}
