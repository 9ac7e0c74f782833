import { halve, type RgbaImage } from './image.ts'
import type { ArtworkPlan, Hsl, OrbitLayer, RingsLayer, SphereLayer } from './plan.ts'

/**
 * The artwork rasterizer: paints a plan into 8-bit RGBA over typed arrays, the one implementation
 * the worker renders covers with and the studio previews with (its pixels go into a canvas).
 *
 * Deterministic by construction: per pixel it uses only +, −, ×, ÷, √ and rounding (exact in IEEE
 * arithmetic on every engine); sines and cosines are taken once per shape. The same plan and the
 * same decoded images give the same pixels, in Node, workerd and the browser.
 *
 * Shapes are anti-aliased by their distance to the edge; gradients are interpolated in premultiplied
 * RGB; blend modes follow the W3C compositing formulas over the (always opaque) canvas.
 */

/** A decoded official image prepared for sampling at any scale: itself and its halvings. */
export type ArtworkSource = { readonly mips: readonly RgbaImage[] }

/** Prepares a decoded official image for the rasterizer (once per image; it can be reused). */
export function artworkSource(image: RgbaImage): ArtworkSource {
  const mips = [image]
  while (Math.min(mips[mips.length - 1]!.width, mips[mips.length - 1]!.height) > 1)
    mips.push(halve(mips[mips.length - 1]!))
  return { mips }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v)

/** An HSL colour (lightness shifted by `dl`) as RGB on the 0…255 scale. */
export function hslToRgb({ h, s, l }: Hsl, dl = 0): [number, number, number] {
  const L = clamp01(l + dl)
  const S = clamp01(s)
  const q = L < 0.5 ? L * (1 + S) : L + S - L * S
  const p = 2 * L - q
  const hue = (((h % 360) + 360) % 360) / 360
  const channel = (t: number) => {
    if (t < 0) t += 1
    if (t > 1) t -= 1
    if (t < 1 / 6) return p + (q - p) * 6 * t
    if (t < 1 / 2) return q
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6
    return p
  }
  return [channel(hue + 1 / 3) * 255, channel(hue) * 255, channel(hue - 1 / 3) * 255]
}

type Stop = { at: number; rgb: readonly [number, number, number]; alpha: number }

/** Entries of a gradient's lookup table (t quantized to 1/1023). */
const LUT = 1024

/** A gradient's premultiplied colour (0…255) and alpha (0…1) at LUT steps of t, padded at both ends. */
function gradient(stops: readonly Stop[]): Float64Array {
  const lut = new Float64Array(LUT * 4)
  for (let i = 0; i < LUT; i++) {
    const t = i / (LUT - 1)
    let j = 0
    while (j < stops.length - 1 && stops[j + 1]!.at <= t) j++
    const a = stops[j]!
    const b = stops[Math.min(stops.length - 1, j + 1)]!
    const f = t <= a.at ? 0 : b.at > a.at ? clamp01((t - a.at) / (b.at - a.at)) : 1
    const alpha = a.alpha + (b.alpha - a.alpha) * f
    for (let c = 0; c < 3; c++)
      lut[i * 4 + c] = a.rgb[c]! * a.alpha + (b.rgb[c]! * b.alpha - a.rgb[c]! * a.alpha) * f
    lut[i * 4 + 3] = alpha
  }
  return lut
}

const lutIndex = (t: number) => (t <= 0 ? 0 : t >= 1 ? LUT - 1 : Math.round(t * (LUT - 1))) * 4

const BLACK = [0, 0, 0] as const
const WHITE = [255, 255, 255] as const

/** 4×4 ordered dither, in fractions of one 8-bit step centred on zero (against gradient banding). */
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map(
  (v) => (v + 0.5) / 16 - 0.5,
)

/**
 * The circle parameter t of a two-point radial gradient (circles from (fx, fy) radius r0 to
 * (cx, cy) radius r1) at point (px, py): the largest t whose circle passes through the point.
 */
