import type { ArtworkPlan, Hsl, SphereLayer } from '../../core/artwork/plan.ts'

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D

const hsl = ({ h, s, l }: Hsl, alpha = 1, dl = 0) =>
  `hsla(${h.toFixed(1)}, ${(s * 100).toFixed(1)}%, ${(Math.max(0, Math.min(1, l + dl)) * 100).toFixed(1)}%, ${alpha})`

/** An official image drawn to cover a square of side `size` centred at (cx, cy). */
function drawCover(
  ctx: Ctx,
  image: CanvasImageSource & { width: number; height: number },
  cx: number,
  cy: number,
  size: number,
) {
  const w = image.width || size
  const h = image.height || size
  const scale = size / Math.min(w, h)
  ctx.drawImage(image, cx - (w * scale) / 2, cy - (h * scale) / 2, w * scale, h * scale)
}

type Img = CanvasImageSource & { width: number; height: number }

function drawSphere(
  ctx: Ctx,
  s: SphereLayer,
  size: number,
  images: readonly Img[],
  highlight: Hsl,
) {
  const x = s.x * size
  const y = s.y * size
  const r = s.r * size
  const lx = x + Math.cos(s.light) * r * 0.45
  const ly = y + Math.sin(s.light) * r * 0.45
  // Soft shadow below.
  const shadow = ctx.createRadialGradient(
    x + r * 0.15,
    y + r * 0.9,
    0,
    x + r * 0.15,
    y + r * 0.9,
    r * 1.1,
  )
  shadow.addColorStop(0, 'rgba(0,0,0,0.35)')
  shadow.addColorStop(1, 'rgba(0,0,0,0)')
  ctx.fillStyle = shadow
  ctx.beginPath()
  ctx.ellipse(x + r * 0.15, y + r * 0.9, r * 1.1, r * 0.35, 0, 0, Math.PI * 2)
  ctx.fill()
  // Metallic body: bright towards the light, dark core band, lit rim opposite.
  const body = ctx.createRadialGradient(lx, ly, r * 0.05, x, y, r)
  body.addColorStop(0, hsl(s.color, 1, 0.3))
  body.addColorStop(0.45, hsl(s.color, 1, 0))
  body.addColorStop(0.8, hsl(s.color, 1, -0.3))
  body.addColorStop(0.93, hsl(s.color, 1, -0.15))
  body.addColorStop(1, hsl(s.color, 1, 0.15))
  ctx.save()
  ctx.beginPath()
  ctx.arc(x, y, r, 0, Math.PI * 2)
  ctx.closePath()
  ctx.fillStyle = body
  ctx.fill()
  ctx.clip()
  // The official image reflected in the sphere: flipped, squeezed towards the rim.
  const image = images.length ? images[Math.round(s.r * 1000) % images.length]! : null
  if (image && s.reflection > 0) {
    ctx.globalAlpha = s.reflection
    ctx.globalCompositeOperation = 'overlay'
    ctx.translate(x, y)
    ctx.scale(-1, 0.8)
    drawCover(ctx, image, 0, 0, r * 2.1)
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.globalCompositeOperation = 'source-over'
    ctx.globalAlpha = 1
  }
  // Horizon band of a chrome reflection.
  const band = ctx.createLinearGradient(x, y - r, x, y + r)
  band.addColorStop(0.5, 'rgba(255,255,255,0)')
  band.addColorStop(0.56, `rgba(255,255,255,${0.25 * s.gloss})`)
  band.addColorStop(0.62, 'rgba(0,0,0,0.18)')
  band.addColorStop(1, 'rgba(0,0,0,0)')
  ctx.fillStyle = band
  ctx.fillRect(x - r, y - r, r * 2, r * 2)
  ctx.restore()
  // Specular highlight.
  const hr = r * (0.12 + 0.25 * (1 - s.gloss))
  const spec = ctx.createRadialGradient(lx, ly, 0, lx, ly, hr * 2)
  spec.addColorStop(0, hsl(highlight, 0.95))
  spec.addColorStop(0.35, hsl(highlight, 0.5 * s.gloss))
  spec.addColorStop(1, hsl(highlight, 0))
  ctx.fillStyle = spec
  ctx.beginPath()
  ctx.arc(lx, ly, hr * 2, 0, Math.PI * 2)
  ctx.fill()
}

