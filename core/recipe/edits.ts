import { z } from 'zod'
import type { GeneratedPart } from '../music/part.ts'
import type { Seconds } from '../units.ts'
import {
  EffectSchema,
  LIMITS,
  RecipeSchema,
  TrackSchema,
  regionEnd,
  type AiAction,
  type Effect,
  type Recipe,
  type Region,
  type Track,
} from './schema.ts'

/** Source length of each stem id, in seconds; edits keep regions inside it. */
export type EditContext = { stemSeconds: Readonly<Record<string, number>> }

/** A change to a recipe, as the studio dispatches it; `applyEdit` performs it. */
export type Edit =
  | { type: 'addTrack'; trackId: string; stem: string } // defaults, no regions
  | { type: 'removeTrack'; trackId: string }
  | {
      type: 'addRegion'
      trackId: string
      regionId: string
      start: number
      offset: number
      duration: number
    }
  // toTrackId: another track of the same stem (any other is a no-op).
  | { type: 'moveRegion'; trackId: string; regionId: string; start: number; toTrackId?: string }
  // Left edge: start and offset move together, the end of the first pass stays.
  | { type: 'trimRegionStart'; trackId: string; regionId: string; start: number }
  // Right edge of one pass (the duration); the start stays.
  | { type: 'trimRegionEnd'; trackId: string; regionId: string; end: number }
  // at: timeline seconds strictly inside the first pass; the right part gets newRegionId.
  | { type: 'splitRegion'; trackId: string; regionId: string; at: number; newRegionId: string }
  // The copy starts where the original ends, loops included.
  | { type: 'duplicateRegion'; trackId: string; regionId: string; newRegionId: string }
  | { type: 'deleteRegion'; trackId: string; regionId: string }
  | {
      type: 'setRegion'
      trackId: string
      regionId: string
      patch: Partial<Pick<Region, 'loops' | 'fadeIn' | 'fadeOut' | 'gainDb' | 'rate' | 'pitch'>>
    }
  | {
      type: 'setTrack'
      trackId: string
      patch: Partial<Pick<Track, 'gainDb' | 'pan' | 'muted' | 'soloed'>>
    }
  // target: a track id or 'master'
  | { type: 'addEffect'; target: string; effect: Effect; index?: number }
  // Merges parameters; type and id never change.
  | { type: 'updateEffect'; target: string; effectId: string; patch: Record<string, unknown> }
  | { type: 'removeEffect'; target: string; effectId: string }
  | { type: 'moveEffect'; target: string; effectId: string; toIndex: number }
  | {
      type: 'setMaster'
      patch: { gainDb?: number; limiter?: { enabled?: boolean; ceilingDb?: number } }
    }
  | { type: 'setLength'; length: number }
  // AI: a transcription or generation is disclosed; a generated part comes with its action.
  | { type: 'recordAiAction'; action: AiAction }
  | { type: 'addGeneratedPart'; part: GeneratedPart; action: AiAction }
  | { type: 'removeGeneratedPart'; partId: string }

/** The shortest region an edit leaves. */
export const MIN_REGION_SECONDS: Seconds = 0.01
/** The shortest remix `setLength` allows. */
export const MIN_LENGTH_SECONDS: Seconds = 1

/** The effect target that names the master bus rather than a track. */
const MASTER = 'master'

type Fade = 'fadeIn' | 'fadeOut'

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/** Finds a region of a track, or null. */
export function findRegion(recipe: Recipe, trackId: string, regionId: string): Region | null {
  const track = recipe.tracks.find((t) => t.id === trackId)
  return track?.regions.find((r) => r.id === regionId) ?? null
}

/**
 * Applies one edit without touching `recipe`. Values are clamped into the schema and into the
 * stem's source; an edit that cannot apply, or changes nothing, returns `recipe` itself.
 */
export function applyEdit(recipe: Recipe, edit: Edit, ctx: EditContext): Recipe {
  if (hasNaN(edit)) return recipe
  const next = edited(recipe, edit, ctx)
  return equal(next, recipe) ? recipe : next
}

