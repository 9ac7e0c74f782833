/**
 * A streaming FLAC encoder in plain TypeScript, for exports: planar float blocks of any size go in,
 * whole FLAC frames come out, so no file is ever whole in memory. It follows the published format
 * (xiph.org FLAC format / RFC 9639): a STREAMINFO declaring the length up front (MD5 and frame
 * sizes left "unknown", which the format allows for streaming encoders), VORBIS_COMMENT tags and a
 * front-cover PICTURE; frames of fixed block size with CRC-8 headers and CRC-16 footers; per
 * subframe CONSTANT, VERBATIM or a FIXED predictor of order 0–4 (the order with the smallest
 * absolute residual), Rice-coded residuals in the partition order that costs fewest bits; and per
 * stereo frame the cheapest of independent, left/side, right/side and mid/side.
 *
 * Samples are quantised exactly as core/audio/wav.ts writes PCM (round, clamp), so a FLAC and a
 * WAV of the same bit depth from the same floats decode to the same integers.
 */
import { CRC16, CRC8 } from './flac-crc.ts'

/** Frames per FLAC block (the last block of a stream may be shorter). */
export const FLAC_BLOCK_SIZE = 4096

/** Highest Rice partition order tried. */
const MAX_PARTITION_ORDER = 6

/** Sample-rate codes a frame header can carry; others defer to STREAMINFO (code 0). */
const RATE_CODES: Record<number, number> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
}

export type FlacBitDepth = 16 | 24

export type FlacEncoderOptions = {
  sampleRate: number
  channels: number
  bitDepth: FlacBitDepth
  /** Frames the stream will hold (declared in STREAMINFO before any sample is written). */
  totalFrames: number
}

/** A front-cover image for the PICTURE block. */
export type FlacPicture = { mime: string; width: number; height: number; data: Uint8Array }

/** What the metadata blocks carry besides STREAMINFO. */
export type FlacMetadata = {
  /** VORBIS_COMMENT fields in order, e.g. ['TITLE', '…']. */
  comments: readonly (readonly [string, string])[]
  picture?: FlacPicture | null
  vendor?: string
}

/** Big-endian bit writer into a growable byte buffer. */
class BitWriter {
  buf: Uint8Array
  pos = 0 // bytes written
  private acc = 0
  private n = 0 // bits pending in acc (< 8 between calls)

  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }

  reset(): void {
    this.pos = 0
    this.acc = 0
    this.n = 0
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes))
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
  }

  /** Writes the low `bits` bits of `value` (bits ≤ 32). */
  write(value: number, bits: number): void {
    if (bits > 24) {
      this.write(Math.floor(value / 65536) & 0xffff, bits - 16) // high part (value may be unsigned)
      this.write(value & 0xffff, 16)
      return
    }
    this.acc = (this.acc << bits) | (value & ((1 << bits) - 1))
    this.n += bits
    while (this.n >= 8) {
      this.n -= 8
      this.buf[this.pos++] = (this.acc >>> this.n) & 0xff
    }
    this.acc &= (1 << this.n) - 1
  }

  /** `count` zero bits then a one. */
  unary(count: number): void {
    while (count > 24) {
      this.write(0, 24)
      count -= 24
    }
    this.write(1, count + 1)
  }

  /** Pads with zero bits to a byte boundary. */
  align(): void {
    if (this.n > 0) this.write(0, 8 - this.n)
  }
}

/** A subframe's plan: what it costs and how to write it. */
type Plan = { kind: 'constant' | 'verbatim' | 'fixed'; order: number; bits: number }

/** Quantises a float exactly as wav.ts's PCM writer does. */
const quantise = (v: number, scale: number) =>
  Math.max(-scale, Math.min(scale - 1, Math.round(v * scale)))

export class FlacEncoder {
  private readonly options: FlacEncoderOptions
  private readonly blockSize: number
  private readonly scale: number
  /** Pending integer samples per channel, then the mid and side of a stereo block. */
  private readonly pcm: Int32Array[]
  private readonly mid: Int32Array
  private readonly side: Int32Array
  private readonly residual: Int32Array
  private readonly sums = new Float64Array(1 << MAX_PARTITION_ORDER)
  private pending = 0
  private frameNumber = 0
  private written = 0
  private readonly out: BitWriter

