import { describe, expect, it } from 'vitest'
import type { RgbaImage } from './image.ts'
import { planArtwork, type ArtworkInput } from './plan.ts'
import { encodePng } from './png.ts'
import { artworkSource, hslToRgb, rasterizeArtwork } from './raster.ts'

const input: ArtworkInput = {
  tempo: 124,
  key: 'F minor',
  sections: [
    { start: 0, end: 20, label: 'A' },
    { start: 20, end: 50, label: 'B' },
    { start: 50, end: 70, label: 'A' },
  ],
  words: 'dreamy gold floating',
  seed: 1,
}

/** A solid official image of one colour. */
function solid(width: number, height: number, rgb: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i)
  return { width, height, data }
}

/** Vertical stripes of eight colours, as a striped photo would be. */
function stripes(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = Math.floor((x * 8) / width)
      data.set([(i * 73) % 256, (i * 151) % 256, (i * 31 + 100) % 256, 255], (y * width + x) * 4)
    }
  return { width, height, data }
}

const mean = (image: RgbaImage, channel: number) => {
  let sum = 0
  for (let i = channel; i < image.data.length; i += 4) sum += image.data[i]!
  return sum / (image.width * image.height)
}

describe('rasterizeArtwork', () => {
  it('paints an opaque square of the asked size, and refuses other sizes', () => {
    const plan = planArtwork(input)
    for (const size of [1, 17, 160]) {
      const image = rasterizeArtwork(plan, size, [])
      expect([image.width, image.height, image.data.length]).toEqual([size, size, size * size * 4])
      for (let i = 3; i < image.data.length; i += 4) expect(image.data[i]).toBe(255)
    }
    expect(() => rasterizeArtwork(plan, 0, [])).toThrow(/pixels/)
    expect(() => rasterizeArtwork(plan, 3001, [])).toThrow(/pixels/)
    expect(() => rasterizeArtwork(plan, 10.5, [])).toThrow(/pixels/)
  })

  it('gives the same pixels and PNG bytes for the same plan and images, others for another seed', () => {
    const source = () => artworkSource(stripes(300, 200))
    const a = rasterizeArtwork(planArtwork(input), 240, [source()])
    const again = rasterizeArtwork(planArtwork({ ...input }), 240, [source()])
    expect(again.data).toEqual(a.data)
    expect(encodePng(again)).toEqual(encodePng(a))
    const b = rasterizeArtwork(planArtwork({ ...input, seed: 2 }), 240, [source()])
    let differing = 0
    for (let i = 0; i < a.data.length; i += 4)
      if (Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) > 30)
        differing++
    expect(differing).toBeGreaterThan(240 * 240 * 0.1)
  })

  it("shows the plan's palette: each sphere's colour and the background gradient", () => {
    const plan = planArtwork(input)
    const size = 400
    const image = rasterizeArtwork(plan, size, [])
    const near = (rgb: number[], tolerance: number) => {
      for (let i = 0; i < image.data.length; i += 4)
        if (
          Math.abs(image.data[i]! - rgb[0]!) +
            Math.abs(image.data[i + 1]! - rgb[1]!) +
            Math.abs(image.data[i + 2]! - rgb[2]!) <=
          tolerance
        )
          return true
      return false
    }
    // Spheres wholly on the canvas and large enough for their gradient to pass their colour.
    const spheres = plan.layers.filter(
      (l) =>
        l.kind === 'sphere' &&
        l.r * size > 12 &&
        Math.min(l.x, l.y) > l.r &&
        Math.max(l.x, l.y) < 1 - l.r,
    )
    expect(spheres.length).toBeGreaterThan(2)
    for (const s of spheres) if (s.kind === 'sphere') expect(near(hslToRgb(s.color), 6)).toBe(true)
    // The corner is the outer colour of the background, the centre of the gradient its inner.
    const corner = hslToRgb(plan.palette.background[1])
    const [r, g, b] = image.data.subarray(0, 3)
    expect(
      Math.abs(r! - corner[0]) + Math.abs(g! - corner[1]) + Math.abs(b! - corner[2]),
    ).toBeLessThan(30)
    expect(near(hslToRgb(plan.palette.background[0]), 6)).toBe(true)
  })

  it('is made from the official images: their colours show through, and another image changes it', () => {
    const plan = planArtwork(input)
    const green = rasterizeArtwork(plan, 200, [artworkSource(solid(64, 64, [0, 255, 0]))])
    const red = rasterizeArtwork(plan, 200, [artworkSource(solid(64, 64, [255, 0, 0]))])
    const none = rasterizeArtwork(plan, 200, [])
    expect(mean(green, 1) - mean(red, 1)).toBeGreaterThan(40)
    expect(mean(red, 0) - mean(green, 0)).toBeGreaterThan(40)
    expect(mean(green, 1)).toBeGreaterThan(mean(none, 1) + 20)
    // A second image is blended over the first (soft light): it changes the result too.
    const both = rasterizeArtwork(plan, 200, [
      artworkSource(solid(64, 64, [0, 255, 0])),
      artworkSource(solid(64, 64, [0, 0, 255])),
    ])
    expect(mean(both, 2)).toBeGreaterThan(mean(green, 2) + 5)
  })

  it('draws the image with its rotation and scale, sampling an image of any size', () => {
    const plan = planArtwork(input)
    const small = rasterizeArtwork(plan, 120, [artworkSource(stripes(40, 30))])
    const large = rasterizeArtwork(plan, 120, [artworkSource(stripes(1600, 1200))])
    // The same picture at two resolutions gives nearly the same artwork.
    let diff = 0
    for (let i = 0; i < small.data.length; i++) diff += Math.abs(small.data[i]! - large.data[i]!)
    expect(diff / small.data.length).toBeLessThan(12)
  })
})