function edited(recipe: Recipe, edit: Edit, ctx: EditContext): Recipe {
  const source = (track: Track) => sourceOf(ctx, track.stem) ?? Infinity
  switch (edit.type) {
    case 'addTrack': {
      const track = TrackSchema.safeParse({ id: edit.trackId, stem: edit.stem })
      if (!track.success || edit.trackId === MASTER || sourceOf(ctx, edit.stem) === null)
        return recipe
      if (recipe.tracks.length >= LIMITS.tracks || !isFreshId(recipe, edit.trackId)) return recipe
      return { ...recipe, tracks: [...recipe.tracks, track.data] }
    }
    case 'removeTrack':
      return { ...recipe, tracks: recipe.tracks.filter((t) => t.id !== edit.trackId) }
    case 'addRegion':
      if (!isFreshId(recipe, edit.regionId)) return recipe
      return updateTrack(recipe, edit.trackId, (track) => {
        if (track.regions.length >= LIMITS.regionsPerTrack) return null
        const { regionId: id, start, offset, duration } = edit
        const region = fitRegion({ ...REGION_DEFAULTS, id, start, offset, duration }, source(track))
        return { ...track, regions: [...track.regions, region] }
      })
    case 'moveRegion':
      return movedRegion(recipe, edit, source)
    case 'trimRegionStart':
      return updateRegion(recipe, edit.trackId, edit.regionId, (r, track) => {
        // The end of the first pass stays put; the source under it must not move.
        const lowest = Math.max(-r.start, -r.offset / r.rate)
        const delta = clamp(edit.start - r.start, lowest, r.duration - MIN_REGION_SECONDS)
        const offset = Math.max(0, r.offset + delta * r.rate)
        const trimmed = { ...r, start: r.start + delta, offset, duration: r.duration - delta }
        return fitRegion(trimmed, source(track), 'fadeOut')
      })
    case 'trimRegionEnd':
      return updateRegion(recipe, edit.trackId, edit.regionId, (r, track) =>
        fitRegion({ ...r, duration: edit.end - r.start }, source(track), 'fadeIn'),
      )
    case 'splitRegion':
      return updateTrack(recipe, edit.trackId, (track) => {
        const i = track.regions.findIndex((r) => r.id === edit.regionId)
        const r = track.regions[i]
        if (!r || !isFreshId(recipe, edit.newRegionId)) return null
        if (track.regions.length >= LIMITS.regionsPerTrack) return null
        const parts = splitParts(r, edit.at, edit.newRegionId, source(track))
        return parts && { ...track, regions: track.regions.toSpliced(i, 1, ...parts) }
      })
    case 'duplicateRegion':
      return updateTrack(recipe, edit.trackId, (track) => {
        const i = track.regions.findIndex((r) => r.id === edit.regionId)
        const r = track.regions[i]
        if (!r || !isFreshId(recipe, edit.newRegionId)) return null
        if (track.regions.length >= LIMITS.regionsPerTrack || regionEnd(r) >= LIMITS.length)
          return null
        const copy = fitRegion({ ...r, id: edit.newRegionId, start: regionEnd(r) }, source(track))
        return { ...track, regions: track.regions.toSpliced(i + 1, 0, copy) }
      })
    case 'deleteRegion':
      return updateTrack(recipe, edit.trackId, (track) => ({
        ...track,
        regions: track.regions.filter((r) => r.id !== edit.regionId),
      }))
    case 'setRegion':
      return updateRegion(recipe, edit.trackId, edit.regionId, (r, track) => {
        const patched = merged(r, edit.patch, REGION_PATCH_KEYS)
        return fitRegion(patched, source(track), untouchedFade(r, patched))
      })
    case 'setTrack':
      return updateTrack(recipe, edit.trackId, (track) => {
        const t = merged(track, edit.patch, ['gainDb', 'pan', 'muted', 'soloed'])
        return { ...t, gainDb: clamp(t.gainDb, -60, 12), pan: clamp(t.pan, -1, 1) }
      })
    case 'addEffect': {
      const effect = fitEffect(edit.effect)
      if (!effect || !isFreshId(recipe, effect.id)) return recipe
      return updateChain(recipe, edit.target, (effects) => {
        if (effects.length >= LIMITS.effectsPerChain) return null
        const index = clamp(Math.round(edit.index ?? effects.length), 0, effects.length)
        return effects.toSpliced(index, 0, effect)
      })
    }
    case 'updateEffect':
      return updateChain(recipe, edit.target, (effects) => {
        const i = effects.findIndex((e) => e.id === edit.effectId)
        const e = effects[i]
        if (!e) return null
        const params = Object.entries(edit.patch).filter(
          ([k, v]) => k !== 'type' && k !== 'id' && v !== undefined,
        )
        const next = fitEffect({ ...e, ...Object.fromEntries(params) })
        return next && effects.with(i, next)
      })
    case 'removeEffect':
      return updateChain(recipe, edit.target, (effects) =>
        effects.filter((e) => e.id !== edit.effectId),
      )
    case 'moveEffect':
      return updateChain(recipe, edit.target, (effects) => {
        const i = effects.findIndex((e) => e.id === edit.effectId)
        const e = effects[i]
        if (!e) return null
        const to = clamp(Math.round(edit.toIndex), 0, effects.length - 1)
        return effects.toSpliced(i, 1).toSpliced(to, 0, e)
      })
    case 'setMaster': {
      const { master } = recipe
      const { gainDb, limiter } = edit.patch
      const ceilingDb = limiter?.ceilingDb
      return {
        ...recipe,
        master: {
          ...master,
          gainDb: typeof gainDb === 'number' ? clamp(gainDb, -60, 12) : master.gainDb,
          limiter: {
            enabled:
              typeof limiter?.enabled === 'boolean' ? limiter.enabled : master.limiter.enabled,
            ceilingDb:
              typeof ceilingDb === 'number' ? clamp(ceilingDb, -12, 0) : master.limiter.ceilingDb,
          },
        },
      }
    }
    case 'setLength':
      return { ...recipe, length: clamp(edit.length, MIN_LENGTH_SECONDS, LIMITS.length) }
    case 'recordAiAction':
    case 'addGeneratedPart': {
      const parts = edit.type === 'addGeneratedPart' ? [edit.part] : []
      const next = RecipeSchema.safeParse({
        ...recipe,
        aiActions: [...recipe.aiActions.filter((a) => a.id !== edit.action.id), edit.action],
        generatedParts: [...recipe.generatedParts, ...parts],
      })
      return next.success ? next.data : recipe
    }
    case 'removeGeneratedPart':
      return {
        ...recipe,
        generatedParts: recipe.generatedParts.filter((p) => p.id !== edit.partId),
      }
    default: {
      const _unknown: never = edit
      return recipe
    }
  }
}

