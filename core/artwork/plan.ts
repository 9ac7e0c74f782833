import { DomainError } from '../errors.ts'
import { wordsEffect } from './words.ts'
import { seededRandom } from '../lib/random.ts'

/** The tool name and version recorded in the recipe's AI actions. */
export const ARTWORK_TOOL = 'stemfair-artwork'
export const ARTWORK_VERSION = '2.0.0'

/** The size streaming services ask for, and the largest artwork a remix may carry. */
export const ARTWORK_SIZE = 3000

/** A colour as hue (degrees), saturation and lightness (0…1). */
export type Hsl = { h: number; s: number; l: number }

export type ArtworkPalette = {
  /** Background gradient, centre then edge. */
  background: [Hsl, Hsl]
  /** Sphere body colours, picked from in turn. */
  spheres: Hsl[]
  rings: Hsl
  highlight: Hsl
}

/** Positions and sizes are fractions of the square's side, so a plan renders at any size. */
export type SphereLayer = {
  kind: 'sphere'
  x: number
  y: number
  r: number
  color: Hsl
  /** 0…1: how sharp and bright the specular highlight is. */
  gloss: number
  /** 0…1: how strongly the official image shows reflected in the sphere. */
  reflection: number
  /** Highlight direction (radians). */
  light: number
}
export type RingsLayer = {
  kind: 'rings'
  x: number
  y: number
  /** One ring per section of the music, inner = earliest. */
  radii: number[]
  widths: number[]
  color: Hsl
  alpha: number
  /** Squash of the rings (1 = circles), for motion. */
  squash: number
  rotation: number
}
export type OrbitLayer = {
  kind: 'orbit'
  x: number
  y: number
  radius: number
  /** Small orbs on the ring: one per beat of a bar or more. */
  count: number
  size: number
  phase: number
  color: Hsl
}
export type ArtworkLayer = SphereLayer | RingsLayer | OrbitLayer

export type ArtworkPlan = {
  version: 1
  seed: number
  palette: ArtworkPalette
  /** How the official image sits underneath. */
  image: { opacity: number; scale: number; rotation: number; x: number; y: number }
  layers: ArtworkLayer[]
  params: {
    tempo: number
    key: string | null
    energy: number
    motion: number
    density: number
    warmth: number
    words: string[]
  }
}

/** What the plan is made from: the music's features, the fan's words and a seed. */
export type ArtworkInput = {
  tempo: number | null
  key: string | null
  /** Sections of the music in time order (from the campaign's analysis). */
  sections: readonly { start: number; end: number; label: string }[]
  /** Energy per section, 0…1 (see `energyCurve`); flat when absent. */
  energy?: readonly number[]
  words: string
  seed: number
}

export const MAX_SEED = 0xffffffff
export const MAX_WORDS_LENGTH = 500

/** Where each pitch class sits on the circle of fifths, 0…11 from C. */
const FIFTHS: Record<string, number> = {
  C: 0, G: 1, D: 2, A: 3, E: 4, B: 5, 'F#': 6, Gb: 6, 'C#': 7, Db: 7, 'G#': 8, Ab: 8,
  'D#': 9, Eb: 9, 'A#': 10, Bb: 10, F: 11, 'E#': 11, Cb: 5, 'B#': 0, Fb: 4,
} // prettier-ignore