function radialT(
  px: number,
  py: number,
  fx: number,
  fy: number,
  r0: number,
  dx: number,
  dy: number,
  dr: number,
  a: number,
): number {
  const qx = px - fx
  const qy = py - fy
  const b = qx * dx + qy * dy + r0 * dr
  const c = qx * qx + qy * qy - r0 * r0
  if (a === 0) return b === 0 ? 0 : c / (2 * b)
  const disc = b * b - a * c
  if (disc < 0) return 0
  const root = Math.sqrt(disc)
  const t1 = (b + root) / a
  const t2 = (b - root) / a
  const t = t1 > t2 ? t1 : t2
  return r0 + t * dr >= 0 ? t : t1 > t2 ? t2 : t1
}

/** Bilinear, premultiplied sample of an image at (u, v) in its pixels; writes [r, g, b, a] (0…255, 0…1). */
function sample(image: RgbaImage, u: number, v: number, out: Float64Array): void {
  const w = image.width
  const h = image.height
  const d = image.data
  let x = u - 0.5
  let y = v - 0.5
  if (x < 0) x = 0
  else if (x > w - 1) x = w - 1
  if (y < 0) y = 0
  else if (y > h - 1) y = h - 1
  const x0 = Math.floor(x)
  const y0 = Math.floor(y)
  const x1 = x0 + 1 < w ? x0 + 1 : x0
  const y1 = y0 + 1 < h ? y0 + 1 : y0
  const fx = x - x0
  const fy = y - y0
  const i00 = (y0 * w + x0) * 4
  const i01 = (y0 * w + x1) * 4
  const i10 = (y1 * w + x0) * 4
  const i11 = (y1 * w + x1) * 4
  const w00 = (1 - fx) * (1 - fy) * (d[i00 + 3]! / 255)
  const w01 = fx * (1 - fy) * (d[i01 + 3]! / 255)
  const w10 = (1 - fx) * fy * (d[i10 + 3]! / 255)
  const w11 = fx * fy * (d[i11 + 3]! / 255)
  out[0] = d[i00]! * w00 + d[i01]! * w01 + d[i10]! * w10 + d[i11]! * w11
  out[1] = d[i00 + 1]! * w00 + d[i01 + 1]! * w01 + d[i10 + 1]! * w10 + d[i11 + 1]! * w11
  out[2] = d[i00 + 2]! * w00 + d[i01 + 2]! * w01 + d[i10 + 2]! * w10 + d[i11 + 2]! * w11
  out[3] = w00 + w01 + w10 + w11
}

/** The level of a source to sample when one of its level-0 pixels covers `scale` output pixels. */
function mipFor(source: ArtworkSource, side: number): RgbaImage {
  let level = 0
  const mips = source.mips
  while (
    level + 1 < mips.length &&
    side / Math.min(mips[level + 1]!.width, mips[level + 1]!.height) <= 1
  )
    level++
  return mips[level]!
}

// Separable W3C blend functions on 0…1 values.
const overlay = (b: number, s: number) => (b <= 0.5 ? 2 * b * s : 1 - 2 * (1 - b) * (1 - s))
const softLight = (b: number, s: number) => {
  if (s <= 0.5) return b - (1 - 2 * s) * b * (1 - b)
  const d = b <= 0.25 ? ((16 * b - 12) * b + 4) * b : Math.sqrt(b)
  return b + (2 * s - 1) * (d - b)
}

/** The horizontal span [x0, x1] of row centre y inside a circle grown by one pixel, or null. */
function circleSpan(cx: number, cy: number, r: number, py: number, size: number) {
  const dy = py - cy
  const reach = r + 1
  const h2 = reach * reach - dy * dy
  if (h2 <= 0) return null
  const half = Math.sqrt(h2)
  const x0 = Math.max(0, Math.floor(cx - half))
  const x1 = Math.min(size - 1, Math.ceil(cx + half))
  return x0 <= x1 ? ([x0, x1] as const) : null
}