const REGION_DEFAULTS = { loops: 1, fadeIn: 0, fadeOut: 0, gainDb: 0, rate: 1, pitch: 0 } as const
const REGION_PATCH_KEYS = ['loops', 'fadeIn', 'fadeOut', 'gainDb', 'rate', 'pitch'] as const

/** The halves of a cut at timeline time `at` inside the first pass; null if it cannot cut there. */
function splitParts(
  r: Region,
  at: number,
  rightId: string,
  source: number,
): [Region, Region] | null {
  const head = at - r.start
  const tail = r.duration - head
  if (!(head >= MIN_REGION_SECONDS && tail >= MIN_REGION_SECONDS)) return null
  // Both halves are single passes: passes 2..n of a looped region cannot follow a cut.
  const left = { ...r, duration: head, loops: 1, fadeOut: 0 }
  const offset = r.offset + head * r.rate
  const right = { ...r, id: rightId, start: at, offset, duration: tail, loops: 1, fadeIn: 0 }
  return [fitRegion(left, source), fitRegion(right, source)]
}

function movedRegion(
  recipe: Recipe,
  edit: Extract<Edit, { type: 'moveRegion' }>,
  source: (track: Track) => number,
): Recipe {
  const to = edit.toTrackId ?? edit.trackId
  if (to === edit.trackId) {
    return updateRegion(recipe, edit.trackId, edit.regionId, (r, track) =>
      fitRegion({ ...r, start: edit.start }, source(track)),
    )
  }
  const from = recipe.tracks.find((t) => t.id === edit.trackId)
  const target = recipe.tracks.find((t) => t.id === to)
  const region = from?.regions.find((r) => r.id === edit.regionId)
  if (!from || !target || !region || target.stem !== from.stem) return recipe
  if (target.regions.length >= LIMITS.regionsPerTrack) return recipe
  const moved = fitRegion({ ...region, start: edit.start }, source(target))
  const tracks = recipe.tracks.map((t) => {
    if (t === from) return { ...t, regions: t.regions.filter((r) => r !== region) }
    return t === target ? { ...t, regions: [...t.regions, moved] } : t
  })
  return { ...recipe, tracks }
}

/** Clamps a region into the schema and a source `source` seconds long; fade `keep` wins. */
function fitRegion(r: Region, source: number, keep?: Fade): Region {
  const rate = clamp(r.rate, 0.25, 4)
  const lastOffset = Math.min(LIMITS.length, source - MIN_REGION_SECONDS * rate)
  const offset = clamp(r.offset, 0, Math.max(0, lastOffset))
  const longest = Math.min(LIMITS.length, (source - offset) / rate)
  const duration = clamp(r.duration, MIN_REGION_SECONDS, Math.max(MIN_REGION_SECONDS, longest))
  return {
    id: r.id,
    start: clamp(r.start, 0, LIMITS.length),
    offset,
    duration,
    loops: clamp(Math.round(r.loops), 1, LIMITS.loops),
    ...fitFades(r.fadeIn, r.fadeOut, duration, keep),
    gainDb: clamp(r.gainDb, -60, 12),
    rate,
    pitch: clamp(r.pitch, -12, 12),
  }
}

