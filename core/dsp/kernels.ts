// The shared DSP kernels in WebAssembly (wasm/dsp.c, built by wasm/build.sh into the committed
// wasm/dsp.wasm): the host hands core the compiled module once (useDsp) — the worker imports it
// as a precompiled module (workerd cannot compile wasm at run time), Node compiles the file's bytes
// (core/watermark/testing/dsp.ts). Until then, and in the browser, callers run their JS
// reference (core/lib/dsp/fft.ts and the watermark's own loops), which the kernels reproduce
// (core/dsp/kernels.test.ts).

/** The WebAssembly API as core uses it (core builds without DOM or host types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}

interface Exports {
  memory: { buffer: ArrayBuffer }
  dsp_twiddles(): number
  dsp_block_twiddles(): number
  dsp_window(): number
  dsp_init(c1: number, c2: number, s1: number, s2: number): void
  dsp_reset(): void
  dsp_alloc(bytes: number): number
  dsp_fft(at: number, n: number): void
  dsp_block_fft(at: number): void
  dsp_ln(x: number): number
  dsp_sign_slots(): number
  dsp_used_slots(): number
  dsp_folded(): number
  dsp_sync_layout(): void
  dsp_sync_slots(): number
  dsp_sync_starts(): number
  dsp_best(): number
  dsp_best_shift(count: number): void
  dsp_scores(): number
  dsp_sync_scores(normalized: number): void
  dsp_dense_power(
    signal: number,
    length: number,
    frames: number,
    hop: number,
    low: number,
    bins: number,
    cumulative: number,
  ): void
  dsp_mono(input: number, count: number, length: number, mono: number): void
  dsp_half_taps(): number
  dsp_halve(input: number, length: number, out: number): void
  dsp_scorer_size(): number
  dsp_scorer_fold(scorer: number, speed: number, step: number, limit: number, start: number): number
  dsp_mark(): number
  dsp_release(mark: number): void
  dsp_resample(
    input: number,
    length: number,
    from: number,
    to: number,
    bank: number,
    out: number,
    outLength: number,
  ): void
  dsp_clip_size(): number
  dsp_clip_fold(
    clip: number,
    offset: number,
    frames: number,
    hop: number,
    weighted: number,
    both: number,
  ): void
  dsp_plain_folded(): number
  dsp_rings_size(): number
  dsp_downsample(rings: number, made: number, received: number, until: number): number
  dsp_back_resample(rings: number, backed: number, final: number): number
}

/** Geometry the kernels are compiled for (core/watermark/layout.ts; checked in kernels.test.ts). */
export const KERNEL_FRAME = 512
export const KERNEL_BANDS = 39
export const KERNEL_BLOCK = 640
const SCORER_FIELDS = 10
const RINGS_FIELDS = 16

/** A polyphase bank as core/lib/dsp/resample.ts builds it. */
interface Bank {
  readonly phases: number
  readonly taps: number
  readonly first: number
  readonly coefficients: Float32Array
}

/**
 * The streaming embedder's rings in the kernels' memory (dsp.c's Rings) and its resampling to and
 * from RATE over them: per channel an input-rate ring, a RATE ring and its watermark at RATE, and
 * the channels' mean at RATE (channel 0's ring itself when there is one channel). Its instance is
 * the embedder's own and never allocates again, so the views stay valid.
 */
export class KernelRings {
  readonly input: Float32Array[]
  readonly x: Float32Array[]
  readonly mix: Float32Array
  readonly delta: Float32Array[]
  private readonly x_: Exports
  private readonly at: number

  constructor(
    x: Exports,
    at: number,
    count: number,
    inSize: number,
    size: number,
    views: number[],
  ) {
    this.x_ = x
    this.at = at
    const { buffer } = x.memory
    const [input, rings, mix, delta] = views as [number, number, number, number]
    const ring = (from: number, n: number) =>
      Array.from({ length: count }, (_, c) => new Float32Array(buffer, from + 4 * c * n, n))
    this.input = ring(input, inSize)
    this.x = ring(rings, size)
    this.mix = count === 1 ? this.x[0]! : new Float32Array(buffer, mix, size)
    this.delta = ring(delta, size)
  }

