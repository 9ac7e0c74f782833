// The export watermark, block by block: the same marks as embedWatermark over the whole file, with
// bounded memory (ring buffers of about one watermark block) and no allocation per call.
import type { Hertz } from '../units.ts'
import {
  blockGains,
  checkEmbedding,
  checkPayload,
  contrastBlock,
  ENERGIES,
  GainScratch,
  symbolValues,
  synthesizePair,
} from './embed.ts'
import { BANDS, BLOCK_FRAMES, FRAME, HOP, layoutFor, RATE, SLOTS, type Layout } from './layout.ts'
import type { FilterBank } from '../lib/dsp/resample.ts'
import { bandBank } from './band.ts'
import { Analyzer, CONTRAST } from './stft.ts'
import { kernelRings, type KernelRings } from '../dsp/kernels.ts'

export type EmbedOptions = {
  sampleRate: number
  channels: number
  /** WATERMARK_KEY */
  key: string
  /** 64-bit export id */
  payload: bigint
}

/** Most input frames handled in one pass of the pipeline (longer calls are split). */
const CHUNK = 4096
/** Raw feature frames kept: the block being marked, its neighbours' CONTRAST frames, and slack. */
const RAW_FRAMES = 2 * BLOCK_FRAMES

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n)))

/** The 16-hex-digit payload of a 64-bit id. */
export function payloadHex(payload: bigint): string {
  if (payload < 0n || payload >= 1n << 64n)
    throw new RangeError('the payload is a 64-bit unsigned id')
  return payload.toString(16).padStart(16, '0')
}

/**
 * Marks audio as it streams through. Output frame t holds marked input frame t − latency (zeros
 * before); to mark a whole file, feed it, then `latency` frames of silence, and drop the first
 * `latency` output frames. The result equals embedWatermark on the same file sample for sample.
 *
 * Pipeline: each channel is resampled to RATE as input arrives, the channel mean's STFT features
 * and energies are kept per frame, and once a block's features (plus CONTRAST frames after it) are
 * in, its gains are decided (informed embedding, per-frame power cap) and its frames synthesised
 * into a per-channel delta at RATE, which is resampled back and added to the delayed input.
 */
export class StreamingEmbedder {
  readonly latency: number
  private readonly rate: Hertz
  private readonly count: number
  private readonly layout: Layout
  private readonly values: Int8Array
  private readonly down: FilterBank | null
  private readonly up: FilterBank | null
  private readonly analyzer = new Analyzer()
  private readonly scratch = new GainScratch()
  private readonly bands = new Float64Array(BANDS)
  /**
   * Input-rate rings: the input, for the delayed sum. The watermark resampled back is added to it
   * in place: a block is marked only once the mix runs CONTRAST frames past it, so the
   * downsampler has read every frame the block's watermark lands on (by ≥ 1275 frames, 24–192 kHz).
   */
  private readonly inMask: number
  private readonly input: Float32Array[]
  /** RATE rings: each channel, their mean, and each channel's watermark. */
  private readonly mask: number
  private readonly x: Float32Array[]
  private readonly mix: Float32Array
  private readonly delta: Float32Array[]
  /** The rings in the DSP kernels, which resample to and from RATE (null: the JS loops below). */
  private readonly kernel: KernelRings | null
  private readonly raw = new Float32Array(RAW_FRAMES * BANDS)
  private readonly energies = new Float64Array(RAW_FRAMES * ENERGIES)
  private readonly features = new Float32Array(SLOTS)
  private readonly gains = new Float32Array(SLOTS)
  private readonly rawAt = (frame: number) => (frame % RAW_FRAMES) * BANDS
  /** Progress: input frames in, RATE samples made, raw frames analysed, blocks marked, back-resampled frames, output frames out. */
  private received = 0
  private made = 0
  private analysed = 0
  private marked = 0
  private backed = 0
  private emitted = 0