/** The X interval (relative to the centre) of row offset Y inside an ellipse rotated by (c, s). */
function ellipseInterval(A: number, B: number, c: number, s: number, Y: number) {
  if (A <= 0 || B <= 0) return null
  const ia = 1 / (A * A)
  const ib = 1 / (B * B)
  const qa = c * c * ia + s * s * ib
  const qb = 2 * Y * c * s * (ia - ib)
  const qc = Y * Y * (s * s * ia + c * c * ib) - 1
  const disc = qb * qb - 4 * qa * qc
  if (disc < 0) return null
  const root = Math.sqrt(disc)
  return [(-qb - root) / (2 * qa), (-qb + root) / (2 * qa)] as const
}

class Painter {
  readonly data: Uint8ClampedArray
  readonly size: number
  private readonly px = new Float64Array(4)

  constructor(size: number) {
    this.size = size
    this.data = new Uint8ClampedArray(size * size * 4)
  }

  background(plan: ArtworkPlan) {
    const { size, data } = this
    const [inner, outer] = plan.palette.background
    const lut = gradient([
      { at: 0, rgb: hslToRgb(inner), alpha: 1 },
      { at: 1, rgb: hslToRgb(outer), alpha: 1 },
    ])
    const c = size / 2
    const reach = size * 0.75
    for (let y = 0; y < size; y++) {
      const dy = y + 0.5 - c
      for (let x = 0; x < size; x++) {
        const dx = x + 0.5 - c
        const i = lutIndex(Math.sqrt(dx * dx + dy * dy) / reach)
        const dither = BAYER[((y & 3) << 2) | (x & 3)]!
        const o = (y * size + x) * 4
        data[o] = lut[i]! + dither
        data[o + 1] = lut[i + 1]! + dither
        data[o + 2] = lut[i + 2]! + dither
        data[o + 3] = 255
      }
    }
  }

  /** An official image covering the square (scaled, rotated, offset by the plan). */
  image(plan: ArtworkPlan, source: ArtworkSource, first: boolean) {
    const { size, data, px } = this
    const alpha = first ? plan.image.opacity : plan.image.opacity * 0.5
    if (alpha <= 0) return
    const side = size * plan.image.scale
    const image = mipFor(source, side)
    const w = image.width
    const h = image.height
    const k = side / Math.min(w, h) // output pixels per image pixel
    const cx = size / 2 + plan.image.x * size
    const cy = size / 2 + plan.image.y * size
    const cos = Math.cos(plan.image.rotation)
    const sin = Math.sin(plan.image.rotation)
    const du = cos / k
    const dv = -sin / k
    for (let y = 0; y < size; y++) {
      const Y = y + 0.5 - cy
      const X0 = 0.5 - cx
      let u = (cos * X0 + sin * Y) / k + w / 2
      let v = (-sin * X0 + cos * Y) / k + h / 2
      for (let x = 0; x < size; x++, u += du, v += dv) {
        const edge = Math.min(u, w - u, v, h - v) * k + 0.5
        if (edge <= 0) continue
        sample(image, u, v, px)
        const sa = px[3]! * (edge < 1 ? edge : 1) * alpha
        if (sa <= 0) continue
        const o = (y * size + x) * 4
        if (first) {
          const f = edge < 1 ? edge * alpha : alpha
          for (let ch = 0; ch < 3; ch++) data[o + ch] = data[o + ch]! * (1 - sa) + px[ch]! * f
        } else {
          const inv = 1 / (px[3]! * 255)
          for (let ch = 0; ch < 3; ch++) {
            const b = data[o + ch]! / 255
            data[o + ch] = (b + sa * (softLight(b, px[ch]! * inv) - b)) * 255
          }
        }
      }
    }
  }

