// A baseline JPEG encoder (ITU-T T.81): 8-bit YCbCr, no chroma subsampling, the Annex K
// quantisation tables scaled by quality as the IJG library does, one DC and one AC Huffman table
// (Annex K.3's code lengths) shared by the three components. For the cover embedded in files.
import type { RgbaImage } from './image.ts'

/** Annex K.1 luminance and chrominance quantisation tables, in natural (row) order. */
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
const CHROMA_Q = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99),
]

/** Zigzag scan: the natural index of each of the 64 coefficients in transmission order. */
const ZIGZAG = (() => {
  const order: number[] = []
  for (let s = 0; s < 15; s++)
    for (let i = 0; i <= s; i++) {
      const [row, col] = s % 2 === 0 ? [s - i, i] : [i, s - i]
      if (row < 8 && col < 8) order.push(row * 8 + col)
    }
  return order
})()

/** DC: Annex K.3 code lengths for categories 0–11. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

/** AC: Annex K.3 luminance code lengths; symbols (run << 4 | size) with the frequent ones first. */
const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d]
const AC_VALUES = (() => {
  const first = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27,
  ]
  // the rest of the 162 symbols (every run 0–15 with size 1–10), in ascending order
  const rest: number[] = []
  for (let run = 0; run < 16; run++)
    for (let size = 1; size <= 10; size++) {
      const symbol = (run << 4) | size
      if (!first.includes(symbol)) rest.push(symbol)
    }
  return [...first, ...rest]
})()

/** Canonical Huffman codes (T.81 Annex C) from code lengths and symbols: [code, length] by symbol. */
function codesOf(bits: number[], values: number[]): Int32Array {
  const table = new Int32Array(256 * 2).fill(-1)
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]!; i++) {
      const symbol = values[k++]!
      table[symbol * 2] = code++
      table[symbol * 2 + 1] = length
    }
    code <<= 1
  }
  return table
}

const DC_CODES = codesOf(DC_BITS, DC_VALUES)
const AC_CODES = codesOf(AC_BITS, AC_VALUES)

/** The quantisation table of `base` at `quality` (1–100), as IJG's scaling: clamped to 1–255. */
function scaled(base: number[], quality: number): Uint8Array {
  const q = Math.max(1, Math.min(100, Math.round(quality)))
  const factor = q < 50 ? 5000 / q : 200 - 2 * q
  return Uint8Array.from(base, (v) =>
    Math.max(1, Math.min(255, Math.floor((v * factor + 50) / 100))),
  )
}

/** cos((2x + 1)uπ/16) × C(u)/2, by u × 8 + x: one 1-D DCT row. */
const COS = (() => {
  const t = new Float64Array(64)
  for (let u = 0; u < 8; u++)
    for (let x = 0; x < 8; x++)
      t[u * 8 + x] = ((u === 0 ? Math.SQRT1_2 : 1) / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)
  return t
})()

/** A growing byte sink with the entropy coder's bit buffer and 0xFF stuffing. */
class Bytes {
  buf = new Uint8Array(1 << 16)
  length = 0
  private bits = 0
  private count = 0

  byte(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }

  word(v: number): void {
    this.byte(v >> 8)
    this.byte(v & 0xff)
  }

  put(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i]!)
  }

  /** Appends the low `n` bits of `value`, most significant first (entropy-coded data). */
  write(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) {
      this.bits = (this.bits << 1) | ((value >> i) & 1)
      if (++this.count === 8) {
        this.byte(this.bits)
        if (this.bits === 0xff) this.byte(0)
        this.bits = 0
        this.count = 0
      }
    }
  }

  /** Pads the last byte of entropy-coded data with 1 bits. */
  flushBits(): void {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count)
  }
}

/** The bits of a coefficient: its size category and the value's bits (negatives as v − 1). */
function category(v: number): number {
  let a = Math.abs(v)
  let n = 0
  while (a > 0) {
    a >>= 1
    n++
  }
  return n
}

