import { describe, expect, it } from 'vitest'
import { decodeSource } from '../../core/artwork/image.ts'
import { ARTWORK_SIZE, planArtwork, type ArtworkInput } from '../../core/artwork/plan.ts'
import { artworkSource, rasterizeArtwork } from '../../core/artwork/raster.ts'
import { artworkPng, loadSource, paintArtwork } from '../../web/artwork/render.ts'

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

/** An "official image": a striped JPEG, as Chromium's own encoder writes one. */
async function officialJpeg(): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(400, 300)
  const ctx = canvas.getContext('2d')!
  for (let i = 0; i < 8; i++) {
    ctx.fillStyle = `hsl(${i * 45}, 70%, 50%)`
    ctx.fillRect(i * 50, 0, 50, 300)
  }
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })
  return new Uint8Array(await blob.arrayBuffer())
}

/** The official image served at a URL, as the studio fetches the campaign's images. */
function served(bytes: Uint8Array): string {
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }))
}

/** How many bytes of two pixel arrays differ. */
function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

describe('the studio preview is core’s rendering', () => {
  it('puts exactly the pixels of core’s rasterizer into the canvas', async () => {
    const jpg = await officialJpeg()
    // The studio's path: fetch the image, decode with core, paint into a canvas.
    const source = await loadSource(served(jpg))
    // Core's path, as the worker takes it: decode the same bytes, rasterize.
    const reference = artworkSource(decodeSource(jpg))
    for (const size of [96, 160]) {
      const canvas = document.createElement('canvas')
      paintArtwork(canvas, planArtwork(input), size, [source])
      const shown = canvas.getContext('2d')!.getImageData(0, 0, size, size).data
      const core = rasterizeArtwork(planArtwork(input), size, [reference]).data
      expect(differing(shown, core), `${size}×${size}`).toBe(0)
    }
  })

  it('downloads a 3000×3000 PNG that Chromium decodes to core’s pixels', async () => {
    const jpg = await officialJpeg()
    const source = await loadSource(served(jpg))
    const plan = planArtwork(input)
    const png = artworkPng(plan, ARTWORK_SIZE, [source])
    expect(png.type).toBe('image/png')
    // Chromium's own PNG decoder, not core's.
    const bitmap = await createImageBitmap(png, { colorSpaceConversion: 'none' })
    expect([bitmap.width, bitmap.height]).toEqual([3000, 3000])
    const canvas = new OffscreenCanvas(3000, 3000)
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(bitmap, 0, 0)
    const core = rasterizeArtwork(plan, ARTWORK_SIZE, [artworkSource(decodeSource(jpg))])
    // Rows across the picture: the top, through the hero sphere, the bottom.
    for (const y of [0, 1499, 2999]) {
      const row = ctx.getImageData(0, y, 3000, 1).data
      expect(differing(row, core.data.subarray(y * 12000, (y + 1) * 12000)), `row ${y}`).toBe(0)
    }
  })

  it('gives the same PNG bytes for the same plan and another image for another seed', async () => {
    const source = await loadSource(served(await officialJpeg()))
    const bytes = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer())
    const a = await bytes(artworkPng(planArtwork(input), 600, [source]))
    const again = await bytes(artworkPng(planArtwork({ ...input }), 600, [source]))
    const b = await bytes(artworkPng(planArtwork({ ...input, seed: 2 }), 600, [source]))
    expect(differing(again, a)).toBe(0)
    expect(b.length === a.length && differing(a, b) === 0).toBe(false)
  })
})
