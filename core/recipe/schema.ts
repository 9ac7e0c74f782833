import { z } from 'zod'
import { GeneratedPartSchema, PART_LIMITS } from '../music/part.ts'

/** The recipe format this code writes; older ones load through `recipeFrom` (migrate.ts). */
export const RECIPE_VERSION = 2

/** Limits that keep a recipe sane to validate, store and render. */
export const LIMITS = {
  tracks: 32,
  regionsPerTrack: 256,
  effectsPerChain: 8,
  loops: 64,
  length: 20 * 60,
  bytes: 256 * 1024,
} as const

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 letters, digits, _ or -')
const seconds = z.number().finite().min(0).max(LIMITS.length)
const db = (min: number, max: number) => z.number().finite().min(min).max(max)
const wet = z.number().finite().min(0).max(1)

/** Tempo-synced note values for the delay. */
export const NoteDivision = z.enum(['1/2', '1/4', '1/4d', '1/8', '1/8d', '1/8t', '1/16'])
export type NoteDivision = z.infer<typeof NoteDivision>

const base = { id, bypass: z.boolean().default(false) }

/** One effect in a chain; `type` picks the processor, `bypass` skips it without removing it. */
export const EffectSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('filter'),
    mode: z.enum(['lowpass', 'highpass', 'bandpass']),
    frequency: z.number().finite().min(20).max(20_000),
    q: z.number().finite().min(0.1).max(20),
  }),
  z.object({
    ...base,
    type: z.literal('eq3'),
    low: db(-24, 12),
    mid: db(-24, 12),
    high: db(-24, 12),
  }),
  z.object({
    ...base,
    type: z.literal('compressor'),
    threshold: db(-60, 0),
    ratio: z.number().finite().min(1).max(20),
    attack: z.number().finite().min(0.001).max(1),
    release: z.number().finite().min(0.01).max(2),
  }),
  z.object({
    ...base,
    type: z.literal('delay'),
    division: NoteDivision,
    feedback: z.number().finite().min(0).max(0.95),
    wet,
  }),
  z.object({
    ...base,
    type: z.literal('reverb'),
    decay: z.number().finite().min(0.1).max(20),
    wet,
  }),
  z.object({
    ...base,
    type: z.literal('distortion'),
    amount: z.number().finite().min(0).max(1),
    wet,
  }),
  z.object({
    ...base,
    type: z.literal('pitchShift'),
    semitones: z.number().finite().min(-12).max(12),
    wet,
  }),
])
export type Effect = z.infer<typeof EffectSchema>
export type EffectType = Effect['type']

/**
 * A slice of a stem placed on the timeline. It plays the source from `offset` for `duration`
 * timeline seconds at `rate` (so it reads `duration × rate` source seconds), `loops` times in a row.
 */
export const RegionSchema = z
  .object({
    id,
    start: seconds,
    offset: seconds,
    duration: z.number().finite().positive().max(LIMITS.length),
    loops: z.number().int().min(1).max(LIMITS.loops).default(1),
    fadeIn: seconds.default(0),
    fadeOut: seconds.default(0),
    gainDb: db(-60, 12).default(0),
    rate: z.number().finite().min(0.25).max(4).default(1),
    pitch: z.number().finite().min(-12).max(12).default(0),
  })
  .refine((r) => r.fadeIn + r.fadeOut <= r.duration + 1e-9, {
    message: 'fades are longer than the region',
    path: ['fadeOut'],
  })
export type Region = z.infer<typeof RegionSchema>

/** A lane of the remix: one stem, its regions, mix settings and effect chain. */
export const TrackSchema = z.object({
  id,
  stem: z.string().min(1).max(100),
  gainDb: db(-60, 12).default(0),
  pan: z.number().finite().min(-1).max(1).default(0),
  muted: z.boolean().default(false),
  soloed: z.boolean().default(false),
  effects: z
    .array(EffectSchema)
    .max(LIMITS.effectsPerChain)
    .default(() => []),
  regions: z
    .array(RegionSchema)
    .max(LIMITS.regionsPerTrack)
    .default(() => []),
})
export type Track = z.infer<typeof TrackSchema>

/** The master bus: effects, gain, and a brickwall limiter that keeps peaks under its ceiling. */
export const MasterSchema = z.object({
  gainDb: db(-60, 12).default(0),
  effects: z
    .array(EffectSchema)
    .max(LIMITS.effectsPerChain)
    .default(() => []),
  limiter: z
    .object({ enabled: z.boolean().default(true), ceilingDb: db(-12, 0).default(-1) })
    .default(() => ({ enabled: true, ceilingDb: -1 })),
})
export type Master = z.infer<typeof MasterSchema>

/** An AI-assisted change applied to the recipe, named with its tool, version and parameters. */
export const AiActionSchema = z.object({
  id,
  tool: z.string().min(1).max(100),
  version: z.string().min(1).max(50),
  provider: z.string().min(1).max(50),
  parameters: z.record(z.string(), z.unknown()),
  appliedAt: z.iso.datetime(),
})
export type AiAction = z.infer<typeof AiActionSchema>

/** A remix: what is saved, checked against the licence, rendered, and credited. */
export const RecipeSchema = z
  .object({
    version: z.literal(RECIPE_VERSION),
    campaign: z.string().min(1).max(100),
    tempo: z.number().finite().min(20).max(400),
    timeSignature: z.tuple([z.number().int().min(1).max(16), z.number().int().min(1).max(16)]),
    length: z.number().finite().positive().max(LIMITS.length),
    tracks: z.array(TrackSchema).max(LIMITS.tracks),
    // Function defaults: zod would otherwise share one default object between parses.
    master: MasterSchema.default(() => ({
      gainDb: 0,
      effects: [],
      limiter: { enabled: true, ceilingDb: -1 },
    })),
    aiActions: z
      .array(AiActionSchema)
      .max(256)
      .default(() => []),
    // Parts the assistant wrote from transcribed stems, stored as notes so checks and credits hold.
    generatedParts: z
      .array(GeneratedPartSchema)
      .max(PART_LIMITS.parts)
      .default(() => []),
  })
  .superRefine((r, ctx) => {
    const ids = new Set<string>()
    const unique = (value: string, path: (string | number)[]) => {
      if (ids.has(value)) ctx.addIssue({ code: 'custom', path, message: `duplicate id ${value}` })
      ids.add(value)
    }
    r.tracks.forEach((t, ti) => {
      unique(t.id, ['tracks', ti, 'id'])
      t.regions.forEach((g, gi) => unique(g.id, ['tracks', ti, 'regions', gi, 'id']))
      t.effects.forEach((e, ei) => unique(e.id, ['tracks', ti, 'effects', ei, 'id']))
    })
    r.master.effects.forEach((e, ei) => unique(e.id, ['master', 'effects', ei, 'id']))
    const actions = new Set(r.aiActions.map((a) => a.id))
    r.generatedParts.forEach((p, pi) => {
      unique(p.id, ['generatedParts', pi, 'id'])
      if (!actions.has(p.aiAction)) {
        const message = `generated part ${p.id} names no AI action ${p.aiAction}`
        ctx.addIssue({ code: 'custom', path: ['generatedParts', pi, 'aiAction'], message })
      }
    })
  })
export type Recipe = z.infer<typeof RecipeSchema>

/** Where a region ends on the timeline, loops included. */
export function regionEnd(region: Pick<Region, 'start' | 'duration' | 'loops'>): number {
  return region.start + region.duration * region.loops
}

/** How many source seconds one pass of a region reads. */
export function regionSourceSpan(region: Pick<Region, 'duration' | 'rate'>): number {
  return region.duration * region.rate
}