/** The fade a patch left alone when it changed the other: a dragged fade stops where it begins. */
function untouchedFade(before: Region, after: Region): Fade | undefined {
  const fadeIn = before.fadeIn !== after.fadeIn
  if (fadeIn === (before.fadeOut !== after.fadeOut)) return undefined
  return fadeIn ? 'fadeOut' : 'fadeIn'
}

function fitFades(fadeIn: number, fadeOut: number, duration: number, keep?: Fade) {
  const a = clamp(fadeIn, 0, duration)
  const b = clamp(fadeOut, 0, duration)
  if (a + b <= duration) return { fadeIn: a, fadeOut: b }
  if (keep === 'fadeIn') return { fadeIn: a, fadeOut: duration - a }
  if (keep === 'fadeOut') return { fadeIn: duration - b, fadeOut: b }
  const scale = duration / (a + b)
  return { fadeIn: a * scale, fadeOut: b * scale }
}

const effectShapes = new Map<string, Record<string, z.ZodType>>(
  EffectSchema.options.map((o) => [o.shape.type.value, o.shape]),
)

/** Clamps an effect's numbers into their ranges; null when it still isn't a valid effect. */
function fitEffect(raw: Record<string, unknown>): Effect | null {
  const shape = effectShapes.get(String(raw.type))
  if (!shape) return null
  const fitted = Object.entries(raw).map(([k, v]) => {
    const field = shape[k]
    if (!(field instanceof z.ZodNumber) || typeof v !== 'number') return [k, v]
    return [k, clamp(v, field.minValue ?? -Infinity, field.maxValue ?? Infinity)]
  })
  const parsed = EffectSchema.safeParse(Object.fromEntries(fitted))
  return parsed.success ? parsed.data : null
}

function sourceOf(ctx: EditContext, stem: string): number | null {
  const seconds = Object.hasOwn(ctx.stemSeconds, stem) ? ctx.stemSeconds[stem] : undefined
  return typeof seconds === 'number' && seconds > 0 ? seconds : null
}

/** True when `id` is well formed and unused: tracks, regions and effects share one namespace. */
function isFreshId(recipe: Recipe, id: string): boolean {
  if (!TrackSchema.shape.id.safeParse(id).success) return false
  const used = (e: { id: string }) => e.id === id
  const inTrack = (t: Track) => used(t) || t.regions.some(used) || t.effects.some(used)
  return !recipe.tracks.some(inTrack) && !recipe.master.effects.some(used)
}

/** `current` with the patch's values for `keys`, where they are of the same kind. */
function merged<T extends object>(
  current: T,
  patch: NoInfer<Partial<T>>,
  keys: readonly (keyof T)[],
): T {
  const next = { ...current }
  for (const k of keys) {
    const v = patch[k]
    if (typeof v === typeof current[k]) next[k] = v as T[keyof T]
  }
  return next
}

function updateTrack(recipe: Recipe, trackId: string, update: (t: Track) => Track | null): Recipe {
  const i = recipe.tracks.findIndex((t) => t.id === trackId)
  const track = recipe.tracks[i]
  const next = track && update(track)
  return next ? { ...recipe, tracks: recipe.tracks.with(i, next) } : recipe
}

function updateRegion(
  recipe: Recipe,
  trackId: string,
  regionId: string,
  update: (r: Region, track: Track) => Region,
): Recipe {
  return updateTrack(recipe, trackId, (track) => {
    const i = track.regions.findIndex((r) => r.id === regionId)
    const region = track.regions[i]
    return region ? { ...track, regions: track.regions.with(i, update(region, track)) } : null
  })
}

function updateChain(
  recipe: Recipe,
  target: string,
  update: (effects: Effect[]) => Effect[] | null,
): Recipe {
  if (target !== MASTER) {
    return updateTrack(recipe, target, (t) => {
      const effects = update(t.effects)
      return effects && { ...t, effects }
    })
  }
  const effects = update(recipe.master.effects)
  return effects ? { ...recipe, master: { ...recipe.master, effects } } : recipe
}

function hasNaN(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value)
  return typeof value === 'object' && value !== null && Object.values(value).some(hasNaN)
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const rb = b as Record<string, unknown>
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.hasOwn(rb, k) && equal((a as Record<string, unknown>)[k], rb[k]))
}
