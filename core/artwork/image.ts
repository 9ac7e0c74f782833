import jpeg from 'jpeg-js'
import { DomainError } from '../errors.ts'
import { decodePng, isPng } from './png.ts'

/** 8-bit RGBA pixels, row by row (the layout of a canvas's ImageData). */
export type RgbaImage = { width: number; height: number; data: Uint8ClampedArray }

/** The official images' largest side once decoded: larger ones are halved until they fit. */
export const MAX_SOURCE_SIDE = 2048

/** Largest official image decoded, in pixels (a 10 MB upload can claim more). */
const MAX_SOURCE_PIXELS = 40_000_000

/** The image types the artwork can be made from. */
export type SourceType = 'image/png' | 'image/jpeg'

/** The type of an image by its first bytes: PNG, JPEG, or null for anything else (WebP, SVG…). */
export function sourceTypeOf(bytes: Uint8Array): SourceType | null {
  if (isPng(bytes)) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'image/jpeg'
  return null
}

/** Halves an image (2×2 box average, rounding half up); an odd last row or column is averaged alone. */
export function halve(image: RgbaImage): RgbaImage {
  const width = Math.max(1, image.width >> 1)
  const height = Math.max(1, image.height >> 1)
  const src = image.data
  const out = new Uint8ClampedArray(width * height * 4)
  const sw = image.width
  for (let y = 0; y < height; y++) {
    const y0 = Math.min(image.height - 1, y * 2)
    const y1 = Math.min(image.height - 1, y * 2 + 1)
    for (let x = 0; x < width; x++) {
      const x0 = Math.min(sw - 1, x * 2)
      const x1 = Math.min(sw - 1, x * 2 + 1)
      const a = (y0 * sw + x0) * 4
      const b = (y0 * sw + x1) * 4
      const c = (y1 * sw + x0) * 4
      const d = (y1 * sw + x1) * 4
      const o = (y * width + x) * 4
      for (let k = 0; k < 4; k++)
        out[o + k] = (src[a + k]! + src[b + k]! + src[c + k]! + src[d + k]! + 2) >> 2
    }
  }
  return { width, height, data: out }
}

/**
 * Decodes an official image (PNG or JPEG) to RGBA with core's own decoders, the same in the worker
 * and the browser, and halves it until its larger side is at most MAX_SOURCE_SIDE. A 400 for any
 * other type or a file that does not decode.
 */
export function decodeSource(bytes: Uint8Array): RgbaImage {
  const type = sourceTypeOf(bytes)
  let image: RgbaImage
  if (type === 'image/png') image = decodePng(bytes, MAX_SOURCE_PIXELS)
  else if (type === 'image/jpeg') {
    let decoded: { width: number; height: number; data: Uint8Array }
    try {
      decoded = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_SOURCE_PIXELS / 1e6,
        maxMemoryUsageInMB: 256,
      })
    } catch (err) {
      throw new DomainError('bad_request', `This JPEG cannot be read: ${(err as Error).message}`)
    }
    const data = new Uint8ClampedArray(
      decoded.data.buffer,
      decoded.data.byteOffset,
      decoded.data.byteLength,
    )
    image = { width: decoded.width, height: decoded.height, data }
  } else
    throw new DomainError(
      'bad_request',
      'Artwork is made from PNG or JPEG images; this official image is neither.',
    )
  while (Math.max(image.width, image.height) > MAX_SOURCE_SIDE) image = halve(image)
  return image
}
