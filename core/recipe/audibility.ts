import { secondsFromBeats } from '../music/part.ts'
import type { Decibels, Seconds } from '../units.ts'
import type { Recipe, Region } from './schema.ts'

/** A track's mute and solo switches. */
export type MuteSolo = { muted: boolean; soloed: boolean }

/**
 * Which tracks are heard: when any track is soloed only soloed tracks play; a muted track never
 * plays, soloed or not.
 */
export function audibleFrom(tracks: readonly MuteSolo[]): boolean[] {
  const anySolo = tracks.some((t) => t.soloed)
  return tracks.map((t) => !t.muted && (!anySolo || t.soloed))
}
/** Whether generated parts are heard: unmuted, and no track soloed (a solo is for the stems). */
export function partsAudible(recipe: {
  tracks: readonly { soloed: boolean }[]
  generatedParts: readonly { muted: boolean }[]
}): boolean[] {
  const solo = recipe.tracks.some((t) => t.soloed)
  return recipe.generatedParts.map((p) => !p.muted && !solo)
}

/** The level a stem must pass, after every gain and fade, to count as heard in a mix. */
export const AUDIBLE_FLOOR_DB: Decibels = -40

/** How long a stem must be heard above the floor to count as used: 8 s, or 10 % of a shorter remix. */
export function useSecondsFor(length: Seconds): Seconds {
  return Math.min(8, 0.1 * length)
}

/** A stretch of the timeline, [from, to). */
export type Span = [from: Seconds, to: Seconds]

/**
 * Where a region is heard above the floor at `db` (master + track + region gain), every loop pass
 * cut at `length`. Fades are linear in amplitude (as `core/render` plays them), so a pass is heard
 * from where its fade-in reaches the floor to where its fade-out falls back to it.
 */
export function regionSpans(region: Region, db: Decibels, length: Seconds): Span[] {
  if (db <= AUDIBLE_FLOOR_DB) return []
  const floor = 10 ** ((AUDIBLE_FLOOR_DB - db) / 20) // the envelope level that meets the floor
  const spans: Span[] = []
  for (let k = 0; k < region.loops; k++) {
    const start = region.start + k * region.duration
    if (start >= length) break
    const from = start + floor * region.fadeIn
    const to = Math.min(length, start + region.duration - floor * region.fadeOut)
    if (to > from) spans.push([from, to])
  }
  return spans
}

/**
 * Seconds each campaign stem is heard above the floor, overlaps counted once: its unmuted (or
 * soloed) tracks' regions, and the notes of generated parts derived from it, which are credited to
 * it too. Stems never heard are left out.
 *
 * The analysis' per-stem activity bars are not used: the studio and the worker both judge from the
 * recipe alone, so they cannot disagree, and a campaign without analysis gets the same rule. A
 * region over a stretch where the stem itself is silent still counts; that is the rule's known gap.
 */
export function presenceFrom(
  recipe: Recipe,
  stems: readonly { id: string }[],
): Map<string, Seconds> {
  const known = new Set(stems.map((s) => s.id))
  const spans = new Map<string, Span[]>()
  const add = (stem: string, more: Span[]) => {
    if (more.length) spans.set(stem, [...(spans.get(stem) ?? []), ...more])
  }
  const audible = audibleFrom(recipe.tracks)
  recipe.tracks.forEach((track, i) => {
    if (!audible[i] || !known.has(track.stem)) return
    for (const region of track.regions) {
      const db = recipe.master.gainDb + track.gainDb + region.gainDb
      add(track.stem, regionSpans(region, db, recipe.length))
    }
  })
  const parts = partsAudible(recipe)
  recipe.generatedParts.forEach((part, i) => {
    const db = recipe.master.gainDb + part.gainDb
    if (!parts[i]) return
    const notes = part.notes.flatMap((n): Span[] => {
      const heard = n.velocity > 0 && db + 20 * Math.log10(n.velocity) > AUDIBLE_FLOOR_DB
      const from = secondsFromBeats(n.time, recipe.tempo)
      const to = Math.min(recipe.length, secondsFromBeats(n.time + n.duration, recipe.tempo))
      return heard && to > from ? [[from, to]] : []
    })
    for (const stem of new Set(part.sourceStems)) if (known.has(stem)) add(stem, notes)
  })
  return new Map([...spans].map(([stem, s]) => [stem, coveredSeconds(s)]))
}

/** The stems a remix uses: heard above the floor for at least `useSecondsFor` its length. */
export function usedStemsFrom(recipe: Recipe, stems: readonly { id: string }[]): Set<string> {
  return usedFrom(presenceFrom(recipe, stems), recipe.length)
}

/** The stems whose presence (seconds heard above the floor) makes them count in a remix of `length`. */
export function usedFrom(presence: ReadonlyMap<string, Seconds>, length: Seconds): Set<string> {
  const needed = useSecondsFor(length)
  // Float sums (7.999999999) must not drop a stem that meets the bound.
  return new Set([...presence].filter(([, s]) => s >= needed - 1e-9).map(([stem]) => stem))
}

function coveredSeconds(spans: Span[]): Seconds {
  const sorted = [...spans].sort((a, b) => a[0] - b[0])
  let total = 0
  let reach = -Infinity
  for (const [from, to] of sorted) {
    const start = Math.max(from, reach)
    if (to > start) total += to - start
    reach = Math.max(reach, to)
  }
  return total
}
