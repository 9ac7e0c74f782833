import { DomainError } from '../errors.ts'
import { CRC16, CRC8 } from './flac-crc.ts'

/**
 * A streaming FLAC decoder in plain TypeScript, for stem masters: it decodes a master of any length
 * block by block in bounded memory as range reads arrive, and being pure core it runs the same in
 * the worker and in Node tests. (`POST /api/verify`, which takes whole files of any FLAC flavour,
 * native or Ogg, uses the wasm decoder in worker/audio/decoders.ts instead.) It follows the
 * published format: frame headers with CRC-8, CONSTANT / VERBATIM / FIXED / LPC subframes, wasted
 * bits, Rice-coded residuals (both parameter widths, escapes), the three stereo decorrelations,
 * and a CRC-16 over every frame. Feed it the bytes after the metadata in chunks of any size; it
 * hands out whole blocks as planar 32-bit integers.
 */

/** Thrown inside the decoder when a frame runs past the bytes received so far. */
const NEED_MORE = Symbol('need more bytes')

function corrupt(message: string): never {
  throw new DomainError('invalid_audio', `The FLAC file is corrupt: ${message}`)
}

/** Big-endian bit reader over a byte window; reading past its end throws NEED_MORE. */
class Bits {
  bytes = new Uint8Array(0)
  end = 0
  pos = 0 // in bits

  bit(): number {
    const byte = this.pos >>> 3
    if (byte >= this.end) throw NEED_MORE
    const v = (this.bytes[byte]! >>> (7 - (this.pos & 7))) & 1
    this.pos++
    return v
  }

  /** Up to 32 bits, unsigned. */
  read(n: number): number {
    let v = 0
    while (n > 0) {
      const byte = this.pos >>> 3
      if (byte >= this.end) throw NEED_MORE
      const offset = this.pos & 7
      const take = Math.min(n, 8 - offset)
      const bits = (this.bytes[byte]! >>> (8 - offset - take)) & ((1 << take) - 1)
      v = v * (1 << take) + bits
      n -= take
      this.pos += take
    }
    return v
  }

  /** n bits as a two's complement signed number. */
  signed(n: number): number {
    if (n === 0) return 0
    const v = this.read(n)
    return v >= 2 ** (n - 1) ? v - 2 ** n : v
  }

  /** Counts zero bits up to and including the next one bit. */
  unary(): number {
    let count = 0
    for (;;) {
      const byte = this.pos >>> 3
      if (byte >= this.end) throw NEED_MORE
      const offset = this.pos & 7
      const rest = (this.bytes[byte]! << offset) & 0xff
      if (rest === 0) {
        count += 8 - offset
        this.pos += 8 - offset
        continue
      }
      const zeros = Math.clz32(rest) - 24
      count += zeros
      this.pos += zeros + 1
      return count
    }
  }

  align(): void {
    this.pos = (this.pos + 7) & ~7
  }
}

const BLOCK_SIZES = [
  0, 192, 576, 1152, 2304, 4608, -8, -16, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768,
]
const SAMPLE_SIZES = [0, 8, 12, -1, 16, 20, 24, 32]

/** What the decoder needs from the stream's STREAMINFO. */
export type FlacStreamShape = {
  sampleRate: number
  channels: number
  bitDepth: number
  lengthSamples: number
  maxBlockSize: number
}

/** One decoded block: planar integer samples (only the first `length` of each array are valid). */
export type FlacBlock = { channels: Int32Array[]; length: number }

export class FlacDecoder {
  private readonly bits = new Bits()
  private buffer = new Uint8Array(0)
  private start = 0 // first byte not yet decoded
  private filled = 0
  private readonly out: Int32Array[]
  private readonly residual: Int32Array
  private readonly coefs = new Float64Array(32)
  /** Samples (per channel) decoded so far. */
  decoded = 0

  private readonly info: FlacStreamShape

  constructor(info: FlacStreamShape) {
    this.info = info
    const max = Math.max(info.maxBlockSize, 4608)
    this.out = Array.from({ length: info.channels }, () => new Int32Array(max))
    this.residual = new Int32Array(max)
  }

  /** Appends bytes (the stream after the metadata blocks, in order). */
  push(chunk: Uint8Array): void {
    const pending = this.filled - this.start
    if (pending + chunk.length > this.buffer.length - this.start) {
      const next = new Uint8Array(Math.max(this.buffer.length, (pending + chunk.length) * 2))
      next.set(this.buffer.subarray(this.start, this.filled))
      this.buffer = next
      this.start = 0
      this.filled = pending
    }
    this.buffer.set(chunk, this.filled)
    this.filled += chunk.length
  }