  constructor(options: EmbedOptions) {
    const { sampleRate, channels, key } = options
    checkEmbedding(sampleRate, key)
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError('channels must be ≥ 1')
    const payload = payloadHex(options.payload)
    checkPayload(payload)
    this.rate = sampleRate
    this.count = channels
    this.layout = layoutFor(key)
    this.values = symbolValues(payload)
    this.down = bandBank(sampleRate, RATE)
    this.up = bandBank(RATE, sampleRate)
    this.latency = this.worstDelay()
    this.inMask = nextPowerOfTwo(this.latency + 2 * CHUNK + 64) - 1
    this.mask = nextPowerOfTwo((BLOCK_FRAMES + 4) * HOP + 2 * FRAME + CHUNK + 256) - 1
    const ring = (size: number) => Array.from({ length: channels }, () => new Float32Array(size))
    const { down } = this
    const { up } = this
    this.kernel =
      down && up
        ? kernelRings(channels, this.inMask + 1, this.mask + 1, sampleRate, down, up)
        : null
    this.input = this.kernel?.input ?? ring(this.inMask + 1)
    this.x = this.kernel?.x ?? (down ? ring(this.mask + 1) : [])
    this.mix =
      this.kernel?.mix ?? (channels === 1 && down ? this.x[0]! : new Float32Array(this.mask + 1))
    this.delta = this.kernel?.delta ?? ring(this.mask + 1)
  }

  /** Marks one block: input[c] and output[c] all of one length. */
  process(input: Float32Array[], output: Float32Array[]): void {
    if (input.length !== this.count || output.length !== this.count)
      throw new RangeError(`process needs ${this.count} input and output channels`)
    const n = input[0]!.length
    for (let c = 0; c < this.count; c++)
      if (input[c]!.length !== n || output[c]!.length !== n)
        throw new RangeError('every input and output channel must have the same length')
    for (let done = 0; done < n;) {
      const step = Math.min(CHUNK, n - done)
      for (let c = 0; c < this.count; c++) {
        const ring = this.input[c]!
        const from = input[c]!
        for (let i = 0; i < step; i++) ring[(this.received + i) & this.inMask] = from[done + i]!
      }
      this.received += step
      this.advance()
      this.emit(output, done, step)
      done += step
    }
  }

  /** Input frames needed before output frame m can be made (see advance). */
  private needFor(m: number): number {
    const up = this.up
    const d = up ? Math.floor((m * RATE) / this.rate) + up.first + up.taps - 1 : m
    const block = Math.floor(Math.floor(d / HOP) / BLOCK_FRAMES)
    const lastMix = ((block + 1) * BLOCK_FRAMES + 1) * HOP + FRAME - 1
    const down = this.down
    return (
      (down ? Math.floor((lastMix * this.rate) / RATE) + down.first + down.taps - 1 : lastMix) + 1
    )
  }

  /** The largest wait any output frame has for its input: where a new block begins, scanned over 16 blocks. */
  private worstDelay(): number {
    let worst = 0
    const span = (BLOCK_FRAMES * HOP * this.rate) / RATE
    for (let k = 0; k <= 16; k++) {
      const around = Math.max(0, Math.floor(k * span) - 4096)
      for (let m = around; m < around + 8192; m++) worst = Math.max(worst, this.needFor(m) - m - 1)
    }
    return worst
  }

  /** Runs every stage as far as the input received allows. */
  private advance(): void {
    const { down, count, kernel } = this
    // The kernels make the same samples, up to each point where the loop below analyses a pair.
    while (kernel) {
      const due = (this.analysed + 1) * HOP + FRAME
      this.made = kernel.advance(this.made, this.received, due)
      if (this.made < due) return this.backResample()
      this.analysePair(this.analysed)
    }
    // RATE samples of each channel and of their mean.
    const scale = 1 / count
    for (;;) {
      const n = this.made
      let last: number
      if (down) {
        const position = n * this.rate
        const base = Math.floor(position / RATE)
        last = base + down.first + down.taps - 1
        if (last >= this.received) break
        const phase = Math.floor(((position - base * RATE) * down.phases) / RATE)
        const c0 = phase * down.taps
        const start = base + down.first
        let mean = 0
        for (let c = 0; c < count; c++) {
          const ring = this.input[c]!
          let acc = 0
          for (let k = 0; k < down.taps; k++) {
            const i = start + k
            if (i >= 0) acc += down.coefficients[c0 + k]! * ring[i & this.inMask]!
          }
          this.x[c]![n & this.mask] = acc
          if (count > 1) mean = Math.fround(mean + Math.fround(acc) * scale)
        }
        if (count > 1) this.mix[n & this.mask] = mean
      } else {
        if (n >= this.received) break
        let mean = 0
        for (let c = 0; c < count; c++) {
          const v = this.input[c]![n & this.inMask]!
          if (count > 1) mean = Math.fround(mean + v * scale)
          else mean = v
        }
        this.mix[n & this.mask] = mean
      }
      this.made++
      // Raw features (and energies) of the next pair of frames once the mix covers both.
      const a = this.analysed
      if ((a + 1) * HOP + FRAME - 1 < this.made) this.analysePair(a)
    }
    this.backResample()
  }