/** Paints a plan on a square context of side `size`, over the campaign's official images. */
export function paintArtwork(ctx: Ctx, plan: ArtworkPlan, size: number, images: readonly Img[]) {
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.globalAlpha = 1
  ctx.globalCompositeOperation = 'source-over'
  const [inner, outer] = plan.palette.background
  const bg = ctx.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size * 0.75)
  bg.addColorStop(0, hsl(inner))
  bg.addColorStop(1, hsl(outer))
  ctx.fillStyle = bg
  ctx.fillRect(0, 0, size, size)

  // The official images underneath: the first in full, the rest blended over it.
  images.forEach((image, i) => {
    ctx.save()
    ctx.globalAlpha = i === 0 ? plan.image.opacity : plan.image.opacity * 0.5
    if (i > 0) ctx.globalCompositeOperation = 'soft-light'
    ctx.translate(size / 2 + plan.image.x * size, size / 2 + plan.image.y * size)
    ctx.rotate(plan.image.rotation)
    drawCover(ctx, image, 0, 0, size * plan.image.scale)
    ctx.restore()
  })

  for (const layer of plan.layers) {
    if (layer.kind === 'rings') {
      ctx.save()
      ctx.translate(layer.x * size, layer.y * size)
      ctx.rotate(layer.rotation)
      ctx.globalCompositeOperation = 'screen'
      layer.radii.forEach((radius, i) => {
        ctx.strokeStyle = hsl(layer.color, layer.alpha * (1 - i / (layer.radii.length + 2)))
        ctx.lineWidth = Math.max(1, layer.widths[i]! * size)
        ctx.beginPath()
        ctx.ellipse(0, 0, radius * size, radius * size * layer.squash, 0, 0, Math.PI * 2)
        ctx.stroke()
      })
      ctx.restore()
    } else if (layer.kind === 'orbit') {
      for (let i = 0; i < layer.count; i++) {
        const a = layer.phase + (i / layer.count) * Math.PI * 2
        const ox = (layer.x + Math.cos(a) * layer.radius) * size
        const oy = (layer.y + Math.sin(a) * layer.radius) * size
        const r = layer.size * size * (i % 4 === 0 ? 1.6 : 1)
        const g = ctx.createRadialGradient(ox - r / 3, oy - r / 3, 0, ox, oy, r)
        g.addColorStop(0, hsl(layer.color, 1))
        g.addColorStop(1, hsl(layer.color, 0.1, -0.5))
        ctx.fillStyle = g
        ctx.beginPath()
        ctx.arc(ox, oy, r, 0, Math.PI * 2)
        ctx.fill()
      }
    } else drawSphere(ctx, layer, size, images, plan.palette.highlight)
  }
}

/** Renders a plan to a new canvas of side `size` (pixels). */
export function renderArtwork(
  plan: ArtworkPlan,
  size: number,
  images: readonly Img[],
): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  paintArtwork(canvas.getContext('2d')!, plan, size, images)
  return canvas
}

/** The artwork as a PNG of side `size` (3000 for streaming services). */
export function artworkPng(plan: ArtworkPlan, size: number, images: readonly Img[]): Promise<Blob> {
  const canvas = renderArtwork(plan, size, images)
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The browser could not make a PNG.'))),
      'image/png',
    ),
  )
}

/** Loads an official image (PNG, JPEG, WebP or SVG) from the campaign's own URLs. */
export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image()
  image.decoding = 'async'
  image.src = url
  await image.decode()
  // SVGs without intrinsic size draw at 0×0; give them the artwork's square.
  if (!image.naturalWidth) image.width = image.height = 1000
  return image
}
