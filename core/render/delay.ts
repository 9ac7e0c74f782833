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
    // both channels in one pass, on the same ring position
    for (let i = 0; i < n; i++) {
      // the tap `whole` and `whole + 1` frames ago, interpolated
      let r0 = w - whole
      if (r0 < 0) r0 += size
      let r1 = r0 - 1
      if (r1 < 0) r1 += size
      const tl = frac === 0 ? bl[r0]! : bl[r0]! + (bl[r1]! - bl[r0]!) * frac
      const xl = left[i]!
      bl[w] = xl + feedback * tl
      left[i] = dry * xl + wet * tl
      if (stereo) {
        const tr = frac === 0 ? br[r0]! : br[r0]! + (br[r1]! - br[r0]!) * frac
        const xr = right[i]!
        br[w] = xr + feedback * tr
        right[i] = dry * xr + wet * tr
      }
      w = w + 1 === size ? 0 : w + 1
    }
    this.at = w
    return channels
  }
}
