import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { decodeSource, halve, MAX_SOURCE_SIDE, sourceTypeOf, type RgbaImage } from './image.ts'
import { crc32, decodePng, encodePng } from './png.ts'

/** A test image: a hue sweep with a soft alpha ramp (or opaque). */
function sweep(width: number, height: number, opaque = true): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      data[o] = (x * 255) / Math.max(1, width - 1)
      data[o + 1] = (y * 255) / Math.max(1, height - 1)
      data[o + 2] = (x * 7 + y * 13) % 256
      data[o + 3] = opaque ? 255 : (x * 3 + y) % 256
    }
  return { width, height, data }
}

/** Decodes a PNG with pngjs, an independent decoder (and its own inflate). */
function independent(png: Uint8Array) {
  const decoded = PNG.sync.read(Buffer.from(png))
  return { width: decoded.width, height: decoded.height, data: new Uint8Array(decoded.data) }
}

describe('encodePng', () => {
  it('round-trips through an independent decoder, opaque as RGB and with alpha as RGBA', () => {
    for (const [w, h, opaque] of [
      [1, 1, true],
      [17, 5, true],
      [64, 48, false],
      [300, 2, true],
    ] as const) {
      const image = sweep(w, h, opaque)
      const png = encodePng(image)
      expect(png[25], `${w}×${h}`).toBe(opaque ? 2 : 6) // IHDR colour type
      const back = independent(png)
      expect([back.width, back.height]).toEqual([w, h])
      expect(back.data).toEqual(new Uint8Array(image.data.buffer))
      // And through core's own decoder.
      expect(decodePng(png).data).toEqual(image.data)
    }
  })

  it('gives the same bytes for the same pixels, other bytes for other pixels', () => {
    const a = encodePng(sweep(200, 120))
    expect(encodePng(sweep(200, 120))).toEqual(a)
    const other = sweep(200, 120)
    other.data[4000] = (other.data[4000]! + 1) & 255
    expect(encodePng(other)).not.toEqual(a)
  })

  it('refuses a size that does not match the pixels', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(12) })).toThrow(
      /match/,
    )
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8ClampedArray(0) })).toThrow(/size/)
  })

  it('computes the CRC-32 that PNG chunks use', () => {
    // The check value of CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })
})

describe('decodePng', () => {
  it('reads grey, grey+alpha, RGB and RGBA at 8 and 16 bits as another encoder writes them', () => {
    const image = sweep(33, 21, false)
    const rgba = new Uint8Array(image.data.buffer)
    for (const colorType of [0, 2, 4, 6] as const)
      for (const bitDepth of [8, 16] as const) {
        const png = PNG.sync.write(
          Object.assign(new PNG({ width: 33, height: 21 }), { data: Buffer.from(rgba) }),
          { colorType, bitDepth, inputColorType: 6, inputHasAlpha: true },
        )
        const ours = decodePng(new Uint8Array(png))
        const theirs = independent(new Uint8Array(png))
        expect(ours.width).toBe(33)
        expect(new Uint8Array(ours.data.buffer), `type ${colorType}, ${bitDepth} bits`).toEqual(
          theirs.data,
        )
      }
  })

  it('refuses what is not a PNG, a corrupt chunk and an interlaced PNG', () => {
    expect(() => decodePng(Uint8Array.from([0xff, 0xd8, 0xff]))).toThrow(/not a PNG/)
    const png = encodePng(sweep(10, 10))
    const corrupt = png.slice()
    corrupt[40] = corrupt[40]! ^ 0xff
    expect(() => decodePng(corrupt)).toThrow(/corrupt/)
    expect(() => decodePng(png.subarray(0, png.length - 20))).toThrow(/truncated|incomplete/)
    const interlaced = png.slice()
    interlaced[28] = 1
    const view = new DataView(interlaced.buffer)
    view.setUint32(29, crc32(interlaced.subarray(12, 29)))
    expect(() => decodePng(interlaced)).toThrow(/interlaced/)
  })
})

describe('decodeSource', () => {
  it('decodes JPEG and PNG official images and names what it cannot read', () => {
    const image = sweep(120, 80)
    const jpg = jpeg.encode({ width: 120, height: 80, data: image.data }, 95).data
    expect(sourceTypeOf(jpg)).toBe('image/jpeg')
    const fromJpeg = decodeSource(jpg)
    expect([fromJpeg.width, fromJpeg.height]).toEqual([120, 80])
    // Lossy, but close: the mean error per channel is small.
    let error = 0
    for (let i = 0; i < image.data.length; i++)
      if (i % 4 !== 3) error += Math.abs(fromJpeg.data[i]! - image.data[i]!)
    expect(error / (120 * 80 * 3)).toBeLessThan(4)
    expect(decodeSource(encodePng(image)).data).toEqual(image.data)
    const webp = new TextEncoder().encode('RIFF....WEBPVP8 ')
    expect(() => decodeSource(webp)).toThrow(/PNG or JPEG/)
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
    expect(sourceTypeOf(svg)).toBeNull()
  })

  it('halves large images until they fit, averaging 2×2 blocks', () => {
    const big = sweep(MAX_SOURCE_SIDE * 2 + 2, 10)
    const decoded = decodeSource(encodePng(big))
    // 4098 → 2049 (still too wide) → 1024; 10 → 5 → 2.
    expect([decoded.width, decoded.height]).toEqual([1024, 2])
    const tiny: RgbaImage = {
      width: 2,
      height: 2,
      data: Uint8ClampedArray.from([
        0, 0, 0, 255, 10, 20, 30, 255, 20, 40, 60, 255, 30, 60, 90, 255,
      ]),
    }
    expect([...halve(tiny).data]).toEqual([15, 30, 45, 255])
  })
})