function marker(out: Bytes, code: number, body: ArrayLike<number>): void {
  out.word(code)
  out.word(body.length + 2)
  out.put(body)
}

/** Encodes an RGBA image (alpha ignored) as a baseline JFIF JPEG at `quality` (1–100). */
export function encodeJpeg(image: RgbaImage, quality = 90): Uint8Array {
  const { width, height, data } = image
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    throw new RangeError('a JPEG is 1–65 535 pixels a side')
  const tables = [scaled(LUMA_Q, quality), scaled(CHROMA_Q, quality)]
  const out = new Bytes()
  out.word(0xffd8)
  marker(out, 0xffe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
  for (let t = 0; t < 2; t++) marker(out, 0xffdb, [t, ...ZIGZAG.map((i) => tables[t]![i]!)])
  marker(out, 0xffc0, [
    8,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    3,
    1,
    0x11,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ])
  marker(out, 0xffc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES])
  marker(out, 0xffda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])

  const block = [new Float64Array(64), new Float64Array(64), new Float64Array(64)]
  const rows = new Float64Array(64)
  const coefficients = new Int32Array(64)
  const previousDc = [0, 0, 0]
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8) {
      // colour conversion of the 8×8 block, edge pixels repeated past the image
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const p = (Math.min(height - 1, by + y) * width + Math.min(width - 1, bx + x)) * 4
          const r = data[p]!
          const g = data[p + 1]!
          const b = data[p + 2]!
          const i = y * 8 + x
          block[0]![i] = 0.299 * r + 0.587 * g + 0.114 * b - 128
          block[1]![i] = -0.168736 * r - 0.331264 * g + 0.5 * b
          block[2]![i] = 0.5 * r - 0.418688 * g - 0.081312 * b
        }
      for (let c = 0; c < 3; c++) {
        const f = block[c]!
        const q = tables[c === 0 ? 0 : 1]!
        // separable 2-D DCT: rows, then columns
        for (let y = 0; y < 8; y++)
          for (let u = 0; u < 8; u++) {
            let s = 0
            for (let x = 0; x < 8; x++) s += f[y * 8 + x]! * COS[u * 8 + x]!
            rows[y * 8 + u] = s
          }
        for (let v = 0; v < 8; v++)
          for (let u = 0; u < 8; u++) {
            let s = 0
            for (let y = 0; y < 8; y++) s += rows[y * 8 + u]! * COS[v * 8 + y]!
            coefficients[v * 8 + u] = Math.round(s / q[v * 8 + u]!)
          }
        encodeBlock(out, coefficients, previousDc, c)
      }
    }
  out.flushBits()
  out.word(0xffd9)
  return out.buf.slice(0, out.length)
}

/** Huffman-codes one quantised block: the DC difference, then AC run/size pairs, EOB, ZRL. */
function encodeBlock(out: Bytes, coefficients: Int32Array, previousDc: number[], c: number): void {
  const emit = (codes: Int32Array, symbol: number) =>
    out.write(codes[symbol * 2]!, codes[symbol * 2 + 1]!)
  const value = (v: number, size: number) => out.write(v < 0 ? v + (1 << size) - 1 : v, size)
  const dc = coefficients[0]!
  const diff = dc - previousDc[c]!
  previousDc[c] = dc
  const dcSize = category(diff)
  emit(DC_CODES, dcSize)
  if (dcSize) value(diff, dcSize)
  let run = 0
  for (let k = 1; k < 64; k++) {
    // AC sizes go up to 10 bits: clamp what only a quality near 100 could exceed
    const v = Math.max(-1023, Math.min(1023, coefficients[ZIGZAG[k]!]!))
    if (v === 0) {
      run++
      continue
    }
    while (run > 15) {
      emit(AC_CODES, 0xf0)
      run -= 16
    }
    const size = category(v)
    emit(AC_CODES, (run << 4) | size)
    value(v, size)
    run = 0
  }
  if (run > 0) emit(AC_CODES, 0x00)
}
