import { DomainError } from '../errors.ts'
import { type ByteSource, type MasterInfo } from './container.ts'
import { decodeWavFrames } from '../lib/audio/wav-layout.ts'
import { FlacDecoder, type FlacBlock } from './flac.ts'

/** Bytes asked of the source at a time for FLAC (WAV reads follow the frames asked for). */
const FLAC_READ_BYTES = 1 << 20

/**
 * Reads a master (WAV or FLAC) front to back as planar floats in -1..1, a bounded number of
 * frames at a time, so that a 700 MB file never sits in memory. Every byte of the file goes
 * through `onBytes` once, in order (for a hash of the whole file).
 */
export class MasterStream {
  /** Frames handed out so far. */
  position = 0
  private pos = 0 // next file byte to read
  private readonly pending: Float32Array[]
  private pendingStart = 0
  private pendingEnd = 0
  private readonly flac: FlacDecoder | null
  private readonly scale: number

  private readonly read: ByteSource
  private readonly size: number
  readonly info: MasterInfo
  private readonly maxFrames: number
  private readonly onBytes: (bytes: Uint8Array) => Promise<void> | void

  constructor(
    read: ByteSource,
    size: number,
    info: MasterInfo,
    maxFrames: number,
    onBytes: (bytes: Uint8Array) => Promise<void> | void = () => {},
  ) {
    this.read = read
    this.size = size
    this.info = info
    this.maxFrames = maxFrames
    this.onBytes = onBytes
    const block = info.flac ? Math.max(info.flac.maxBlockSize, 4608) : 0
    this.pending = Array.from({ length: info.channels }, () => new Float32Array(maxFrames + block))
    this.flac = info.flac
      ? new FlacDecoder({ ...info, maxBlockSize: info.flac.maxBlockSize })
      : null
    this.scale = 1 / 2 ** (info.bitDepth - 1)
  }

  /** Whether every frame was handed out (and every byte passed to `onBytes`). */
  get done(): boolean {
    return this.position >= this.info.lengthSamples && this.pos >= this.size
  }

  private async take(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.read(offset, length)
    if (bytes.length !== length)
      throw new DomainError(
        'invalid_audio',
        `The master is truncated: ${length} bytes were expected at byte ${offset} but ${bytes.length} came.`,
      )
    await this.onBytes(bytes)
    this.pos = offset + length
    return bytes
  }

  /** Reads whatever follows the audio (trailing chunks), for the hash. */
  private async tail(): Promise<void> {
    while (this.pos < this.size)
      await this.take(this.pos, Math.min(FLAC_READ_BYTES, this.size - this.pos))
  }

  private compact(): void {
    if (this.pendingStart === 0) return
    const n = this.pendingEnd - this.pendingStart
    for (const p of this.pending) p.copyWithin(0, this.pendingStart, this.pendingEnd)
    this.pendingStart = 0
    this.pendingEnd = n
  }

  private async fillWav(room: number): Promise<void> {
    const info = this.info
    if (this.pos < info.dataOffset) await this.take(0, info.dataOffset)
    const dataEnd = info.dataOffset + info.dataBytes
    const frames = Math.min(room, (dataEnd - this.pos) / info.blockAlign)
    if (frames > 0) {
      const bytes = await this.take(this.pos, frames * info.blockAlign)
      decodeWavFrames(bytes, info, frames, this.pending, this.pendingEnd)
      this.pendingEnd += frames
    }
    if (this.pos >= dataEnd) await this.tail()
  }

  private async fillFlac(room: number): Promise<void> {
    const flac = this.flac!
    if (this.pos < this.info.dataOffset) await this.take(0, this.info.dataOffset)
    const onBlock = (block: FlacBlock) => {
      const at = this.pendingEnd
      for (let ch = 0; ch < block.channels.length; ch++) {
        const src = block.channels[ch]!
        const dst = this.pending[ch]!
        for (let i = 0; i < block.length; i++) dst[at + i] = src[i]! * this.scale
      }
      this.pendingEnd += block.length
    }
    for (;;) {
      const final = this.pos >= this.size
      if (flac.drain(onBlock, final, room) > 0 || flac.done) break
      if (final) break
      const bytes = await this.take(this.pos, Math.min(FLAC_READ_BYTES, this.size - this.pos))
      flac.push(bytes)
    }
    if (flac.done) await this.tail()
  }

  /**
   * Copies up to `out[0].length` (at most `maxFrames`) next frames into `out` (one array per
   * channel); answers how many, 0 at the end.
   */
  async next(out: readonly Float32Array[]): Promise<number> {
    const want = Math.min(out[0]!.length, this.maxFrames)
    while (this.pendingEnd - this.pendingStart < want && !this.atEnd()) {
      this.compact()
      const room = this.maxFrames - this.pendingEnd
      if (this.flac) await this.fillFlac(room)
      else await this.fillWav(room)
    }
    const n = Math.min(want, this.pendingEnd - this.pendingStart)
    for (let ch = 0; ch < out.length; ch++)
      out[ch]!.set(this.pending[ch]!.subarray(this.pendingStart, this.pendingStart + n))
    this.pendingStart += n
    this.position += n
    return n
  }

  private atEnd(): boolean {
    const decoded = this.flac
      ? this.flac.done
      : this.pos >= this.info.dataOffset + this.info.dataBytes
    return decoded && this.pos >= this.size
  }
}