  /**
   * Decodes every whole frame received, calling `onBlock` for each (its arrays are reused: copy
   * what you keep). With `final`, the bytes received are the whole stream: a frame cut short, or
   * fewer samples than STREAMINFO declares, is a truncated file. Stops once `limit` samples were
   * decoded in this call (the rest stays buffered). Answers how many samples it decoded.
   */
  drain(onBlock: (block: FlacBlock) => void, final = false, limit = Infinity): number {
    const bits = this.bits
    bits.bytes = this.buffer
    bits.end = this.filled
    let produced = 0
    for (;;) {
      if (this.decoded >= this.info.lengthSamples) {
        this.start = this.filled // trailing bytes (e.g. an ID3v1 tag) are ignored
        return produced
      }
      if (produced >= limit) return produced
      if (this.start >= this.filled) break
      bits.pos = this.start * 8
      let length: number
      try {
        length = this.frame()
      } catch (err) {
        if (err !== NEED_MORE) throw err
        break
      }
      this.start = bits.pos >>> 3
      const keep = Math.min(length, this.info.lengthSamples - this.decoded)
      this.decoded += keep
      produced += keep
      onBlock({ channels: this.out, length: keep })
    }
    if (final && this.decoded < this.info.lengthSamples)
      throw new DomainError(
        'invalid_audio',
        `The FLAC file is truncated: it declares ${this.info.lengthSamples} samples but holds ${this.decoded}. Upload the whole file again.`,
      )
    if (this.start > 0 && this.start === this.filled) this.start = this.filled = 0
    return produced
  }

  /** Whether every sample STREAMINFO declares has been decoded. */
  get done(): boolean {
    return this.decoded >= this.info.lengthSamples
  }

  /** Decodes one frame at the reader's position; answers its block size. */
  private frame(): number {
    const bits = this.bits
    const frameStart = bits.pos >>> 3
    if (bits.read(14) !== 0x3ffe) corrupt('a frame does not start with the sync code.')
    bits.read(2) // reserved, blocking strategy
    const sizeCode = bits.read(4)
    const rateCode = bits.read(4)
    const assignment = bits.read(4)
    const depthCode = bits.read(3)
    bits.read(1)
    // The frame or sample number, UTF-8 style.
    const first = bits.read(8)
    let extra = 0
    if (first >= 0xc0)
      extra =
        first >= 0xfe
          ? 6
          : first >= 0xfc
            ? 5
            : first >= 0xf8
              ? 4
              : first >= 0xf0
                ? 3
                : first >= 0xe0
                  ? 2
                  : 1
    for (let i = 0; i < extra; i++) bits.read(8)
    let blockSize = BLOCK_SIZES[sizeCode]!
    if (blockSize === 0) corrupt('a frame has a reserved block size.')
    if (blockSize === -8) blockSize = bits.read(8) + 1
    else if (blockSize === -16) blockSize = bits.read(16) + 1
    if (rateCode === 12) bits.read(8)
    else if (rateCode === 13 || rateCode === 14) bits.read(16)
    else if (rateCode === 15) corrupt('a frame has an invalid sample rate code.')
    const headerEnd = bits.pos >>> 3
    const crc8 = bits.read(8)
    let c = 0
    for (let i = frameStart; i < headerEnd; i++) c = CRC8[c ^ bits.bytes[i]!]!
    if (c !== crc8) corrupt('a frame header fails its checksum.')
    let depth = SAMPLE_SIZES[depthCode]!
    if (depth === 0) depth = this.info.bitDepth
    if (depth !== this.info.bitDepth) corrupt('a frame has a different bit depth than the stream.')
    const channels = assignment < 8 ? assignment + 1 : 2
    if (assignment > 10 || channels !== this.info.channels)
      corrupt('a frame has a different channel layout than the stream.')
    if (blockSize > this.out[0]!.length) corrupt('a frame is larger than the stream allows.')
    for (let ch = 0; ch < channels; ch++) {
      const side =
        (assignment === 8 && ch === 1) ||
        (assignment === 9 && ch === 0) ||
        (assignment === 10 && ch === 1)
      this.subframe(this.out[ch]!, blockSize, depth + (side ? 1 : 0))
    }
    bits.align()
    const frameEnd = bits.pos >>> 3
    const crc16 = bits.read(16)
    let c16 = 0
    for (let i = frameStart; i < frameEnd; i++)
      c16 = ((c16 << 8) & 0xffff) ^ CRC16[(c16 >>> 8) ^ bits.bytes[i]!]!
    if (c16 !== crc16) corrupt('a frame fails its checksum.')
    const a = this.out[0]!
    const b = this.out[1]!
    if (assignment === 8) for (let i = 0; i < blockSize; i++) b[i] = a[i]! - b[i]!
    else if (assignment === 9) for (let i = 0; i < blockSize; i++) a[i] = a[i]! + b[i]!
    else if (assignment === 10)
      for (let i = 0; i < blockSize; i++) {
        const side = b[i]!
        const mid = (a[i]! * 2) | (side & 1)
        a[i] = (mid + side) >> 1
        b[i] = (mid - side) >> 1
      }
    return blockSize
  }

