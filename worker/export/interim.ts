// INTERIM, replaced when the branches that own these land (see /work/notes/interfaces.md):
// `RecipeRenderer` (core/render, branch `render`), `createMp3Encoder` (worker/audio/mp3-encoder.ts,
// branch `ingest`) and `StreamingEmbedder` (core/watermark/stream.ts, branch `watermark`), each
// with the agreed signature over today's code so the pipeline is written once. Not the finished
// thing: the renderer here plays regions, gains, pan and mute/solo only (no effects, rate or
// pitch), and the embedder marks 30-second segments with the whole-file embedder.
import { Mp3Encoder as LameJs } from '@breezystack/lamejs'
import type { Recipe } from '../../core/recipe/schema.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'

const dbToGain = (db: number) => 10 ** (db / 20)

export interface StemSource {
  readonly channels: number
  readonly frames: number
  read(start: number, out: Float32Array[]): Promise<void> | void
}
export type RenderOptions = { sampleRate: number; blockFrames?: number }

export class RecipeRenderer {
  readonly frames: number
  rendered = 0
  private readonly block: number
  private readonly scratch: Float32Array[]
  private readonly recipe: Recipe
  private readonly sources: ReadonlyMap<string, StemSource>
  private readonly rate: number

  constructor(recipe: Recipe, sources: ReadonlyMap<string, StemSource>, options: RenderOptions) {
    this.recipe = recipe
    this.sources = sources
    this.rate = options.sampleRate
    this.block = options.blockFrames ?? 4096
    this.frames = Math.round(recipe.length * options.sampleRate)
    this.scratch = [new Float32Array(this.block), new Float32Array(this.block)]
  }

  async next(out: [Float32Array, Float32Array]): Promise<number> {
    const n = Math.min(this.block, this.frames - this.rendered)
    out[0].fill(0, 0, n)
    out[1].fill(0, 0, n)
    if (n <= 0) return 0
    const from = this.rendered
    const soloed = this.recipe.tracks.some((t) => t.soloed)
    const master = dbToGain(this.recipe.master.gainDb)
    for (const track of this.recipe.tracks) {
      if (track.muted || (soloed && !track.soloed)) continue
      const source = this.sources.get(track.stem)
      if (!source) continue
      const angle = ((track.pan + 1) * Math.PI) / 4
      const gl = Math.cos(angle) * Math.SQRT2 * dbToGain(track.gainDb) * master
      const gr = Math.sin(angle) * Math.SQRT2 * dbToGain(track.gainDb) * master
      for (const region of track.regions) {
        const len = Math.round(region.duration * this.rate)
        for (let loop = 0; loop < region.loops; loop++) {
          const start = Math.round(region.start * this.rate) + loop * len
          const a = Math.max(from, start)
          const b = Math.min(from + n, start + len)
          if (b <= a) continue
          const bufs = this.scratch.slice(0, source.channels).map((s) => s.subarray(0, b - a))
          await source.read(Math.round(region.offset * this.rate) + (a - start), bufs)
          const gain = dbToGain(region.gainDb)
          const fi = region.fadeIn * this.rate
          const fo = region.fadeOut * this.rate
          for (let i = a; i < b; i++) {
            const t = i - start
            let g = gain
            if (t < fi) g *= t / fi
            if (len - t < fo) g *= (len - t) / fo
            const l = bufs[0]![i - a]!
            const r = source.channels > 1 ? bufs[1]![i - a]! : l
            out[0][i - from]! += l * g * gl
            out[1][i - from]! += r * g * gr
          }
        }
      }
    }
    this.rendered += n
    return n
  }
}

export type Mp3EncoderOptions = { sampleRate: number; channels: 1 | 2; kbps: number }
export interface Mp3Encoder {
  encode(channels: Float32Array[]): Uint8Array
  finish(): Uint8Array
}

