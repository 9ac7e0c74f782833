import { decodeSource } from '../../core/artwork/image.ts'
import type { ArtworkPlan } from '../../core/artwork/plan.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { artworkSource, rasterizeArtwork, type ArtworkSource } from '../../core/artwork/raster.ts'

export type { ArtworkSource }

/**
 * The studio's artwork preview: core's rasterizer paints the plan (the code the worker renders
 * the cover with) and its pixels go into the canvas as they are. No canvas drawing of its own.
 */
export function paintArtwork(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  plan: ArtworkPlan,
  size: number,
  sources: readonly ArtworkSource[],
): void {
  const image = rasterizeArtwork(plan, size, sources)
  canvas.width = size
  canvas.height = size
  const ctx = canvas.getContext('2d') as
    CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
  if (!ctx) throw new Error('This browser cannot draw the artwork preview.')
  ctx.putImageData(new ImageData(image.data as Uint8ClampedArray<ArrayBuffer>, size, size), 0, 0)
}

/** The artwork as core's PNG of side `size`: the same bytes the worker stores for the same plan. */
export function artworkPng(
  plan: ArtworkPlan,
  size: number,
  sources: readonly ArtworkSource[],
): Blob {
  const png = encodePng(rasterizeArtwork(plan, size, sources))
  return new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' })
}

/** Fetches an official image and decodes it with core's decoders (PNG or JPEG), as the worker does. */
export async function loadSource(url: string, signal?: AbortSignal): Promise<ArtworkSource> {
  const res = await fetch(url, { credentials: 'same-origin', signal })
  if (!res.ok) throw new Error(`The official image could not be loaded (${res.status}).`)
  return artworkSource(decodeSource(new Uint8Array(await res.arrayBuffer())))
}