  private subframe(out: Int32Array, blockSize: number, depth: number): void {
    const bits = this.bits
    if (bits.bit() !== 0) corrupt('a subframe has a bad padding bit.')
    const type = bits.read(6)
    let wasted = 0
    if (bits.bit() === 1) wasted = bits.unary() + 1
    const bps = depth - wasted
    if (type === 0) {
      const v = bits.signed(bps)
      out.fill(v, 0, blockSize)
    } else if (type === 1) {
      for (let i = 0; i < blockSize; i++) out[i] = bits.signed(bps)
    } else if (type >= 8 && type <= 12) {
      const order = type - 8
      if (order > blockSize) corrupt('a subframe predicts from more samples than its block holds.')
      for (let i = 0; i < order; i++) out[i] = bits.signed(bps)
      this.rice(blockSize, order)
      const r = this.residual
      if (order === 0) for (let i = 0; i < blockSize; i++) out[i] = r[i]!
      else if (order === 1) for (let i = 1; i < blockSize; i++) out[i] = r[i]! + out[i - 1]!
      else if (order === 2)
        for (let i = 2; i < blockSize; i++) out[i] = r[i]! + 2 * out[i - 1]! - out[i - 2]!
      else if (order === 3)
        for (let i = 3; i < blockSize; i++)
          out[i] = r[i]! + 3 * out[i - 1]! - 3 * out[i - 2]! + out[i - 3]!
      else
        for (let i = 4; i < blockSize; i++)
          out[i] = r[i]! + 4 * out[i - 1]! - 6 * out[i - 2]! + 4 * out[i - 3]! - out[i - 4]!
    } else if (type >= 32) {
      const order = type - 31
      if (order > blockSize) corrupt('a subframe predicts from more samples than its block holds.')
      for (let i = 0; i < order; i++) out[i] = bits.signed(bps)
      const precision = bits.read(4) + 1
      if (precision === 16) corrupt('a subframe has an invalid coefficient precision.')
      const shift = bits.signed(5)
      if (shift < 0) corrupt('a subframe has a negative prediction shift.')
      const coefs = this.coefs
      for (let j = 0; j < order; j++) coefs[j] = bits.signed(precision)
      this.rice(blockSize, order)
      const r = this.residual
      const div = 2 ** shift
      for (let i = order; i < blockSize; i++) {
        let sum = 0
        for (let j = 0; j < order; j++) sum += coefs[j]! * out[i - 1 - j]!
        out[i] = r[i]! + Math.floor(sum / div)
      }
    } else corrupt('a subframe has a reserved type.')
    if (wasted > 0) for (let i = 0; i < blockSize; i++) out[i] = out[i]! << wasted
  }

  /** Reads the residual of a predicted subframe into this.residual[order..blockSize). */
  private rice(blockSize: number, order: number): void {
    const bits = this.bits
    const method = bits.read(2)
    if (method > 1) corrupt('a residual uses a reserved coding method.')
    const paramBits = method === 0 ? 4 : 5
    const escape = method === 0 ? 15 : 31
    const partitionOrder = bits.read(4)
    const partitions = 1 << partitionOrder
    const perPartition = blockSize >> partitionOrder
    if (perPartition << partitionOrder !== blockSize || perPartition < order)
      corrupt('a residual has an impossible partition order.')
    const r = this.residual
    let i = order
    for (let p = 0; p < partitions; p++) {
      const end = (p + 1) * perPartition
      const param = bits.read(paramBits)
      if (param === escape) {
        const n = bits.read(5)
        for (; i < end; i++) r[i] = bits.signed(n)
      } else {
        for (; i < end; i++) {
          const q = bits.unary()
          const u = q * (1 << param) + (param ? bits.read(param) : 0)
          r[i] = u % 2 ? -(u + 1) / 2 : u / 2
        }
      }
    }
  }
}