  /**
   * RATE samples from `made` while their taps lie below input frame `received`, up to `until`
   * (StreamingEmbedder.advance's loop, the same bits). Returns how many are made in all.
   */
  advance(made: number, received: number, until: number): number {
    return this.x_.dsp_downsample(this.at, made, received, until)
  }

  /**
   * The watermark resampled back and added to the input, from input frame `backed` while its taps
   * lie below RATE sample `final` (StreamingEmbedder.backResample, the same bits). Returns the next frame.
   */
  backResample(backed: number, final: number): number {
    return this.x_.dsp_back_resample(this.at, backed, final)
  }
}

/** A key's sync as the kernels take it: slot signs (±1) and use (1), and Layout's sync slots. */
export interface KernelSync {
  readonly sign: Float64Array
  readonly used: Float64Array
  readonly syncSlots: Uint32Array
  readonly syncStarts: Uint32Array
}

/** A clip's signal at RATE in the kernels' memory, with room for its frames' features (dsp.c's Clip). */
export interface KernelClip {
  readonly at: number
  readonly signal: number
  readonly length: number
}

/** One dense analysis held in the kernels' memory (see dsp.c's Scorer). */
export interface KernelScorer {
  readonly at: number
  readonly cumulative: number
}

/** The instantiated kernels and typed views of their memory. */
export class DspKernels {
  private readonly x: Exports
  private buffer: ArrayBuffer | null = null
  private f32View = new Float32Array(0)
  private f64View = new Float64Array(0)
  private u32View = new Uint32Array(0)
  private u8View = new Uint8Array(0)
  /** The sync layout whose spectra the kernels hold (an identity token). */
  private layout: object | null = null

  constructor(module: object) {
    this.x = new WebAssembly.Instance(module, {}).exports as unknown as Exports
    const { x } = this
    const f64 = this.f64()
    const tw = x.dsp_twiddles() / 8
    for (let h = 1; h < KERNEL_FRAME; h *= 2)
      for (let k = 0; k < h; k++) {
        f64[tw + 2 * (h - 1 + k)] = Math.cos((Math.PI * k) / h)
        f64[tw + 2 * (h - 1 + k) + 1] = -Math.sin((Math.PI * k) / h)
      }
    const block = x.dsp_block_twiddles() / 8
    const sub = KERNEL_BLOCK / 5
    for (let r = 0; r < 5; r++)
      for (let q = 0; q < sub; q++) {
        f64[block + 2 * (r * sub + q)] = Math.cos((2 * Math.PI * r * q) / KERNEL_BLOCK)
        f64[block + 2 * (r * sub + q) + 1] = -Math.sin((2 * Math.PI * r * q) / KERNEL_BLOCK)
      }
    const window = x.dsp_window() / 8
    for (let n = 0; n < KERNEL_FRAME; n++)
      f64[window + n] = Math.sin((Math.PI * (n + 0.5)) / KERNEL_FRAME)
    x.dsp_init(
      Math.cos((2 * Math.PI) / 5),
      Math.cos((4 * Math.PI) / 5),
      Math.sin((2 * Math.PI) / 5),
      Math.sin((4 * Math.PI) / 5),
    )
  }

  private refresh(): void {
    const { buffer } = this.x.memory
    if (buffer === this.buffer) return
    this.buffer = buffer
    this.f32View = new Float32Array(buffer)
    this.f64View = new Float64Array(buffer)
    this.u32View = new Uint32Array(buffer)
    this.u8View = new Uint8Array(buffer)
  }
  private f32(): Float32Array {
    this.refresh()
    return this.f32View
  }
  private f64(): Float64Array {
    this.refresh()
    return this.f64View
  }

  /** Frees every buffer allocated since the last reset (each detection starts with one). */
  reset(): void {
    this.x.dsp_reset()
  }

  /** The heap's top: `release` frees everything allocated after it. */
  mark(): number {
    return this.x.dsp_mark()
  }
  release(mark: number): void {
    this.x.dsp_release(mark)
  }

