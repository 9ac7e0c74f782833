import { Zlib, unzlibSync } from 'fflate'
import { DomainError } from '../errors.ts'
import type { RgbaImage } from './image.ts'
import { crc32 } from '../lib/crc32.ts'

export { crc32 }

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The deflate level of the artwork PNGs: part of what makes the same plan give the same bytes. */
export const PNG_LEVEL = 3

/** Rows deflated per push: fixed, so the compressed stream (and so the file) is always the same. */
const ROWS_PER_PUSH = 32

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/**
 * Encodes an image as a PNG: 8-bit RGB when every pixel is opaque (the artwork always is), else
 * RGBA; every row Sub-filtered, deflated by fflate at a fixed level in fixed pushes, so the same
 * pixels always give the same bytes. Streams row blocks through the deflater: besides the pixels,
 * memory holds one block of filtered rows and the compressed output.
 */
export function encodePng(image: RgbaImage): Uint8Array {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new DomainError('bad_request', `A PNG needs a positive size, not ${width}×${height}.`)
  if (data.length !== width * height * 4)
    throw new DomainError('bad_request', 'The pixels do not match the image size.')
  let opaque = true
  for (let i = 3; i < data.length; i += 4)
    if (data[i] !== 255) {
      opaque = false
      break
    }
  const bpp = opaque ? 3 : 4
  const stride = width * bpp
  const parts: Uint8Array[] = [Uint8Array.from(SIGNATURE)]
  const ihdr = new Uint8Array(13)
  const hv = new DataView(ihdr.buffer)
  hv.setUint32(0, width)
  hv.setUint32(4, height)
  ihdr.set([8, opaque ? 2 : 6, 0, 0, 0], 8)
  parts.push(chunk('IHDR', ihdr))

  const zlib = new Zlib({ level: PNG_LEVEL, mem: 8 })
  zlib.ondata = (bytes) => {
    if (bytes.length) parts.push(chunk('IDAT', bytes))
  }
  const row = new Uint8Array(stride)
  const block = new Uint8Array((stride + 1) * ROWS_PER_PUSH)
  let filled = 0
  for (let y = 0; y < height; y++) {
    // The row as RGB(A) bytes.
    let src = y * width * 4
    if (opaque)
      for (let o = 0; o < stride; o += 3, src += 4) {
        row[o] = data[src]!
        row[o + 1] = data[src + 1]!
        row[o + 2] = data[src + 2]!
      }
    else row.set(data.subarray(src, src + stride))
    // Sub filter: each byte less the same channel of the pixel to its left (measured the best
    // trade of speed and size on the artwork's smooth gradients).
    const at = filled * (stride + 1)
    block[at] = 1
    for (let i = 0; i < bpp; i++) block[at + 1 + i] = row[i]!
    for (let i = bpp; i < stride; i++) block[at + 1 + i] = (row[i]! - row[i - bpp]!) & 0xff
    filled++
    if (filled === ROWS_PER_PUSH || y === height - 1) {
      // fflate keeps no reference to a pushed chunk once push returns, so the block is reused.
      zlib.push(block.subarray(0, filled * (stride + 1)), y === height - 1)
      filled = 0
    }
  }
  parts.push(chunk('IEND', new Uint8Array(0)))
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Whether bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)
}

const bad = (why: string) => new DomainError('bad_request', `This PNG cannot be read: ${why}.`)

/**
 * Decodes a PNG (any colour type, bit depths 1–16, no interlacing) to 8-bit RGBA. Checks chunk
 * CRCs; refuses interlaced or truncated files with a 400.
 */
