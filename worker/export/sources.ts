// The sources of an export: each stem the recipe plays, decoded block by block from R2 range
// reads (its lossless master where the campaign has one, else its MP3 rendition), behind the
// renderer's `StemSource` interface. Memory per stem is one window of decoded audio.
import { readMasterInfo, type ByteSource } from '../../core/audio/container.ts'
import { decodeWavFrames } from '../../core/lib/audio/wav-layout.ts'
import { MasterStream } from '../../core/audio/master-stream.ts'
import { DomainError } from '../../core/errors.ts'
import type { Hertz } from '../../core/units.ts'
import { loadMpegDecoder } from '../audio/decoders.ts'
import type { StemRow } from '../db/stems.ts'
import type { StemSource } from '../../core/render/index.ts'

/**
 * Frames of decoded audio each stem keeps: loops that jump back less than this read no R2. Room
 * for the longest read a region makes (a block at rate 4, ~16.5k frames) beside a decode.
 */
export const WINDOW_FRAMES = 1 << 15

/** Frames decoded at a time. */
const DECODE_FRAMES = 1 << 13

/** Bytes of the MP3 rendition read from R2 at a time. */
const MP3_READ_BYTES = 1 << 15

/** Bytes of it decoded at a time (about 0.2 s at 160 kbit/s). */
const MP3_DECODE_BYTES = 1 << 12

/** How much shorter than its stated length an MP3 rendition may decode: two MPEG frames. */
const MP3_SLACK_FRAMES = 2 * 1152

/** A stem's audio front to back; `next` answers frames written, 0 at the end. */
interface Decoder {
  next(out: Float32Array[]): Promise<number>
  close(): void
}

/** A decoder opened to reach frame `from`: it starts at `start` (`from` if it can seek, else 0). */
type Opened = { decoder: Decoder; start: number }

type Shape = {
  channels: number
  frames: number
  /** Frames the decoded audio may fall short of `frames` without being truncated. */
  slack: number
  /** Whether `open(from)` starts at `from` (PCM) rather than at the top (FLAC, MP3). */
  seekable: boolean
  open: (from: number) => Promise<Opened>
}

/** Why a stem cannot be read, in words a fan understands. */
export class SourceError extends DomainError {
  constructor(stem: string, detail: string) {
    super(
      'invalid_audio',
      `The stem “${stem}” could not be read on our side (${detail}), so this remix cannot be ` +
        'rendered now. Nothing was counted against your daily exports; please try again later.',
    )
  }
}

/** Range reads of an R2 object of known size; a missing object is the stem's problem. */
function r2Bytes(bucket: R2Bucket, key: string, size: number, missing: () => never): ByteSource {
  return async (offset, length) => {
    const end = Math.min(size, offset + length)
    if (end <= offset) return new Uint8Array(0)
    const object = await bucket.get(key, { range: { offset, length: end - offset } })
    if (!object) missing()
    return new Uint8Array(await object.arrayBuffer())
  }
}

async function openMaster(bucket: R2Bucket, key: string, row: StemRow, rate: Hertz) {
  const missing = (): never => {
    throw new SourceError(row.name, 'its master is missing')
  }
  const head = await bucket.head(key)
  if (!head) missing()
  const read = r2Bytes(bucket, key, head!.size, missing)
  const info = await readMasterInfo(read, head!.size)
  if (info.sampleRate !== rate)
    throw new SourceError(row.name, `its master is at ${info.sampleRate} Hz, not ${rate} Hz`)
  const open = async (from: number): Promise<Opened> => {
    if (info.format === 'wav') {
      // PCM in a WAV is addressable: start right at the frame asked for.
      let at = Math.min(from, info.lengthSamples)
      const next = async (out: Float32Array[]) => {
        const n = Math.min(out[0]!.length, info.lengthSamples - at)
        if (n <= 0) return 0
        const offset = info.dataOffset + at * info.blockAlign
        const bytes = await read(offset, n * info.blockAlign)
        if (bytes.length !== n * info.blockAlign)
          throw new SourceError(row.name, 'its master is truncated')
        decodeWavFrames(bytes, info, n, out)
        at += n
        return n
      }
      return { decoder: { next, close: () => {} }, start: at }
    }
    const stream = new MasterStream(read, head!.size, info, DECODE_FRAMES)
    return { decoder: { next: (out) => stream.next(out), close: () => {} }, start: 0 }
  }
  return {
    channels: info.channels,
    frames: info.lengthSamples,
    slack: 0,
    seekable: info.format === 'wav',
    open,
  }
}

