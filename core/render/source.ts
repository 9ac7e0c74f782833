/** One stem's audio at the render's sample rate, read in blocks (the worker feeds R2 range reads). */
export interface StemSource {
  readonly channels: number // 1 or 2
  readonly frames: number // length in sample frames
  /**
   * Fills out[ch][0 .. out[0].length) with frames [start, start + n); frames outside the stem are 0.
   * out.length === channels. May be called with increasing, decreasing or repeated starts (loops).
   */
  read(start: number, out: Float32Array[]): Promise<void> | void
}

/**
 * A StemSource over decoded audio in memory (tests, the studio, small stems). `data` may be a
 * window of the stem whose first frame is the stem's frame `origin`: frames outside it read as 0
 * (the studio sends a worker only the frames a region reads).
 */
export class BufferSource implements StemSource {
  readonly channels: number
  readonly frames: number
  private readonly data: readonly Float32Array[]
  private readonly origin: number

  constructor(data: readonly Float32Array[], origin = 0) {
    this.data = data
    this.origin = origin
    this.channels = data.length
    this.frames = origin + (data[0]?.length ?? 0)
  }

  read(at: number, out: Float32Array[]): void {
    const start = at - this.origin
    for (let c = 0; c < out.length; c++) {
      const o = out[c]!
      const d = this.data[c]!
      const n = o.length
      const from = Math.max(0, Math.min(n, -start))
      const to = Math.max(from, Math.min(n, this.frames - at))
      o.fill(0, 0, from)
      if (to > from) o.set(d.subarray(start + from, start + to), from)
      o.fill(0, to, n)
    }
  }
}