  constructor(options: FlacEncoderOptions) {
    if (options.channels < 1 || options.channels > 8) throw new RangeError('FLAC has 1–8 channels')
    this.options = options
    this.blockSize = Math.max(16, Math.min(FLAC_BLOCK_SIZE, options.totalFrames || 16))
    this.scale = options.bitDepth === 16 ? 32768 : 8388608
    this.pcm = Array.from({ length: options.channels }, () => new Int32Array(this.blockSize))
    this.mid = new Int32Array(this.blockSize)
    this.side = new Int32Array(this.blockSize)
    this.residual = new Int32Array(this.blockSize)
    const verbatim = Math.ceil((this.blockSize * (options.bitDepth + 1)) / 8) + 1
    this.out = new BitWriter(2 * (32 + options.channels * verbatim))
  }

  /** "fLaC" and the metadata blocks: STREAMINFO, VORBIS_COMMENT, PICTURE (if any). */
  header(meta: FlacMetadata): Uint8Array {
    const { sampleRate, channels, bitDepth, totalFrames } = this.options
    const info = new BitWriter(34)
    info.write(this.blockSize, 16) // min block size
    info.write(this.blockSize, 16) // max block size
    info.write(0, 24) // min frame size: unknown
    info.write(0, 24) // max frame size: unknown
    info.write(sampleRate, 20)
    info.write(channels - 1, 3)
    info.write(bitDepth - 1, 5)
    info.write(Math.floor(totalFrames / 2 ** 32), 4)
    info.write(totalFrames >>> 0, 32)
    for (let i = 0; i < 16; i++) info.write(0, 8) // MD5: unknown
    const blocks: [number, Uint8Array][] = [
      [0, info.buf],
      [4, vorbisComment(meta)],
    ]
    if (meta.picture) blocks.push([6, pictureBlock(meta.picture)])
    const size = 4 + blocks.reduce((n, [, b]) => n + 4 + b.length, 0)
    const out = new Uint8Array(size)
    out.set([0x66, 0x4c, 0x61, 0x43])
    let at = 4
    blocks.forEach(([type, body], i) => {
      if (body.length >= 1 << 24) throw new RangeError('a FLAC metadata block is over 16 MiB')
      out[at] = (i === blocks.length - 1 ? 0x80 : 0) | type
      out[at + 1] = body.length >>> 16
      out[at + 2] = (body.length >>> 8) & 0xff
      out[at + 3] = body.length & 0xff
      out.set(body, at + 4)
      at += 4 + body.length
    })
    return out
  }

  /**
   * Takes `frames` frames of planar floats (from each channel's start) and answers the bytes of the
   * FLAC frames completed; the answer is a view into a reused buffer, valid until the next call.
   */
  encode(block: readonly Float32Array[], frames = block[0]?.length ?? 0): Uint8Array {
    if (this.written + frames > this.options.totalFrames)
      throw new RangeError('more frames than the FLAC stream declares')
    this.written += frames
    const out = this.out
    out.reset()
    const { scale, blockSize, pcm } = this
    let from = 0
    while (from < frames) {
      const take = Math.min(frames - from, blockSize - this.pending)
      for (let ch = 0; ch < pcm.length; ch++) {
        const src = block[ch]!
        const dst = pcm[ch]!
        for (let i = 0, at = this.pending; i < take; i++, at++)
          dst[at] = quantise(src[from + i]!, scale)
      }
      this.pending += take
      from += take
      if (this.pending === blockSize) {
        this.frame(blockSize)
        this.pending = 0
      }
    }
    return out.buf.subarray(0, out.pos)
  }