export function decodePng(bytes: Uint8Array, maxPixels = 50_000_000): RgbaImage {
  if (!isPng(bytes)) throw bad('it is not a PNG')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let width = 0
  let height = 0
  let depth = 0
  let colour = -1
  let palette: Uint8Array | null = null
  let trns: Uint8Array | null = null
  const idat: Uint8Array[] = []
  let ended = false
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (at + 12 + length > bytes.length) throw bad(`the ${type} chunk is truncated`)
    const body = bytes.subarray(at + 8, at + 8 + length)
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw bad(`the ${type} chunk is corrupt`)
    if (type === 'IHDR') {
      width = view.getUint32(at + 8)
      height = view.getUint32(at + 12)
      depth = body[8]!
      colour = body[9]!
      if (body[12] !== 0) throw bad('interlaced PNGs are not supported')
    } else if (type === 'PLTE') palette = body
    else if (type === 'tRNS') trns = body
    else if (type === 'IDAT') idat.push(body)
    else if (type === 'IEND') {
      ended = true
      break
    }
    at += 12 + length
  }
  if (!ended || idat.length === 0 || width < 1 || height < 1) throw bad('it is incomplete')
  if (width * height > maxPixels) throw bad(`${width}×${height} is too large`)
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colour as 0 | 2 | 3 | 4 | 6]
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) throw bad('its colour type is unknown')
  if (colour === 3 && !palette) throw bad('its palette is missing')
  let total = 0
  for (const part of idat) total += part.length
  const compressed = new Uint8Array(total)
  total = 0
  for (const part of idat) {
    compressed.set(part, total)
    total += part.length
  }
  const bitsPerPixel = channels * depth
  const stride = Math.ceil((width * bitsPerPixel) / 8)
  const bpp = Math.max(1, bitsPerPixel >> 3)
  let raw: Uint8Array
  try {
    raw = unzlibSync(compressed, { out: new Uint8Array((stride + 1) * height) })
  } catch {
    throw bad('its image data is corrupt')
  }
  if (raw.length < (stride + 1) * height) throw bad('its image data is truncated')

  const out = new Uint8ClampedArray(width * height * 4)
  let prev = new Uint8Array(stride)
  let row = new Uint8Array(stride)
  const sample = (r: Uint8Array, x: number, c: number): number => {
    if (depth === 8) return r[x * channels + c]!
    if (depth === 16) {
      const i = (x * channels + c) * 2
      return Math.round(((r[i]! << 8) | r[i + 1]!) / 257)
    }
    const bit = (x * channels + c) * depth
    const v = (r[bit >> 3]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1)
    return colour === 3 ? v : Math.round((v * 255) / ((1 << depth) - 1))
  }
  // A tRNS key colour, on the 8-bit scale the samples are read on.
  const key16 = (t: Uint8Array, i: number) => {
    const v = (t[i * 2]! << 8) | t[i * 2 + 1]!
    return depth === 16
      ? Math.round(v / 257)
      : depth === 8
        ? v
        : Math.round((v * 255) / ((1 << depth) - 1))
  }
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1)
    const filter = raw[at]!
    for (let i = 0; i < stride; i++) {
      const x = raw[at + 1 + i]!
      const a = i >= bpp ? row[i - bpp]! : 0
      const b = prev[i]!
      const c = i >= bpp ? prev[i - bpp]! : 0
      let v: number
      if (filter === 0) v = x
      else if (filter === 1) v = x + a
      else if (filter === 2) v = x + b
      else if (filter === 3) v = x + ((a + b) >> 1)
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
      } else throw bad(`row ${y} has an unknown filter`)
      row[i] = v & 0xff
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      if (colour === 3) {
        const index = sample(row, x, 0)
        if (index * 3 + 2 >= palette!.length) throw bad('a pixel is outside the palette')
        out[o] = palette![index * 3]!
        out[o + 1] = palette![index * 3 + 1]!
        out[o + 2] = palette![index * 3 + 2]!
        out[o + 3] = trns && index < trns.length ? trns[index]! : 255
      } else if (colour === 0 || colour === 4) {
        const g = sample(row, x, 0)
        out[o] = out[o + 1] = out[o + 2] = g
        out[o + 3] =
          colour === 4
            ? sample(row, x, 1)
            : trns && trns.length >= 2 && g === key16(trns, 0)
              ? 0
              : 255
      } else {
        const r = sample(row, x, 0)
        const g = sample(row, x, 1)
        const b = sample(row, x, 2)
        out[o] = r
        out[o + 1] = g
        out[o + 2] = b
        out[o + 3] =
          colour === 6
            ? sample(row, x, 3)
            : trns &&
                trns.length >= 6 &&
                r === key16(trns, 0) &&
                g === key16(trns, 1) &&
                b === key16(trns, 2)
              ? 0
              : 255
      }
    }
    ;[prev, row] = [row, prev]
  }
  return { width, height, data: out }
}
