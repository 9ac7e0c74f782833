/**
 * The pitch-shift kernel (recipe effect `pitchShift` and region pitch), Tone.PitchShift's design:
 * two delay lines swept by sawtooths half a period apart over a 0.1 s window, crossfaded with
 * equal power so each is silent while its sweep jumps, then Tone's equal-power dry/wet mix. Unlike
 * Tone's, the sweep rate is exact (|2^(s/12) − 1| / window), so the pitch is the one asked for.
 * Phases follow the absolute frame, so any block size gives the same samples. The studio runs this
 * same kernel in an AudioWorklet.
 *
 * Self-contained on purpose: its source text is also loaded into the AudioWorklet.
 */
export class PitchShiftKernel {
  /** Frames after the input stops during which the output still sounds. */
  readonly tail: number
  private readonly window: number
  private readonly step: number
  private readonly up: boolean
  private readonly dry: number
  private readonly wet: number
  private readonly size: number
  private readonly lines: Float32Array[]
  private at = 0
  private frame = 0

  constructor(sampleRate: number, semitones: number, wet: number, windowSeconds = 0.1) {
    this.window = windowSeconds * sampleRate
    const ratio = 2 ** (semitones / 12)
    this.up = ratio >= 1
    // cycles of the sweep per frame
    this.step = Math.abs(ratio - 1) / this.window
    this.dry = Math.cos((wet * Math.PI) / 2)
    this.wet = Math.sin((wet * Math.PI) / 2)
    this.size = Math.ceil(this.window) + 3
    this.tail = this.size
    this.lines = [new Float32Array(this.size), new Float32Array(this.size)]
  }

  /** Clears the delay lines (the renderer skips silent spans; phases keep to the frame count). */
  reset(): void {
    for (const line of this.lines) line.fill(0)
  }

  /** Jumps the frame count (after frames the caller skipped). */
  seek(frame: number): void {
    this.frame = frame
  }

  private read(line: Float32Array, w: number, delay: number): number {
    let p = w - delay
    if (p < 0) p += this.size
    if (p >= this.size) p -= this.size
    const i = Math.floor(p)
    const f = p - i
    const j = i + 1 === this.size ? 0 : i + 1
    return line[i]! + (line[j]! - line[i]!) * f
  }

  /** Shifts frames [0, n) in place. */
  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2 {
    const { window, step, up, dry, wet, size } = this
    const start = this.at
    const frame0 = this.frame
    for (let c = 0; c < channels; c++) {
      const io = c === 0 ? left : right
      const line = this.lines[c]!
      let w = start
      for (let i = 0; i < n; i++) {
        const x = io[i]!
        line[w] = x
        const cycles = (frame0 + i) * step
        const a = cycles - Math.floor(cycles)
        let b = a + 0.5
        if (b >= 1) b -= 1
        // rising pitch: the delay shrinks across the window; falling: it grows
        const da = (up ? 1 - a : a) * window
        const db = (up ? 1 - b : b) * window
        // A is loudest mid-sweep (a = 1/2) and silent at its jump (a = 0)
        const tri = 1 - Math.abs(2 * a - 1)
        const ga = Math.sin((tri * Math.PI) / 2)
        const gb = Math.cos((tri * Math.PI) / 2)
        const y = ga * this.read(line, w, da) + gb * this.read(line, w, db)
        io[i] = dry * x + wet * y
        w = w + 1 === size ? 0 : w + 1
      }
      if (c === channels - 1) this.at = w
    }
    this.frame = frame0 + n
    return channels
  }
}