/** The MP3 rendition, decoded by libmpg123 as its bytes arrive. */
async function openRendition(bucket: R2Bucket, row: StemRow, rate: Hertz) {
  const missing = (): never => {
    throw new SourceError(row.name, 'its audio file is missing')
  }
  const head = await bucket.head(row.r2_key)
  if (!head) missing()
  if (row.sample_rate !== rate)
    throw new SourceError(row.name, `its audio is at ${row.sample_rate} Hz, not ${rate} Hz`)
  const size = head!.size
  const read = r2Bytes(bucket, row.r2_key, size, missing)
  const channels = Math.min(2, row.channels)
  const open = async (): Promise<Opened> => {
    const decoder = await loadMpegDecoder()
    // The frames of the last decode not yet handed out (a block takes what it needs of each
    // decode straight into its window; only the rest waits here, in buffers grown as needed).
    let pending = [new Float32Array(1 << 13), new Float32Array(1 << 13)]
    let start = 0
    let end = 0
    let pos = 0
    let bytes: Uint8Array = new Uint8Array(0)
    let used = 0
    let flushed = false
    /** Decodes the next slice of bytes; answers its channels and frames (null at the end). */
    const decodeMore = async (): Promise<[Float32Array[], number] | null> => {
      if (used === bytes.length) {
        bytes = await read(pos, MP3_READ_BYTES)
        pos += bytes.length
        used = 0
        if (!bytes.length) {
          flushed = true
          return null
        }
      }
      const decoded = decoder.decode(bytes.subarray(used, used + MP3_DECODE_BYTES))
      used = Math.min(bytes.length, used + MP3_DECODE_BYTES)
      if (decoded.errors.length && decoded.samplesDecoded === 0)
        throw new SourceError(row.name, 'its audio file is damaged')
      const data = decoded.channelData
      return [[data[0]!, data[Math.min(1, data.length - 1)]!], decoded.samplesDecoded]
    }
    const next = {
      async next(out: Float32Array[]) {
        const want = out[0]!.length
        let n = Math.min(want, end - start)
        for (let ch = 0; ch < out.length; ch++)
          out[ch]!.set(pending[ch]!.subarray(start, start + n))
        start += n
        while (n < want && !flushed) {
          const more = await decodeMore()
          if (!more) break
          const [data, count] = more
          const take = Math.min(want - n, count)
          for (let ch = 0; ch < out.length; ch++) out[ch]!.set(data[ch]!.subarray(0, take), n)
          n += take
          if (take < count) {
            // the rest of this decode waits for the next block
            if (count - take > pending[0]!.length)
              pending = pending.map(() => new Float32Array(count - take))
            for (let ch = 0; ch < 2; ch++) pending[ch]!.set(data[ch]!.subarray(take, count))
            start = 0
            end = count - take
          }
        }
        return n
      },
      close: () => decoder.free(),
    }
    return { decoder: next, start: 0 }
  }
  // An MP3 decoder may end a frame short of the stem's stated length (encoder padding).
  return { channels, frames: row.length_samples, slack: MP3_SLACK_FRAMES, seekable: false, open }
}

/**
 * A stem as the renderer reads it: a window of the last WINDOW_FRAMES decoded frames, filled
 * forward from the decoder; a read before the window starts the decoder again from the top.
 */
export class WindowedSource implements StemSource {
  readonly channels: number
  readonly frames: number
  private readonly window: Float32Array[]
  private first = 0 // stem frame at window[0]
  private filled = 0 // frames in the window
  private decoder: Decoder | null = null
  private ended = false
  private readonly open: (from: number) => Promise<Opened>
  private readonly name: string
  private readonly slack: number
  private readonly seekable: boolean