  private alloc(bytes: number): number {
    const at = this.x.dsp_alloc(bytes)
    if (!at) throw new RangeError(`DSP kernels: out of memory for ${bytes} bytes`)
    return at
  }

  /** In-place forward complex FFT of interleaved (re, im) pairs, `n` a power of two up to 512. */
  fft(data: Float64Array): void {
    const n = data.length / 2
    const at = this.alloc(data.byteLength)
    this.f64().set(data, at / 8)
    this.x.dsp_fft(at, n)
    data.set(this.f64().subarray(at / 8, at / 8 + data.length))
  }

  /** In-place forward 640-point complex DFT of interleaved (re, im) pairs. */
  blockFft(data: Float64Array): void {
    const at = this.alloc(data.byteLength)
    this.f64().set(data, at / 8)
    this.x.dsp_block_fft(at)
    data.set(this.f64().subarray(at / 8, at / 8 + data.length))
  }

  /**
   * The mean of `channels` at half their rate (core/watermark/detect.ts monoAtRate with
   * band.ts halveBand, whose odd taps are `taps`).
   */
  monoHalved(channels: readonly Float32Array[], taps: Float32Array): Float32Array {
    const { x } = this
    const length = channels[0]!.length
    const input = this.alloc(channels.length * length * 4)
    const mono = this.alloc(length * 4)
    const outs = Math.ceil(length / 2)
    const out = this.alloc(outs * 4)
    const f32 = this.f32()
    channels.forEach((c, i) => f32.set(c.subarray(0, length), input / 4 + i * length))
    this.f64().set(taps, x.dsp_half_taps() / 8)
    x.dsp_mono(input, channels.length, length, mono)
    x.dsp_halve(mono, length, out)
    return this.f32().slice(out / 4, out / 4 + outs)
  }

  /**
   * A clip in the kernels' memory with room for the features of `frames` frames: `signal` copied
   * in, or the signal of another clip shared.
   */
  clip(signal: Float32Array | KernelClip, frames: number): KernelClip {
    let at: number
    let length: number
    if (signal instanceof Float32Array) {
      at = this.alloc(signal.byteLength)
      length = signal.length
      this.f32().set(signal, at / 4)
    } else ({ signal: at, length } = signal)
    return this.clipAt(at, length, frames)
  }

  private clipAt(signal: number, length: number, frames: number): KernelClip {
    const raw = this.alloc(frames * KERNEL_BANDS * 4)
    const weights = this.alloc(frames * KERNEL_BANDS * 4)
    const at = this.alloc(Math.max(this.x.dsp_clip_size(), 16))
    this.refresh()
    this.u32View.set([signal, length, raw, weights], at / 4)
    return { at, signal, length }
  }

  /**
   * A clip of `length` samples resampled from `clip` at `from` Hz to `to` Hz with `bank` (as
   * core/lib/dsp/resample.ts resampleInto does, the same bits), with room for `frames` frames.
   */
  resampledClip(
    clip: KernelClip,
    from: number,
    to: number,
    bank: Bank,
    length: number,
    frames: number,
  ): KernelClip {
    const coefficients = this.alloc(bank.coefficients.byteLength)
    const at = this.alloc(16)
    const out = this.alloc(length * 4)
    this.f32().set(bank.coefficients, coefficients / 4)
    this.refresh()
    this.u32View.set([bank.taps, bank.phases, bank.first, coefficients], at / 4)
    this.x.dsp_resample(clip.signal, clip.length, from, to, at, out, length)
    return this.clipAt(out, length, frames)
  }

  /** The clip's signal as a copy (for the test against the JS resampler). */
  signalOf(clip: KernelClip): Float32Array {
    return this.f32().slice(clip.signal / 4, clip.signal / 4 + clip.length)
  }