  rings(layer: RingsLayer) {
    const { size, data } = this
    const cx = layer.x * size
    const cy = layer.y * size
    const c = Math.cos(layer.rotation)
    const s = Math.sin(layer.rotation)
    const [cr, cg, cb] = hslToRgb(layer.color)
    const n = layer.radii.length
    for (let i = 0; i < n; i++) {
      const a = layer.radii[i]! * size
      const b = a * layer.squash
      const half = Math.max(1, layer.widths[i]! * size) / 2
      const alpha = layer.alpha * (1 - i / (n + 2))
      const ia2 = 1 / (a * a)
      const ib2 = 1 / (b * b)
      const reach = half + 1.5
      const outerR = Math.max(a, b) + reach
      const y0 = Math.max(0, Math.floor(cy - outerR))
      const y1 = Math.min(size - 1, Math.ceil(cy + outerR))
      for (let y = y0; y <= y1; y++) {
        const Y = y + 0.5 - cy
        const outer = ellipseInterval(a + reach, b + reach, c, s, Y)
        if (!outer) continue
        const inner = ellipseInterval(a - reach, b - reach, c, s, Y)
        const spans = inner ? [outer[0], inner[0], inner[1], outer[1]] : [outer[0], outer[1]]
        for (let k = 0; k < spans.length; k += 2) {
          const xa = Math.max(0, Math.floor(cx + spans[k]! - 0.5))
          const xb = Math.min(size - 1, Math.ceil(cx + spans[k + 1]! - 0.5))
          for (let x = xa; x <= xb; x++) {
            const X = x + 0.5 - cx
            const xr = c * X + s * Y
            const yr = -s * X + c * Y
            const f = Math.sqrt(xr * xr * ia2 + yr * yr * ib2)
            const gx = xr * ia2
            const gy = yr * ib2
            const g = Math.sqrt(gx * gx + gy * gy)
            const d = g > 0 ? ((f - 1) * f) / g : a
            const cov = half + 0.5 - (d < 0 ? -d : d)
            if (cov <= 0) continue
            const k2 = alpha * (cov > 1 ? 1 : cov)
            const o = (y * size + x) * 4
            // Screen: B = Cb + Cs − Cb·Cs.
            data[o] = data[o]! + k2 * cr * (1 - data[o]! / 255)
            data[o + 1] = data[o + 1]! + k2 * cg * (1 - data[o + 1]! / 255)
            data[o + 2] = data[o + 2]! + k2 * cb * (1 - data[o + 2]! / 255)
          }
        }
      }
    }
  }

