import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { parseBuffer } from 'music-metadata'
import { writeId3 } from '../audio/id3.ts'
import { coverFrames, embeddedCoverFrom, EMBEDDED_COVER_BYTES } from './cover.ts'
import type { RgbaImage } from './image.ts'
import { encodeJpeg } from './jpeg.ts'
import { encodePng } from './png.ts'

/** A picture with smooth gradients, edges and colour: what covers look like to a codec. */
function picture(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      const ring = Math.hypot(x - width / 2, y - height / 3) % 60 < 30
      data[o] = (x * 255) / width
      data[o + 1] = ring ? 200 : (y * 255) / height
      data[o + 2] = 128 + 100 * Math.sin(x / 17 + y / 23)
      data[o + 3] = 255
    }
  return { width, height, data }
}

/** Peak signal-to-noise ratio of the decoded RGB against the source. */
function psnr(a: RgbaImage, b: { data: Uint8Array }): number {
  let sum = 0
  let n = 0
  for (let i = 0; i < a.data.length; i += 4)
    for (let k = 0; k < 3; k++) {
      const d = a.data[i + k]! - b.data[i + k]!
      sum += d * d
      n++
    }
  return 10 * Math.log10((255 * 255) / (sum / n))
}

describe('encodeJpeg', () => {
  it('makes a baseline JPEG that decodes close to the source, odd sizes included', () => {
    for (const [w, h] of [
      [64, 48],
      [101, 37],
    ] as const) {
      const image = picture(w, h)
      const bytes = encodeJpeg(image, 90)
      expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
      const decoded = jpeg.decode(bytes, { useTArray: true })
      expect([decoded.width, decoded.height]).toEqual([w, h])
      expect(psnr(image, decoded)).toBeGreaterThan(30)
    }
  })

  it('is smaller and rougher at a lower quality', () => {
    const image = picture(128, 128)
    const high = encodeJpeg(image, 90)
    const low = encodeJpeg(image, 40)
    expect(low.length).toBeLessThan(high.length)
    expect(psnr(image, jpeg.decode(low, { useTArray: true }))).toBeLessThan(
      psnr(image, jpeg.decode(high, { useTArray: true })),
    )
  })

  it('is read by ffprobe as a baseline JPEG of its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jpeg-'))
    const path = join(dir, 'a.jpg')
    writeFileSync(path, encodeJpeg(picture(200, 120), 85))
    const probe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_name,width,height,profile',
        '-of',
        'csv=p=0',
        path,
      ],
      { encoding: 'utf8' },
    )
    expect(probe.trim()).toMatch(/^mjpeg,Baseline,200,120$/)
  })
})

describe('embeddedCoverFrom', () => {
  it('turns the 3000×3000 artwork PNG into a 1500×1500 JPEG of at most 1 MB', async () => {
    const cover = embeddedCoverFrom(encodePng(picture(3000, 3000)))
    expect(cover).toMatchObject({ mime: 'image/jpeg', width: 1500, height: 1500 })
    expect(cover.data.length).toBeLessThanOrEqual(EMBEDDED_COVER_BYTES)
    const decoded = jpeg.decode(cover.data, { useTArray: true, maxMemoryUsageInMB: 64 })
    expect([decoded.width, decoded.height]).toEqual([1500, 1500])
    // as a tag reader (music-metadata, as players) finds it in the MP3's ID3 front cover
    const tag = writeId3(coverFrames(cover))
    const { common } = await parseBuffer(tag, { mimeType: 'audio/mpeg' }, { duration: false })
    expect(common.picture).toHaveLength(1)
    expect(common.picture![0]).toMatchObject({ format: 'image/jpeg', type: 'Cover (front)' })
    expect(common.picture![0]!.data).toEqual(cover.data)
  })
})