  /** Writes the last, shorter block; answers its bytes. */
  finish(): Uint8Array {
    if (this.written !== this.options.totalFrames)
      throw new RangeError(
        `the FLAC stream declares ${this.options.totalFrames} frames but got ${this.written}`,
      )
    this.out.reset()
    if (this.pending > 0) this.frame(this.pending)
    this.pending = 0
    return this.out.buf.subarray(0, this.out.pos)
  }

  /** Encodes the pending `n` frames as one FLAC frame. */
  private frame(n: number): void {
    const { channels, bitDepth } = this.options
    const out = this.out
    // Room for twice a verbatim frame: a chosen FIXED subframe never costs more than verbatim + n bits.
    out.ensure(64 + channels * (Math.ceil((n * (bitDepth + 1)) / 4) + 16))
    const start = out.pos
    const pcm = this.pcm

    // Stereo decorrelation: the cheapest of the four assignments.
    let assignment = channels - 1
    let plans: Plan[]
    let sources: Int32Array[]
    let depths: number[]
    if (channels === 2) {
      const l = pcm[0]!
      const r = pcm[1]!
      const { mid, side } = this
      for (let i = 0; i < n; i++) {
        mid[i] = (l[i]! + r[i]!) >> 1
        side[i] = l[i]! - r[i]!
      }
      const pl = this.plan(l, n, bitDepth)
      const pr = this.plan(r, n, bitDepth)
      const pm = this.plan(mid, n, bitDepth)
      const ps = this.plan(side, n, bitDepth + 1)
      const costs = [pl.bits + pr.bits, pl.bits + ps.bits, ps.bits + pr.bits, pm.bits + ps.bits]
      let best = 0
      for (let i = 1; i < 4; i++) if (costs[i]! < costs[best]!) best = i
      assignment = [1, 8, 9, 10][best]!
      plans = [
        [pl, pr],
        [pl, ps],
        [ps, pr],
        [pm, ps],
      ][best]!
      sources = [
        [l, r],
        [l, side],
        [side, r],
        [mid, side],
      ][best]!
      depths = [
        [bitDepth, bitDepth],
        [bitDepth, bitDepth + 1],
        [bitDepth + 1, bitDepth],
        [bitDepth, bitDepth + 1],
      ][best]!
    } else {
      sources = pcm.slice(0, channels)
      plans = sources.map((s) => this.plan(s, n, bitDepth))
      depths = sources.map(() => bitDepth)
    }

    // Frame header.
    const sizeCode = n === FLAC_BLOCK_SIZE ? 12 : 7
    const rateCode = RATE_CODES[this.options.sampleRate] ?? 0
    out.write(0xfff8, 16) // sync, reserved, fixed block size
    out.write(sizeCode, 4)
    out.write(rateCode, 4)
    out.write(assignment, 4)
    out.write(bitDepth === 16 ? 4 : 6, 3)
    out.write(0, 1)
    writeUtf8Number(out, this.frameNumber++)
    if (sizeCode === 7) out.write(n - 1, 16)
    let crc8 = 0
    for (let i = start; i < out.pos; i++) crc8 = CRC8[crc8 ^ out.buf[i]!]!
    out.write(crc8, 8)

    for (let c = 0; c < sources.length; c++) this.subframe(sources[c]!, n, depths[c]!, plans[c]!)
    out.align()
    let crc16 = 0
    for (let i = start; i < out.pos; i++)
      crc16 = ((crc16 << 8) & 0xffff) ^ CRC16[(crc16 >> 8) ^ out.buf[i]!]!
    out.write(crc16, 16)
  }