  /** Raw features and energies of frames a and a + 1; marks a block as soon as it can. */
  private analysePair(a: number): void {
    const { analyzer, bands } = this
    analyzer.loadRing(this.mix, this.mask, a * HOP, (a + 1) * HOP)
    for (let which = 0 as 0 | 1; which < 2; which++) {
      const j = a + which
      analyzer.features(which, this.raw, this.rawAt(j))
      const e = (j % RAW_FRAMES) * ENERGIES
      this.energies[e] = analyzer.energies(which, bands)
      this.energies.set(bands, e + 1)
    }
    this.analysed += 2
    if (this.analysed >= (this.marked + 1) * BLOCK_FRAMES + CONTRAST) this.markBlock()
  }

  /** Decides block `marked`'s gains and adds its frames to each channel's delta. */
  private markBlock(): void {
    const k = this.marked
    const first = k * BLOCK_FRAMES
    contrastBlock(this.raw, this.rawAt, first, this.features)
    const energies = this.energies.subarray((first % RAW_FRAMES) * ENERGIES)
    blockGains(this.features, energies, this.layout, this.values, this.gains, this.scratch)
    const { mask } = this
    for (let c = 0; c < this.count; c++) {
      const delta = this.delta[c]!
      for (let i = first * HOP + HOP; i < (first + BLOCK_FRAMES) * HOP + HOP; i++)
        delta[i & mask] = 0
      const signal = this.down ? this.x[c]! : this.mix
      const source = this.down || this.count === 1 ? signal : null
      for (let i = 0; i < BLOCK_FRAMES; i += 2) {
        const start = (first + i) * HOP
        if (source) this.analyzer.loadRing(source, mask, start, start + HOP)
        else this.loadInput(c, start)
        synthesizePair(this.analyzer, this.gains, i, delta, mask, start)
      }
    }
    this.marked++
  }

  /** Loads a pair of frames of input channel c (at RATE already) into the analyzer. */
  private loadInput(c: number, start: number): void {
    this.analyzer.loadRing(this.input[c]!, this.inMask, start, start + HOP)
  }

  /** Resamples each channel's finished delta back to the input rate. */
  private backResample(): void {
    const up = this.up
    if (!up) return
    const final = this.marked * BLOCK_FRAMES * HOP
    if (this.kernel) {
      this.backed = this.kernel.backResample(this.backed, final)
      return
    }
    const { mask } = this
    for (;;) {
      const m = this.backed
      const position = m * RATE
      const base = Math.floor(position / this.rate)
      if (base + up.first + up.taps - 1 >= final) break
      const phase = Math.floor(((position - base * this.rate) * up.phases) / this.rate)
      const c0 = phase * up.taps
      const start = base + up.first
      for (let c = 0; c < this.count; c++) {
        const delta = this.delta[c]!
        let acc = 0
        for (let k = 0; k < up.taps; k++) {
          const i = start + k
          if (i >= 0) acc += up.coefficients[c0 + k]! * delta[i & mask]!
        }
        // Float32 input + float32 watermark, rounded once: as the sum was when made at emit.
        const ring = this.input[c]!
        const j = m & this.inMask
        ring[j] = ring[j]! + Math.fround(acc)
      }
      this.backed++
    }
  }

  /** Writes `step` output frames at `at`: the input `latency` frames ago plus its watermark. */
  private emit(output: Float32Array[], at: number, step: number): void {
    const ready = this.up ? this.backed : this.marked * BLOCK_FRAMES * HOP
    for (let i = 0; i < step; i++) {
      const m = this.emitted + i - this.latency
      if (m >= ready) throw new Error('StreamingEmbedder fell behind its latency (a bug)')
      for (let c = 0; c < this.count; c++) {
        const out = output[c]!
        if (m < 0) out[at + i] = 0
        else {
          const marked = this.input[c]![m & this.inMask]!
          out[at + i] = this.up ? marked : marked + this.delta[c]![m & this.mask]!
        }
      }
    }
    this.emitted += step
  }
}
