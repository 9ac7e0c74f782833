import { audibleFrom } from '../recipe/audibility.ts'
import type { Effect, Recipe } from '../recipe/schema.ts'
import type { Decibels } from '../units.ts'

/**
 * A campaign stem as the licence sees it: `id` as recipes name it, and `manifestId` when the
 * licence names it differently (policies come from the manifest; stem rows are `<slug>-<id>`).
 */
export type LicenceStem = { id: string; isVoice: boolean; manifestId?: string }

/** A place in the recipe, as zod paths are written: `['tracks', 2, 'regions', 0, 'pitch']`. */
export type RecipePath = (string | number)[]

/** The floor of every gain control: a stem at or under it, all gains summed, counts as silent. */
export const GAIN_FLOOR_DB: Decibels = -60

/** Whether a `target` covers a stem: none = every stem, `voice` = every voice stem, else its id. */
export function stemMatches(target: string | undefined, stem: LicenceStem): boolean {
  if (target === undefined || target === stem.id || target === stem.manifestId) return true
  return target === 'voice' && stem.isVoice
}

/** The campaign stem a licence or recipe names, by either of its ids. */
export function stemFor(id: string, stems: readonly LicenceStem[]): LicenceStem | undefined {
  return stems.find((s) => s.id === id) ?? stems.find((s) => s.manifestId === id)
}

/** The campaign stems heard in the mix, each with the tracks that play it. */
export function heardStemsFrom(
  recipe: Recipe,
  stems: readonly LicenceStem[],
): Map<string, number[]> {
  const audible = audibleFrom(recipe.tracks)
  const heard = new Map<string, number[]>()
  recipe.tracks.forEach((t, i) => {
    const gain = recipe.master.gainDb + t.gainDb
    const plays = t.regions.some((r) => r.start < recipe.length && gain + r.gainDb > GAIN_FLOOR_DB)
    if (!audible[i] || !plays || !stems.some((s) => s.id === t.stem)) return
    heard.set(t.stem, [...(heard.get(t.stem) ?? []), i])
  })
  return heard
}

/** Effects that change the sound, with their paths: not bypassed, and mixed in where they have a mix. */
export function activeEffects(
  recipe: Recipe,
  trackIndex: number,
): { effect: Effect; path: RecipePath }[] {
  const chain = (effects: readonly Effect[], at: RecipePath) =>
    effects.flatMap((effect, i) =>
      effect.bypass || ('wet' in effect && effect.wet <= 0) ? [] : [{ effect, path: [...at, i] }],
    )
  return [
    ...chain(recipe.tracks[trackIndex]?.effects ?? [], ['tracks', trackIndex, 'effects']),
    ...chain(recipe.master.effects, ['master', 'effects']),
  ]
}

/** Semitones a playback rate moves the pitch: regions play varispeed, like tape. */
export function semitonesFromRate(rate: number): number {
  return 12 * Math.log2(rate)
}

/** One cause of a region's pitch shift, and where it is set. */
export type ShiftPart = { semitones: number; path: RecipePath; partial: boolean }

/**
 * The pitch shifts heard from a region: its own pitch, its playback rate, and the pitch-shift
 * effects on its track and on the master. A partly wet effect adds a shifted copy beside the dry
 * sound, so `low` and `high` are the extremes of every copy heard.
 */
export function regionShift(
  recipe: Recipe,
  trackIndex: number,
  regionIndex: number,
): { low: number; high: number; parts: ShiftPart[] } {
  const region = recipe.tracks[trackIndex]!.regions[regionIndex]!
  const at = ['tracks', trackIndex, 'regions', regionIndex]
  const parts: ShiftPart[] = [
    { semitones: region.pitch, path: [...at, 'pitch'], partial: false },
    { semitones: semitonesFromRate(region.rate), path: [...at, 'rate'], partial: false },
    ...activeEffects(recipe, trackIndex).flatMap(({ effect, path }) =>
      effect.type === 'pitchShift'
        ? [{ semitones: effect.semitones, path, partial: effect.wet < 1 }]
        : [],
    ),
  ].filter((p) => p.semitones !== 0)
  const sure = parts.filter((p) => !p.partial).reduce((sum, p) => sum + p.semitones, 0)
  const maybe = parts.filter((p) => p.partial).map((p) => p.semitones)
  return {
    low: sure + maybe.reduce((sum, s) => sum + Math.min(0, s), 0),
    high: sure + maybe.reduce((sum, s) => sum + Math.max(0, s), 0),
    parts,
  }
}
