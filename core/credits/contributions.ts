import { DomainError } from '../errors.ts'
import { GAIN_FLOOR_DB } from '../licence/use.ts'
import { audibleFrom, usedStemsFrom } from '../recipe/audibility.ts'
import { secondsFromBeats } from '../music/part.ts'
import type { Recipe, Region } from '../recipe/schema.ts'
import type { BasisPoints, Seconds } from '../units.ts'
import { WHOLE_BPS } from './splits.ts'

/** Each heard stem's weight in a mix, in basis points summing to exactly 10 000. */
export type Contributions = Record<string, BasisPoints>

/**
 * Splits an integer `total` among keys pro rata to `weights` by largest remainder: floors first,
 * then one unit each to the largest fractional parts, ties broken by key order.
 */
export function apportion(
  weights: ReadonlyMap<string, number>,
  total: number,
): Map<string, number> {
  const keys = [...weights.keys()].sort()
  const sum = keys.reduce((s, k) => s + weights.get(k)!, 0)
  const out = new Map<string, number>()
  if (sum <= 0) {
    for (const k of keys) out.set(k, 0)
    return out
  }
  const fractions: { key: string; fraction: number }[] = []
  let given = 0
  for (const k of keys) {
    const quota = (weights.get(k)! / sum) * total
    const floor = Math.floor(quota)
    out.set(k, floor)
    given += floor
    fractions.push({ key: k, fraction: quota - floor })
  }
  fractions.sort((a, b) => b.fraction - a.fraction || (a.key < b.key ? -1 : 1))
  for (let i = 0; given < total; i = (i + 1) % fractions.length, given++) {
    const key = fractions[i]!.key
    out.set(key, out.get(key)! + 1)
  }
  return out
}

/** The area under one pass's envelope (linear fades) from its start for `heard` seconds. */
export function passWeight(
  region: Pick<Region, 'duration' | 'fadeIn' | 'fadeOut'>,
  heard: Seconds,
) {
  const { duration: d, fadeIn: fi, fadeOut: fo } = region
  const t = Math.min(Math.max(heard, 0), d)
  const rising = fi > 0 ? Math.min(t, fi) ** 2 / (2 * fi) : 0
  const flat = Math.max(0, Math.min(t, d - fo) - fi)
  const falling = Math.max(0, t - (d - fo))
  return rising + flat + (fo > 0 ? falling - falling ** 2 / (2 * fo) : 0)
}

/** Seconds-at-unity a region contributes within `length`, every loop pass counted. */
export function regionWeight(region: Region, length: Seconds): number {
  let sum = 0
  for (let k = 0; k < region.loops; k++) {
    const start = region.start + k * region.duration
    if (start >= length) break
    sum += passWeight(region, length - start)
  }
  return sum
}

/**
 * Each campaign stem's contribution to a mix: seconds audible within the recipe's length, loops
 * included, times linear amplitude (track + region + master gain), fades at their average level.
 * Muted and unsoloed tracks count nothing. A generated part counts like a track, its weight shared
 * equally by the stems it derives from. Only stems the remix uses (`usedStemsFrom`, the licence's
 * rule) are credited; when it uses none, which a licence without a minimum allows, every stem
 * heard shares the credit, since the export is made of them. Throws when nothing is heard.
 */
export function contributionsFrom(recipe: Recipe, stems: readonly { id: string }[]): Contributions {
  const known = new Set(stems.map((s) => s.id))
  const audible = audibleFrom(recipe.tracks)
  const weights = new Map<string, number>()
  recipe.tracks.forEach((track, i) => {
    if (!audible[i] || !known.has(track.stem)) return
    for (const region of track.regions) {
      const db = recipe.master.gainDb + track.gainDb + region.gainDb
      if (db <= GAIN_FLOOR_DB) continue
      const weight = regionWeight(region, recipe.length) * 10 ** (db / 20)
      if (weight > 0) weights.set(track.stem, (weights.get(track.stem) ?? 0) + weight)
    }
  })
  for (const [stem, weight] of generatedWeights(recipe, known)) {
    weights.set(stem, (weights.get(stem) ?? 0) + weight)
  }
  if (weights.size === 0)
    throw new DomainError('bad_request', 'Nothing in this remix is heard, so it credits no stem.')
  const used = usedStemsFrom(recipe, stems)
  const credited = [...weights].filter(([stem]) => used.has(stem))
  return Object.fromEntries(apportion(credited.length ? new Map(credited) : weights, WHOLE_BPS))
}

/**
 * Seconds-at-unity each generated part adds, shared equally by its campaign source stems: the time
 * any of its notes sounds within the recipe's length. Silent when muted or when a track is soloed.
 */
export function generatedWeights(recipe: Recipe, known: ReadonlySet<string>): Map<string, number> {
  const weights = new Map<string, number>()
  if (recipe.tracks.some((t) => t.soloed)) return weights
  for (const part of recipe.generatedParts) {
    const db = recipe.master.gainDb + part.gainDb
    const sources = part.sourceStems.filter((s) => known.has(s))
    if (part.muted || db <= GAIN_FLOOR_DB || sources.length === 0) continue
    const spans = part.notes
      .map((n) => [n.time, n.time + n.duration].map((b) => secondsFromBeats(b, recipe.tempo)))
      .sort((a, b) => a[0]! - b[0]!)
    let heard = 0
    let reach = 0
    for (const [from, to] of spans) {
      const start = Math.max(from!, reach)
      const end = Math.min(to!, recipe.length)
      if (end > start) heard += end - start
      reach = Math.max(reach, to!)
    }
    const share = (heard * 10 ** (db / 20)) / sources.length
    if (share > 0) for (const s of sources) weights.set(s, (weights.get(s) ?? 0) + share)
  }
  return weights
}