  /**
   * detect.ts fold on the kernels: the features of `frames` frames of `clip`, frame j at
   * round(offset + j × hop), weighted by their reliability unless not `weighted`, folded onto
   * block rows into `folded` (its first BANDS × BLOCK values), and unweighted into `plain` when
   * given. The logarithm is the kernels' own (within 2 ulp of Math.log), so the folded values
   * agree with the JS to float precision.
   */
  clipFold(
    clip: KernelClip,
    offset: number,
    frames: number,
    hop: number,
    weighted: boolean,
    folded: Float32Array,
    plain: Float32Array | null = null,
  ): void {
    const { x } = this
    const slots = KERNEL_BANDS * KERNEL_BLOCK
    x.dsp_clip_fold(clip.at, offset, frames, hop, weighted ? 1 : 0, plain ? 1 : 0)
    const f32 = this.f32()
    const from = x.dsp_folded() / 4
    folded.set(f32.subarray(from, from + slots))
    const at = x.dsp_plain_folded() / 4
    if (plain) plain.set(f32.subarray(at, at + slots))
  }

  /** The kernels' natural logarithm (for the test against Math.log). */
  ln(x: number): number {
    return this.x.dsp_ln(x)
  }

  /**
   * Sync scores at every block shift of `folded` (its first BANDS × BLOCK values) for `sync`
   * (transformed only when it is not the last one seen), as SyncCorrelator.scores computes them;
   * into `out` when given.
   */
  syncScores(
    sync: KernelSync,
    folded: Float32Array,
    normalized: boolean,
    out: Float64Array | null = null,
  ): void {
    const { x } = this
    if (this.layout !== sync) {
      const f64 = this.f64()
      f64.set(sync.sign, x.dsp_sign_slots() / 8)
      f64.set(sync.used, x.dsp_used_slots() / 8)
      x.dsp_sync_layout()
      this.refresh()
      this.u32View.set(sync.syncSlots, x.dsp_sync_slots() / 4)
      this.u32View.set(sync.syncStarts, x.dsp_sync_starts() / 4)
      this.layout = sync
    }
    this.f32().set(folded.subarray(0, KERNEL_BANDS * KERNEL_BLOCK), x.dsp_folded() / 4)
    x.dsp_sync_scores(normalized ? 1 : 0)
    const at = x.dsp_scores() / 8
    if (out) out.set(this.f64().subarray(at, at + out.length))
  }

  /**
   * detect.ts bestShift on the kernels: the scores as syncScores computes them, then the exact
   * sync z-score at the `count` best shifts; the best of those (ties: the lowest shift).
   */
  bestShift(
    sync: KernelSync,
    folded: Float32Array,
    normalized: boolean,
    count: number,
  ): { shift: number; z: number } {
    if (count > 64) throw new RangeError('DSP kernels: at most 64 shifts are scored exactly')
    this.syncScores(sync, folded, normalized)
    this.x.dsp_best_shift(count)
    const at = this.x.dsp_best() / 8
    const f64 = this.f64()
    return { shift: f64[at]!, z: f64[at + 1]! }
  }

  /**
   * A dense analysis of `signal` (ScaleScorer): `frames` frames `hop` apart, the cumulative power
   * of bins low…low + bins, and room to read up to `limit` frames of features at a time.
   */
  scorer(
    signal: Float32Array,
    frames: number,
    hop: number,
    low: number,
    bins: number,
    limit: number,
  ): KernelScorer {
    const { x } = this
    const stride = bins + 1
    const input = this.alloc(signal.byteLength)
    const cumulative = this.alloc(frames * stride * 8)
    const raw = this.alloc(limit * KERNEL_BANDS * 4)
    const weights = this.alloc(limit * KERNEL_BANDS * 4)
    const plainRaw = this.alloc(frames * KERNEL_BANDS * 4)
    const plainWeights = this.alloc(frames * KERNEL_BANDS * 4)
    const plainDone = this.alloc(frames)
    const at = this.alloc(Math.max(x.dsp_scorer_size(), SCORER_FIELDS * 4))
    this.f32().set(signal, input / 4)
    this.refresh()
    this.u8View.fill(0, plainDone, plainDone + frames)
    this.u32View.set(
      [cumulative, frames, low, stride, limit, raw, weights, plainRaw, plainWeights, plainDone],
      at / 4,
    )
    x.dsp_dense_power(input, signal.length, frames, hop, low, bins, cumulative)
    return { at, cumulative }
  }