/** A key's place on the circle of fifths (minor keys at their relative major) and its mode. */
export function keyPosition(key: string | null): { fifths: number; minor: boolean } | null {
  const m = key?.trim().match(/^([A-G](?:#|b)?)\s*(major|minor|maj|min|m)?$/i)
  if (!m) return null
  const tonic = m[1]![0]!.toUpperCase() + m[1]!.slice(1)
  const pos = FIFTHS[tonic]
  if (pos === undefined) return null
  const minor = /^(minor|min|m)$/i.test(m[2] ?? '')
  // A minor key sits with its relative major, three steps anticlockwise (A minor → C).
  return { fifths: minor ? (pos + 9) % 12 : pos, minor }
}

/**
 * The palette of a key: its place on the circle of fifths sets the hue (30° a step, so neighbouring
 * keys get neighbouring colours); major keys are warmer and more saturated, minor cooler and darker.
 * No key (unpitched music) gives a near-silver palette.
 */
export function keyPalette(key: string | null): {
  hue: number
  saturation: number
  lightness: number
} {
  const pos = keyPosition(key)
  if (!pos) return { hue: 210, saturation: 0.12, lightness: 0.5 }
  const hue = (pos.fifths * 30 + (pos.minor ? 200 : 20)) % 360
  return pos.minor
    ? { hue, saturation: 0.5, lightness: 0.38 }
    : { hue, saturation: 0.72, lightness: 0.52 }
}

/**
 * Energy per section, 0…1: the share of stems active in its bars (from per-stem activity), or
 * when nothing is known, a gentle arc that peaks two-thirds in.
 */
export function energyCurve(
  sections: readonly { startBar?: number; endBar?: number; start: number; end: number }[],
  activity?: readonly (readonly { startBar: number; endBar: number }[])[],
): number[] {
  if (sections.length === 0) return []
  if (activity && activity.length > 0)
    return sections.map((s) => {
      const a = s.startBar ?? 0
      const b = Math.max(a + 1, s.endBar ?? a + 1)
      let active = 0
      for (const ranges of activity)
        for (const r of ranges)
          active += Math.max(0, Math.min(b, r.endBar) - Math.max(a, r.startBar))
      return Math.min(1, active / ((b - a) * activity.length))
    })
  const total = sections[sections.length - 1]!.end || 1
  return sections.map((s) => {
    const t = (s.start + s.end) / 2 / total
    return 0.35 + 0.6 * Math.sin(Math.PI * Math.min(1, t * 0.75 + 0.1))
  })
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v))
const wrap = (h: number) => ((h % 360) + 360) % 360
const round = (v: number) => Math.round(v * 1e4) / 1e4

/** Moves hue `from` towards `to` by `amount` (0…1) the short way round. */
function pullHue(from: number, to: number, amount: number): number {
  const d = ((to - from + 540) % 360) - 180
  return wrap(from + d * amount)
}

/** The deterministic plan of one artwork: the same inputs give the same plan. */
export function planArtwork(input: ArtworkInput): ArtworkPlan {
  if (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > MAX_SEED)
    throw new DomainError('bad_request', `A seed is a whole number from 0 to ${MAX_SEED}.`)
  if (input.words.length > MAX_WORDS_LENGTH)
    throw new DomainError('bad_request', `Describe it in at most ${MAX_WORDS_LENGTH} characters.`)
  const rand = seededRandom(input.seed)
  const between = (a: number, b: number) => a + (b - a) * rand()
  const words = wordsEffect(input.words)
  const base = keyPalette(input.key)
  const tempo = input.tempo && input.tempo > 0 ? input.tempo : 100
  const energies =
    input.energy && input.energy.length === input.sections.length
      ? input.energy.map(clamp01)
      : energyCurve(input.sections)
  const energy = energies.length ? energies.reduce((a, b) => a + b, 0) / energies.length : 0.5
  const warmth = words.warmth
  // Warm words pull towards orange, cool words towards blue; colour words pull harder.
  let hue = base.hue
  if (warmth !== 0) hue = pullHue(hue, warmth > 0 ? 30 : 215, Math.abs(warmth) * 0.45)
  if (words.hue !== null) hue = pullHue(hue, words.hue, 0.75)
  const saturation = clamp01(base.saturation + words.saturation * 0.35 + (energy - 0.5) * 0.2)
  const lightness = Math.max(0.12, Math.min(0.85, base.lightness + words.lightness * 0.25))
  const motion = clamp01(0.2 + (tempo - 60) / 240 + words.motion * 0.5 + (energy - 0.5) * 0.3)
  const density = clamp01(0.45 + words.density * 0.45 + (energy - 0.5) * 0.4)

  const harmony = [0, 30, -30, 180, 150, -150]
  const spheres: Hsl[] = harmony.map((d, i) => ({
    h: round(wrap(hue + d + between(-8, 8))),
    s: round(clamp01(saturation * (i < 3 ? 1 : 0.8))),
    l: round(Math.max(0.15, Math.min(0.8, lightness + between(-0.12, 0.12)))),
  }))
  const palette: ArtworkPalette = {
    background: [
      { h: round(hue), s: round(saturation * 0.6), l: round(lightness * 0.55) },
      { h: round(wrap(hue + 200)), s: round(saturation * 0.5), l: round(lightness * 0.2) },
    ],
    spheres,
    rings: {
      h: round(wrap(hue + 180)),
      s: round(clamp01(saturation + 0.1)),
      l: round(clamp01(lightness + 0.2)),
    },
    highlight: { h: round(wrap(hue + 40)), s: 0.3, l: 0.96 },
  }

  const layers: ArtworkLayer[] = []
  const cx = round(between(0.35, 0.65))
  const cy = round(between(0.35, 0.65))
  const count = Math.max(1, input.sections.length)
  const radii: number[] = []
  const widths: number[] = []
  for (let i = 0; i < count; i++) {
    radii.push(round(0.12 + (0.55 * (i + 1)) / count))
    widths.push(round(0.004 + 0.02 * (energies[i] ?? energy)))
  }
  layers.push({
    kind: 'rings',
    x: cx,
    y: cy,
    radii,
    widths,
    color: palette.rings,
    alpha: round(0.25 + 0.5 * energy),
    squash: round(1 - motion * 0.45),
    rotation: round(between(0, Math.PI)),
  })
  const beats = Math.max(4, Math.round(tempo / 30) * 2)
  layers.push({
    kind: 'orbit',
    x: cx,
    y: cy,
    radius: round(radii[Math.floor(count / 2)] ?? 0.3),
    count: beats,
    size: round(0.006 + 0.012 * energy),
    phase: round(between(0, Math.PI * 2)),
    color: palette.highlight,
  })
  // One hero sphere near the rings' centre, then smaller ones scattered, larger ones first.
  const n = Math.round(3 + density * 15)
  const placed: SphereLayer[] = []
  for (let i = 0; i < n; i++) {
    const hero = i === 0
    const r = hero ? between(0.16, 0.24) : between(0.02, 0.11) * (1 - (i / n) * 0.5)
    const angle = between(0, Math.PI * 2)
    const dist = hero ? between(0, 0.05) : between(0.15, 0.55)
    placed.push({
      kind: 'sphere',
      x: round(clamp01(cx + Math.cos(angle) * dist)),
      y: round(clamp01(cy + Math.sin(angle) * dist * (1 - motion * 0.3))),
      r: round(r),
      color: spheres[i % spheres.length]!,
      gloss: round(clamp01(0.55 + between(0, 0.45))),
      reflection: round(hero ? 0.6 : between(0.1, 0.45)),
      light: round(-Math.PI * 0.7 + between(-0.3, 0.3)),
    })
  }
  placed.sort((a, b) => b.r - a.r)
  layers.push(...placed)

  return {
    version: 1,
    seed: input.seed,
    palette,
    image: {
      opacity: round(0.35 + 0.4 * (1 - density)),
      scale: round(1 + motion * 0.25),
      rotation: round(between(-0.15, 0.15) * motion),
      x: round(between(-0.05, 0.05)),
      y: round(between(-0.05, 0.05)),
    },
    layers,
    params: {
      tempo,
      key: input.key,
      energy: round(energy),
      motion: round(motion),
      density: round(density),
      warmth: round(warmth),
      words: words.words,
    },
  }
}