export function createMp3Encoder(options: Mp3EncoderOptions): Promise<Mp3Encoder> {
  const lame = new LameJs(options.channels, options.sampleRate, options.kbps)
  let left = new Int16Array(0)
  let right = new Int16Array(0)
  const int16 = (pcm: Float32Array, out: Int16Array) => {
    for (let i = 0; i < pcm.length; i++) {
      const v = Math.round(pcm[i]! * 32768)
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v
    }
    return out.subarray(0, pcm.length)
  }
  const bytes = (b: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number }) =>
    new Uint8Array(b.buffer, b.byteOffset, b.length)
  return Promise.resolve({
    encode(channels) {
      const n = channels[0]!.length
      if (left.length < n) ((left = new Int16Array(n)), (right = new Int16Array(n)))
      const l = int16(channels[0]!, left)
      const r = channels[1] ? int16(channels[1], right) : undefined
      return bytes(lame.encodeBuffer(l, r))
    },
    finish: () => bytes(lame.flush()),
  })
}

export type EmbedOptions = { sampleRate: number; channels: number; key: string; payload: bigint }

/** Segments of four watermark blocks (7.4 s each at the watermark's rate): about 30 s. */
const SEGMENT_SECONDS = (4 * 640 * 256) / 22050

export class StreamingEmbedder {
  readonly latency: number
  private readonly input: Float32Array[]
  private output: Float32Array[]
  private at = 0
  private readonly options: EmbedOptions

  constructor(options: EmbedOptions) {
    this.options = options
    this.latency = Math.round(SEGMENT_SECONDS * options.sampleRate)
    this.input = Array.from({ length: options.channels }, () => new Float32Array(this.latency))
    this.output = Array.from({ length: options.channels }, () => new Float32Array(this.latency))
  }

  process(input: Float32Array[], output: Float32Array[]): void {
    const n = input[0]!.length
    let done = 0
    while (done < n) {
      const k = Math.min(n - done, this.latency - this.at)
      for (let ch = 0; ch < input.length; ch++) {
        output[ch]!.set(this.output[ch]!.subarray(this.at, this.at + k), done)
        this.input[ch]!.set(input[ch]!.subarray(done, done + k), this.at)
      }
      this.at += k
      done += k
      if (this.at === this.latency) {
        const id = this.options.payload.toString(16).padStart(16, '0')
        this.output = embedWatermark(this.input, this.options.sampleRate, id, this.options.key)
        this.at = 0
      }
    }
  }
}

/** R2 multipart parts: all equal, at least 5 MiB, but the last. */
const PART_BYTES = 5 * 1024 * 1024

/** Writes bytes to an R2 object as a multipart upload of equal parts, as they come. */
export class MultipartWriter {
  private readonly buffer = new Uint8Array(PART_BYTES)
  private filled = 0
  private readonly parts: R2UploadedPart[] = []
  private size = 0
  private readonly upload: R2MultipartUpload

  private constructor(upload: R2MultipartUpload) {
    this.upload = upload
  }

  static async open(
    bucket: R2Bucket,
    key: string,
    meta: R2MultipartOptions,
  ): Promise<MultipartWriter> {
    return new MultipartWriter(await bucket.createMultipartUpload(key, meta))
  }

  async write(bytes: Uint8Array): Promise<void> {
    let at = 0
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.buffer.length - this.filled)
      this.buffer.set(bytes.subarray(at, at + n), this.filled)
      this.filled += n
      at += n
      if (this.filled === this.buffer.length) await this.flushPart()
    }
    this.size += bytes.length
  }

  private async flushPart(): Promise<void> {
    const part = this.buffer.subarray(0, this.filled)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part))
    this.filled = 0
  }

  async close(): Promise<{ size: number }> {
    if (this.filled > 0 || this.parts.length === 0) await this.flushPart()
    await this.upload.complete(this.parts)
    return { size: this.size }
  }

  async abort(): Promise<void> {
    try {
      await this.upload.abort()
    } catch {
      // Already completed or aborted.
    }
  }
}
