import { describe, expect, it } from 'vitest'
import { ARTWORK_SIZE, planArtwork, type ArtworkInput } from '../../core/artwork/plan.ts'
import { artworkPng } from '../../web/artwork/render.ts'

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

/** An "official image": a striped square drawn in the browser. */
async function officialImage(): Promise<ImageBitmap> {
  const canvas = new OffscreenCanvas(400, 300)
  const ctx = canvas.getContext('2d')!
  for (let i = 0; i < 8; i++) {
    ctx.fillStyle = `hsl(${i * 45}, 70%, 50%)`
    ctx.fillRect(i * 50, 0, 50, 300)
  }
  return createImageBitmap(canvas)
}

async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Width and height from the PNG's IHDR. */
async function pngSize(blob: Blob) {
  const bytes = new Uint8Array(await blob.slice(0, 24).arrayBuffer())
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const view = new DataView(bytes.buffer)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** Pixels of a PNG decoded at a small size, to compare images rather than encodings. */
async function pixels(blob: Blob): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(blob, { resizeWidth: 64, resizeHeight: 64 })
  const canvas = new OffscreenCanvas(64, 64)
  const ctx = canvas.getContext('2d')!
  ctx.drawImage(bitmap, 0, 0)
  return ctx.getImageData(0, 0, 64, 64).data
}

describe('artwork rendering in Chromium', () => {
  it('exports a 3000×3000 PNG over the official image', async () => {
    const image = await officialImage()
    const png = await artworkPng(planArtwork(input), ARTWORK_SIZE, [image])
    expect(png.type).toBe('image/png')
    expect(await pngSize(png)).toEqual({ width: 3000, height: 3000 })
    const px = await pixels(png)
    // Not a flat fill: many distinct colours.
    const colours = new Set<number>()
    for (let i = 0; i < px.length; i += 4)
      colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!)
    expect(colours.size).toBeGreaterThan(200)
  })

  it('gives the same image for the same seed and another for another seed', async () => {
    const image = await officialImage()
    const a = await artworkPng(planArtwork(input), 600, [image])
    const again = await artworkPng(planArtwork({ ...input }), 600, [image])
    const b = await artworkPng(planArtwork({ ...input, seed: 2 }), 600, [image])
    expect(await sha256(again)).toBe(await sha256(a))
    expect(await sha256(b)).not.toBe(await sha256(a))
    const [pa, pb] = [await pixels(a), await pixels(b)]
    let differing = 0
    for (let i = 0; i < pa.length; i += 4)
      if (Math.abs(pa[i]! - pb[i]!) + Math.abs(pa[i + 1]! - pb[i + 1]!) > 30) differing++
    expect(differing).toBeGreaterThan(64 * 64 * 0.1)
  })
})