  /** Chooses CONSTANT, VERBATIM or the FIXED order with the least absolute residual. */
  private plan(x: Int32Array, n: number, depth: number): Plan {
    let constant = true
    for (let i = 1; i < n && constant; i++) if (x[i] !== x[0]) constant = false
    if (constant) return { kind: 'constant', order: 0, bits: 8 + depth }
    const verbatim = 8 + n * depth
    if (n <= 4) return { kind: 'verbatim', order: 0, bits: verbatim }
    // The sums of |residual| of orders 0–4 in one pass (from sample 4, as libFLAC's estimate does).
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let s4 = 0
    let a = x[3]!
    let b = a - x[2]!
    let c = b - (x[2]! - x[1]!)
    let d = c - (x[2]! - 2 * x[1]! + x[0]!)
    for (let i = 4; i < n; i++) {
      const e0 = x[i]!
      const e1 = e0 - a
      const e2 = e1 - b
      const e3 = e2 - c
      const e4 = e3 - d
      a = e0
      b = e1
      c = e2
      d = e3
      s0 += Math.abs(e0)
      s1 += Math.abs(e1)
      s2 += Math.abs(e2)
      s3 += Math.abs(e3)
      s4 += Math.abs(e4)
    }
    const sums = [s0, s1, s2, s3, s4]
    let order = 0
    for (let o = 1; o <= 4; o++) if (sums[o]! < sums[order]!) order = o
    // Estimated from the sum alone (the zigzagged residual sums to about twice it); the exact
    // partitioning is chosen only for the plan written.
    const u = 2 * sums[order]!
    const k = riceParameter(u, n - order)
    const bits = 8 + order * depth + 11 + (n - order) * (k + 1) + Math.floor(u / 2 ** k)
    return bits < verbatim
      ? { kind: 'fixed', order, bits }
      : { kind: 'verbatim', order: 0, bits: verbatim }
  }

  /**
   * Fills `residual` with the FIXED residual of `order` and picks the partition order whose Rice
   * coding is estimated cheapest; answers it with its estimated bits (method and parameters).
   */
  private riceCost(x: Int32Array, n: number, order: number) {
    const r = this.residual
    fixedResidual(x, n, order, r)
    // Sums of the zigzagged residual per partition at the highest usable order, merged pairwise
    // for the lower orders.
    let top = 0
    while (top < MAX_PARTITION_ORDER && n % (2 << top) === 0 && n >> (top + 1) > order) top++
    const sums = this.sums
    const parts = 1 << top
    const per = n >> top
    for (let p = 0, i = order; p < parts; p++) {
      let s = 0
      for (const end = (p + 1) * per; i < end; i++) {
        const v = r[i]!
        s += v < 0 ? -2 * v - 1 : 2 * v
      }
      sums[p] = s
    }
    let best = { bits: Infinity, partitionOrder: 0 }
    for (let po = top; po >= 0; po--) {
      const count = 1 << po
      const size = n >> po
      let bits = 6
      for (let p = 0; p < count; p++) {
        const samples = p === 0 ? size - order : size
        const k = riceParameter(sums[p]!, samples)
        bits += 5 + samples * (k + 1) + Math.floor(sums[p]! / 2 ** k)
      }
      if (bits < best.bits) best = { bits, partitionOrder: po }
      // Merge pairs for the next lower order.
      for (let p = 0; p < count / 2; p++) sums[p] = sums[2 * p]! + sums[2 * p + 1]!
    }
    return best
  }

  private subframe(x: Int32Array, n: number, depth: number, plan: Plan): void {
    const out = this.out
    if (plan.kind === 'constant') {
      out.write(0, 8)
      out.write(x[0]!, depth)
      return
    }
    if (plan.kind === 'verbatim') {
      out.write(0b00000010, 8)
      for (let i = 0; i < n; i++) out.write(x[i]!, depth)
      return
    }
    const { order } = plan
    out.write(0b00010000 | (order << 1), 8)
    for (let i = 0; i < order; i++) out.write(x[i]!, depth)
    const { partitionOrder } = this.riceCost(x, n, order) // refills `residual` for this order
    const r = this.residual
    const count = 1 << partitionOrder
    const size = n >> partitionOrder
    // Parameters per partition, exact from the partition's sum.
    const ks: number[] = []
    let wide = false
    for (let p = 0, i = order; p < count; p++) {
      let s = 0
      for (const end = (p + 1) * size; i < end; i++) {
        const v = r[i]!
        s += v < 0 ? -2 * v - 1 : 2 * v
      }
      const k = riceParameter(s, p === 0 ? size - order : size)
      if (k > 14) wide = true
      ks.push(k)
    }
    out.write(wide ? 1 : 0, 2)
    out.write(partitionOrder, 4)
    for (let p = 0, i = order; p < count; p++) {
      const k = ks[p]!
      out.write(k, wide ? 5 : 4)
      for (const end = (p + 1) * size; i < end; i++) {
        const v = r[i]!
        const u = v < 0 ? -2 * v - 1 : 2 * v
        const q = Math.floor(u / 2 ** k)
        if (q + 1 + k <= 24) out.write((1 << k) | (u - q * 2 ** k), q + 1 + k)
        else {
          out.unary(q)
          if (k > 0) out.write(u - q * 2 ** k, k)
        }
      }
    }
  }
}