  /** A filled disc with a two-point radial gradient, composited source-over. */
  private disc(
    cx: number,
    cy: number,
    r: number,
    lut: Float64Array,
    fx: number,
    fy: number,
    r0: number,
    gx: number,
    gy: number,
    r1: number,
  ) {
    const { size, data } = this
    const dx = gx - fx
    const dy = gy - fy
    const dr = r1 - r0
    const qa = dx * dx + dy * dy - dr * dr
    const y0 = Math.max(0, Math.floor(cy - r - 1))
    const y1 = Math.min(size - 1, Math.ceil(cy + r + 1))
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5
      const span = circleSpan(cx, cy, r, py, size)
      if (!span) continue
      for (let x = span[0]; x <= span[1]; x++) {
        const px = x + 0.5
        const ex = px - cx
        const ey = py - cy
        const cov = r - Math.sqrt(ex * ex + ey * ey) + 0.5
        if (cov <= 0) continue
        const i = lutIndex(radialT(px, py, fx, fy, r0, dx, dy, dr, qa))
        const c = cov > 1 ? 1 : cov
        const k = lut[i + 3]! * c
        if (k <= 0) continue
        const o = (y * size + x) * 4
        data[o] = data[o]! * (1 - k) + lut[i]! * c
        data[o + 1] = data[o + 1]! * (1 - k) + lut[i + 1]! * c
        data[o + 2] = data[o + 2]! * (1 - k) + lut[i + 2]! * c
      }
    }
  }

  orbit(layer: OrbitLayer) {
    const { size } = this
    const lut = gradient([
      { at: 0, rgb: hslToRgb(layer.color), alpha: 1 },
      { at: 1, rgb: hslToRgb(layer.color, -0.5), alpha: 0.1 },
    ])
    for (let i = 0; i < layer.count; i++) {
      const a = layer.phase + (i / layer.count) * Math.PI * 2
      const ox = (layer.x + Math.cos(a) * layer.radius) * size
      const oy = (layer.y + Math.sin(a) * layer.radius) * size
      const r = layer.size * size * (i % 4 === 0 ? 1.6 : 1)
      this.disc(ox, oy, r, lut, ox - r / 3, oy - r / 3, 0, ox, oy, r)
    }
  }

  sphere(s: SphereLayer, sources: readonly ArtworkSource[], highlight: Hsl) {
    const { size, data, px: got } = this
    const x = s.x * size
    const y = s.y * size
    const r = s.r * size
    if (r <= 0) return
    const lx = x + Math.cos(s.light) * r * 0.45
    const ly = y + Math.sin(s.light) * r * 0.45

    // A soft elliptical shadow below.
    const sx = x + r * 0.15
    const sy = y + r * 0.9
    const A = r * 1.1
    const B = r * 0.35
    const shadowAlpha = (t: number) => 0.35 * (1 - clamp01(t))
    for (let yy = Math.max(0, Math.floor(sy - B - 1)); yy <= Math.min(size - 1, sy + B + 1); yy++) {
      const Y = yy + 0.5 - sy
      const span = ellipseInterval(A + 1, B + 1, 1, 0, Y)
      if (!span) continue
      const xa = Math.max(0, Math.floor(sx + span[0] - 0.5))
      const xb = Math.min(size - 1, Math.ceil(sx + span[1] - 0.5))
      for (let xx = xa; xx <= xb; xx++) {
        const X = xx + 0.5 - sx
        const f = Math.sqrt((X * X) / (A * A) + (Y * Y) / (B * B))
        const gx = X / (A * A)
        const gy = Y / (B * B)
        const g = Math.sqrt(gx * gx + gy * gy)
        const d = g > 0 ? ((f - 1) * f) / g : -B
        const cov = 0.5 - d
        if (cov <= 0) continue
        const k = shadowAlpha(Math.sqrt(X * X + Y * Y) / A) * (cov > 1 ? 1 : cov)
        const o = (yy * size + xx) * 4
        data[o] = data[o]! * (1 - k)
        data[o + 1] = data[o + 1]! * (1 - k)
        data[o + 2] = data[o + 2]! * (1 - k)
      }
    }

    // The metallic body: bright towards the light, a dark core band, a lit rim opposite; inside
    // it the official image reflected (flipped, squeezed) and the horizon band of a chrome ball.
    const body = gradient([
      { at: 0, rgb: hslToRgb(s.color, 0.3), alpha: 1 },
      { at: 0.45, rgb: hslToRgb(s.color, 0), alpha: 1 },
      { at: 0.8, rgb: hslToRgb(s.color, -0.3), alpha: 1 },
      { at: 0.93, rgb: hslToRgb(s.color, -0.15), alpha: 1 },
      { at: 1, rgb: hslToRgb(s.color, 0.15), alpha: 1 },
    ])
    const band = gradient([
      { at: 0, rgb: WHITE, alpha: 0 },
      { at: 0.5, rgb: WHITE, alpha: 0 },
      { at: 0.56, rgb: WHITE, alpha: 0.25 * s.gloss },
      { at: 0.62, rgb: BLACK, alpha: 0.18 },
      { at: 1, rgb: BLACK, alpha: 0 },
    ])
    const r0 = r * 0.05
    const gdx = x - lx
    const gdy = y - ly
    const gdr = r - r0
    const qa = gdx * gdx + gdy * gdy - gdr * gdr
    const source =
      sources.length && s.reflection > 0 ? sources[Math.round(s.r * 1000) % sources.length]! : null
    const mirror = source ? mipFor(source, r * 2.1 * 0.8) : null
    const k = mirror ? (r * 2.1) / Math.min(mirror.width, mirror.height) : 1
    for (let yy = Math.max(0, Math.floor(y - r - 1)); yy <= Math.min(size - 1, y + r + 1); yy++) {
      const py = yy + 0.5
      const span = circleSpan(x, y, r, py, size)
      if (!span) continue
      const bi = lutIndex((py - (y - r)) / (2 * r))
      for (let xx = span[0]; xx <= span[1]; xx++) {
        const pxx = xx + 0.5
        const ex = pxx - x
        const ey = py - y
        const edge = r - Math.sqrt(ex * ex + ey * ey) + 0.5
        if (edge <= 0) continue
        const cov = edge > 1 ? 1 : edge
        const o = (yy * size + xx) * 4
        const i = lutIndex(radialT(pxx, py, lx, ly, r0, gdx, gdy, gdr, qa))
        let cr = data[o]! + (body[i]! - data[o]!) * cov
        let cg = data[o + 1]! + (body[i + 1]! - data[o + 1]!) * cov
        let cb = data[o + 2]! + (body[i + 2]! - data[o + 2]!) * cov
        if (mirror) {
          const u = -ex / k + mirror.width / 2
          const v = ey / 0.8 / k + mirror.height / 2
          sample(mirror, u, v, got)
          const a = s.reflection * got[3]! * cov
          if (a > 0) {
            const inv = 1 / (got[3]! * 255)
            cr += a * (overlay(cr / 255, got[0]! * inv) * 255 - cr)
            cg += a * (overlay(cg / 255, got[1]! * inv) * 255 - cg)
            cb += a * (overlay(cb / 255, got[2]! * inv) * 255 - cb)
          }
        }
        const ba = band[bi + 3]! * cov
        if (ba > 0) {
          cr = cr * (1 - ba) + band[bi]! * cov
          cg = cg * (1 - ba) + band[bi + 1]! * cov
          cb = cb * (1 - ba) + band[bi + 2]! * cov
        }
        data[o] = cr
        data[o + 1] = cg
        data[o + 2] = cb
      }
    }

    // The specular highlight.
    const hr = r * (0.12 + 0.25 * (1 - s.gloss)) * 2
    const spec = gradient([
      { at: 0, rgb: hslToRgb(highlight), alpha: 0.95 },
      { at: 0.35, rgb: hslToRgb(highlight), alpha: 0.5 * s.gloss },
      { at: 1, rgb: hslToRgb(highlight), alpha: 0 },
    ])
    this.disc(lx, ly, hr, spec, lx, ly, 0, lx, ly, hr)
  }
}

/** The largest side the rasterizer paints (the download size). */
export const MAX_RASTER_SIZE = 3000

/**
 * Paints a plan on a square of side `size` pixels over the campaign's official images (in the
 * plan's order): the background, the first image in full and the rest soft-lit over it, then the
 * rings, the orbit and the spheres. Opaque RGBA; the same inputs always give the same pixels.
 */
export function rasterizeArtwork(
  plan: ArtworkPlan,
  size: number,
  sources: readonly ArtworkSource[],
): RgbaImage {
  if (!Number.isInteger(size) || size < 1 || size > MAX_RASTER_SIZE)
    throw new RangeError(`An artwork is 1 to ${MAX_RASTER_SIZE} pixels wide, not ${size}.`)
  const painter = new Painter(size)
  painter.background(plan)
  sources.forEach((source, i) => painter.image(plan, source, i === 0))
  for (const layer of plan.layers)
    if (layer.kind === 'rings') painter.rings(layer)
    else if (layer.kind === 'orbit') painter.orbit(layer)
    else painter.sphere(layer, sources, plan.palette.highlight)
  return { width: size, height: size, data: painter.data }
}