  /** The embedder's rings and banks (see KernelRings), `up` and `down` between `rate` and RATE. */
  rings(
    count: number,
    inSize: number,
    size: number,
    rate: number,
    down: Bank,
    up: Bank,
  ): KernelRings {
    const { x } = this
    const banks = [down, up].map((bank) => {
      const at = this.alloc(bank.coefficients.byteLength)
      this.f32().set(bank.coefficients, at / 4)
      return [bank.taps, bank.phases, bank.first, at]
    })
    const input = this.alloc(count * inSize * 4)
    const rings = this.alloc(count * size * 4)
    const mix = count === 1 ? rings : this.alloc(size * 4)
    const delta = this.alloc(count * size * 4)
    const at = this.alloc(Math.max(x.dsp_rings_size(), RINGS_FIELDS * 4))
    this.refresh()
    // `first` is negative: the view stores it as its two's complement, as the int field reads it.
    const views = [input, rings, mix, delta]
    this.u32View.set([count, inSize - 1, size - 1, rate, ...banks.flat(), ...views], at / 4)
    return new KernelRings(x, at, count, inSize, size, views)
  }

  /** The scorer's cumulative power as a copy (for the test against the JS analysis). */
  cumulativeOf(scorer: KernelScorer, values: number): Float64Array {
    return this.f64().slice(scorer.cumulative / 8, scorer.cumulative / 8 + values)
  }

  /**
   * The weighted features of up to `limit` frames read at `speed` (dense frame start + round(j ×
   * step) for frame j), folded onto the block rows `folded` (first BANDS × BLOCK values) and left
   * in the kernels for syncScores. Returns the frames read.
   */
  scorerFold(
    scorer: KernelScorer,
    speed: number,
    step: number,
    limit: number,
    start: number,
    folded: Float32Array,
  ): number {
    const { x } = this
    const frames = x.dsp_scorer_fold(scorer.at, speed, step, limit, start)
    const from = x.dsp_folded() / 4
    folded.set(this.f32().subarray(from, from + KERNEL_BANDS * KERNEL_BLOCK))
    return frames
  }
}

let handed: object | null = null
let kernels: DspKernels | null = null

/**
 * Hands core the compiled kernels (a WebAssembly.Module, or its bytes where the host may compile
 * them); they are instantiated on first use, and later calls change nothing.
 */
export function useDsp(module: object | Uint8Array): void {
  handed ??= module instanceof Uint8Array ? new WebAssembly.Module(module) : module
}

/** The kernels once a host has handed them over, else null (callers then run their JS reference). */
export function dsp(): DspKernels | null {
  if (!kernels && handed) kernels = new DspKernels(handed)
  return kernels
}

/**
 * A fresh instance of the handed module, with its own memory (core/dsp/render.ts: core/render's
 * kernels keep their state there, apart from the detector's heap), else null.
 */
export function dspInstance(): Record<string, unknown> | null {
  return handed ? new WebAssembly.Instance(handed, {}).exports : null
}

/**
 * A streaming embedder's KernelRings (`count` channels, input rings of `inSize` frames, RATE rings
 * of `size`) in an instance of its own once a host has handed the module over, else null (also
 * when the instance or its memory cannot be had).
 */
export function kernelRings(
  count: number,
  inSize: number,
  size: number,
  rate: number,
  down: Bank,
  up: Bank,
): KernelRings | null {
  if (!handed) return null
  try {
    return new DspKernels(handed).rings(count, inSize, size, rate, down, up)
  } catch {
    // no memory for an instance or its rings (RangeError): the JS loops mark the same bits
    return null
  }
}

/** Runs `f` with the kernels set aside (for tests and benches that measure the JS reference). */
export function withoutDsp<T>(f: () => T): T {
  const saved = [handed, kernels] as const
  handed = kernels = null
  try {
    return f()
  } finally {
    ;[handed, kernels] = saved
  }
}