/** The Rice parameter for `samples` values summing to `sum`: about log2 of their mean. */
function riceParameter(sum: number, samples: number): number {
  if (samples <= 0) return 0
  let k = 0
  while (k < 30 && samples * 2 ** (k + 1) <= sum) k++
  return k
}

/** The FIXED predictor residual of `order` (samples before `order` are warm-up, left unset). */
function fixedResidual(x: Int32Array, n: number, order: number, r: Int32Array): void {
  switch (order) {
    case 0:
      for (let i = 0; i < n; i++) r[i] = x[i]!
      break
    case 1:
      for (let i = 1; i < n; i++) r[i] = x[i]! - x[i - 1]!
      break
    case 2:
      for (let i = 2; i < n; i++) r[i] = x[i]! - 2 * x[i - 1]! + x[i - 2]!
      break
    case 3:
      for (let i = 3; i < n; i++) r[i] = x[i]! - 3 * x[i - 1]! + 3 * x[i - 2]! - x[i - 3]!
      break
    default:
      for (let i = 4; i < n; i++)
        r[i] = x[i]! - 4 * x[i - 1]! + 6 * x[i - 2]! - 4 * x[i - 3]! + x[i - 4]!
  }
}

/** A frame number in FLAC's UTF-8-like coding (up to 31 bits). */
function writeUtf8Number(out: BitWriter, v: number): void {
  if (v < 0x80) return out.write(v, 8)
  let bytes = 2
  while (v >= 2 ** (5 * bytes + 1)) bytes++
  const lead = (0xff00 >> bytes) & 0xff
  out.write(lead | (v >>> (6 * (bytes - 1))), 8)
  for (let i = bytes - 2; i >= 0; i--) out.write(0x80 | ((v >>> (6 * i)) & 0x3f), 8)
}

const utf8 = new TextEncoder()

/** VORBIS_COMMENT: little-endian lengths, vendor string, then KEY=value fields. */
function vorbisComment(meta: FlacMetadata): Uint8Array {
  const vendor = utf8.encode(meta.vendor ?? 'Stemfair')
  const fields = meta.comments.map(([k, v]) => utf8.encode(`${k}=${v}`))
  const size = 8 + vendor.length + fields.reduce((n, f) => n + 4 + f.length, 0)
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  view.setUint32(0, vendor.length, true)
  out.set(vendor, 4)
  let at = 4 + vendor.length
  view.setUint32(at, fields.length, true)
  at += 4
  for (const f of fields) {
    view.setUint32(at, f.length, true)
    out.set(f, at + 4)
    at += 4 + f.length
  }
  return out
}

/** PICTURE: big-endian fields; type 3 is the front cover. */
function pictureBlock(picture: FlacPicture): Uint8Array {
  const mime = utf8.encode(picture.mime)
  const out = new Uint8Array(32 + mime.length + picture.data.length)
  const view = new DataView(out.buffer)
  let at = 0
  view.setUint32(at, 3)
  view.setUint32((at += 4), mime.length)
  out.set(mime, (at += 4))
  view.setUint32((at += mime.length), 0) // description: empty
  view.setUint32((at += 4), picture.width)
  view.setUint32((at += 4), picture.height)
  view.setUint32((at += 4), 24) // colour depth
  view.setUint32((at += 4), 0) // not indexed
  view.setUint32((at += 4), picture.data.length)
  out.set(picture.data, at + 4)
  return out
}