  constructor(name: string, shape: Shape) {
    this.name = name
    this.slack = shape.slack
    this.seekable = shape.seekable
    this.channels = shape.channels
    this.frames = shape.frames
    this.open = shape.open
    this.window = Array.from({ length: this.channels }, () => new Float32Array(WINDOW_FRAMES))
  }

  private async restart(from: number): Promise<void> {
    this.decoder?.close()
    const { decoder, start } = await this.open(from)
    this.decoder = decoder
    this.first = start
    this.filled = 0
    this.ended = false
  }

  /** Decodes forward until frame `end` is in the window (or the stem ends). */
  private async reach(start: number, end: number): Promise<void> {
    while (this.first + this.filled < end && !this.ended) {
      const room = WINDOW_FRAMES - this.filled
      if (room < DECODE_FRAMES) {
        // Drop the oldest frames, keeping what this read still needs.
        const drop = Math.min(this.filled, Math.max(DECODE_FRAMES - room, start - this.first))
        if (drop <= 0) throw new Error('a read wider than the source window')
        for (const w of this.window) w.copyWithin(0, drop, this.filled)
        this.first += drop
        this.filled -= drop
      }
      let n: number
      try {
        // decoded straight into the window's free room (at least DECODE_FRAMES, made above)
        const at = this.filled
        n = await this.decoder!.next(this.window.map((w) => w.subarray(at, at + DECODE_FRAMES)))
      } catch (err) {
        if (err instanceof SourceError || !(err instanceof DomainError)) throw err
        throw new SourceError(this.name, 'its audio file is damaged or truncated')
      }
      if (n === 0) {
        this.ended = true
        if (this.first + this.filled < this.frames - this.slack)
          throw new SourceError(
            this.name,
            `its audio ends after ${((this.first + this.filled) / 1000).toFixed(0)}k of ${(this.frames / 1000).toFixed(0)}k samples: the file is truncated`,
          )
        break
      }
      this.filled += n
    }
  }

  async read(start: number, out: Float32Array[]): Promise<void> {
    const n = out[0]!.length
    if (n > WINDOW_FRAMES - DECODE_FRAMES) throw new RangeError('read longer than the window')
    for (const o of out) o.fill(0)
    const a = Math.max(0, start)
    const b = Math.min(this.frames, start + n)
    if (b <= a) return
    // Behind the window, or far ahead of it where the decoder can seek: start again there.
    const far = this.seekable && a > this.first + this.filled + WINDOW_FRAMES
    if (!this.decoder || a < this.first || far) await this.restart(a)
    await this.reach(a, b)
    const from = a - this.first
    const count = Math.min(b, this.first + this.filled) - a
    for (let ch = 0; ch < out.length; ch++)
      out[ch]!.set(this.window[ch]!.subarray(from, from + count), a - start)
  }

  close(): void {
    this.decoder?.close()
    this.decoder = null
  }
}

/** Opens each stem the recipe plays, master first; a missing or unreadable one rejects the export. */
export async function openSources(
  bucket: R2Bucket,
  rows: readonly StemRow[],
  used: ReadonlySet<string>,
  sampleRate: Hertz,
): Promise<Map<string, WindowedSource>> {
  const sources = new Map<string, WindowedSource>()
  for (const row of rows) {
    if (!used.has(row.id)) continue
    try {
      const shape = row.master_key
        ? await openMaster(bucket, row.master_key, row, sampleRate)
        : await openRendition(bucket, row, sampleRate)
      sources.set(row.id, new WindowedSource(row.name, shape))
    } catch (err) {
      // the sources opened so far are closed, so none of their reads is left running
      for (const source of sources.values()) source.close()
      if (err instanceof SourceError) throw err
      if (err instanceof DomainError)
        throw new SourceError(row.name, 'its audio file is damaged or truncated')
      throw err
    }
  }
  return sources
}
