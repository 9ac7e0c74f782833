import { z } from 'zod'
import type { Violation } from '../licence/evaluate.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import { effectFrom } from '../recipe/effect-defaults.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import {
  EffectSchema,
  LIMITS,
  RecipeSchema,
  type Effect,
  type Recipe,
  type Region,
} from '../recipe/schema.ts'
import { checkRecipeForCampaign } from '../recipe/validate.ts'
import { exportViolations } from './licence-fit.ts'
import type { AssistStem } from './types.ts'

const stemRef = z.string().min(1).max(100)
const target = z.union([z.literal('master'), stemRef])
const EffectType = z.enum([
  'filter',
  'eq3',
  'compressor',
  'delay',
  'reverb',
  'distortion',
  'pitchShift',
])
const bar = z.number().int().min(0).max(2000)

/** One change an instruction model may ask for; stems are named by id, name or role. */
export const PatchOperationSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('setTrack'),
    stem: stemRef,
    gainDb: z.number().finite().min(-60).max(12).optional(),
    pan: z.number().finite().min(-1).max(1).optional(),
    muted: z.boolean().optional(),
  }),
  z.object({ op: z.literal('silenceBars'), stem: stemRef, fromBar: bar, toBar: bar }),
  z.object({
    op: z.literal('addEffect'),
    target,
    type: EffectType,
    settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  }),
  z.object({ op: z.literal('removeEffect'), target, type: EffectType }),
  z.object({ op: z.literal('setMasterGain'), gainDb: z.number().finite().min(-60).max(12) }),
  z.object({
    op: z.literal('setLength'),
    seconds: z.number().finite().positive().max(LIMITS.length),
  }),
])
export type PatchOperation = z.infer<typeof PatchOperationSchema>

/** What the model must answer: a summary for the fan and the operations, in order. */
export const RecipePatchSchema = z.object({
  summary: z.string().min(1).max(300),
  operations: z.array(PatchOperationSchema).min(1).max(32),
})
export type RecipePatch = z.infer<typeof RecipePatchSchema>

/** Why a free-text request produced nothing: the model's words, the patch, or the licence. */
export type PatchFailure =
  | { ok: false; code: 'model_output_invalid'; message: string }
  | {
      ok: false
      code: 'patch_invalid'
      message: string
      issues: { path: (string | number)[]; message: string }[]
    }
  | { ok: false; code: 'licence_violation'; message: string; violations: Violation[] }

/** A patched recipe that passed the schema, the campaign and the licence, or why not. */
export type PatchOutcome = { ok: true; recipe: Recipe; patch: RecipePatch } | PatchFailure

/** The model's reply text: Workers AI answers `{ response }`, a string or already-parsed JSON. */
export function patchFromModelOutput(
  output: unknown,
): { ok: true; patch: RecipePatch } | PatchFailure {
  const response = (output as { response?: unknown } | null)?.response ?? output
  let value: unknown = response
  if (typeof response === 'string') {
    const text = response.replace(/```(?:json)?/gi, '')
    const start = text.indexOf('{')
    const end = text.lastIndexOf('}')
    if (start < 0 || end <= start)
      return {
        ok: false,
        code: 'model_output_invalid',
        message: 'The model did not answer with a JSON object.',
      }
    try {
      value = JSON.parse(text.slice(start, end + 1))
    } catch (err) {
      const message = `The model's answer is not valid JSON (${(err as Error).message}).`
      return { ok: false, code: 'model_output_invalid', message }
    }
  }
  const parsed = RecipePatchSchema.safeParse(value)
  if (!parsed.success)
    return {
      ok: false,
      code: 'patch_invalid',
      message: `The model's patch does not fit the recipe: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'patch'}: ${i.message}`).join('; ')}`,
      issues: parsed.error.issues.map((i) => ({
        path: i.path as (string | number)[],
        message: i.message,
      })),
    }
  return { ok: true, patch: parsed.data }
}

class PatchError extends Error {
  readonly path: (string | number)[]

  constructor(path: (string | number)[], message: string) {
    super(message)
    this.path = path
  }
}

/**
 * Applies a patch to a copy of the recipe and checks the result against the recipe schema, the
 * campaign's stems and the licence. Nothing is half-applied: any failure returns the reason only.
 */
export function applyPatch(
  recipe: Recipe,
  patch: RecipePatch,
  ctx: { stems: readonly AssistStem[]; policy: LicencePolicy; slug: string; at: string },
): PatchOutcome {
  let next = JSON.parse(JSON.stringify(recipe)) as Recipe
  try {
    patch.operations.forEach((op, i) => {
      next = applyOperation(next, op, ctx.stems, ['operations', i])
    })
  } catch (err) {
    if (!(err instanceof PatchError)) throw err
    return {
      ok: false,
      code: 'patch_invalid',
      message: err.message,
      issues: [{ path: err.path, message: err.message }],
    }
  }
  const parsed = RecipeSchema.safeParse(next)
  const issues = parsed.success
    ? checkRecipeForCampaign(parsed.data, {
        slug: ctx.slug,
        stems: ctx.stems.map((s) => ({ id: s.id, lengthSeconds: s.seconds })),
      })
    : parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }))
  if (!parsed.success || issues.length > 0)
    return {
      ok: false,
      code: 'patch_invalid',
      message: `The patched remix would not be valid: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      issues,
    }
  const violations = exportViolations(ctx.policy, parsed.data, ctx.stems, ctx.at)
  if (violations.length > 0)
    return {
      ok: false,
      code: 'licence_violation',
      message: `The licence does not allow this change: ${violations.map((v) => v.message).join(' ')}`,
      violations,
    }
  return { ok: true, recipe: parsed.data, patch }
}

function stemOf(ref: string, stems: readonly AssistStem[], at: (string | number)[]): AssistStem {
  const r = ref.trim().toLowerCase()
  const stem =
    stems.find((s) => s.id.toLowerCase() === r) ??
    stems.find((s) => s.name.toLowerCase() === r) ??
    stems.find((s) => s.role === r || `${s.role}s` === r)
  if (!stem)
    throw new PatchError([...at, 'stem'], `There is no stem called “${ref}” in this campaign.`)
  return stem
}

function tracksOf(
  recipe: Recipe,
  ref: string,
  stems: readonly AssistStem[],
  at: (string | number)[],
) {
  const stem = stemOf(ref, stems, at)
  const tracks = recipe.tracks.filter((t) => t.stem === stem.id)
  if (tracks.length === 0)
    throw new PatchError([...at, 'stem'], `No track of this remix plays ${stem.name}.`)
  return tracks
}

function chainOf(
  recipe: Recipe,
  target: string,
  stems: readonly AssistStem[],
  at: (string | number)[],
) {
  return target === 'master'
    ? [recipe.master.effects]
    : tracksOf(recipe, target, stems, at).map((t) => t.effects)
}

function freshId(recipe: Recipe, prefix: string): string {
  const used = new Set(
    recipe.tracks.flatMap((t) => [
      t.id,
      ...t.regions.map((r) => r.id),
      ...t.effects.map((e) => e.id),
    ]),
  )
  for (const e of recipe.master.effects) used.add(e.id)
  let n = 0
  while (used.has(`${prefix}${n}`)) n++
  return `${prefix}${n}`
}

function applyOperation(
  recipe: Recipe,
  op: PatchOperation,
  stems: readonly AssistStem[],
  at: (string | number)[],
): Recipe {
  switch (op.op) {
    case 'setTrack':
      for (const t of tracksOf(recipe, op.stem, stems, at)) {
        if (op.gainDb !== undefined) t.gainDb = op.gainDb
        if (op.pan !== undefined) t.pan = op.pan
        if (op.muted !== undefined) t.muted = op.muted
      }
      return recipe
    case 'silenceBars': {
      if (op.toBar <= op.fromBar)
        throw new PatchError([...at, 'toBar'], 'toBar must come after fromBar.')
      const barSeconds = secondsPerBar(recipe.tempo, recipe.timeSignature)
      for (const t of tracksOf(recipe, op.stem, stems, at))
        t.regions = silenced(t.regions, op.fromBar * barSeconds, op.toBar * barSeconds, t.id)
      return recipe
    }
    case 'addEffect':
      for (const chain of chainOf(recipe, op.target, stems, at)) {
        const effect = EffectSchema.safeParse({
          ...effectFrom(op.type, freshId(recipe, 'tx')),
          ...op.settings,
          type: op.type,
        })
        if (!effect.success)
          throw new PatchError(
            [...at, 'settings'],
            `Bad ${op.type} settings: ${effect.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          )
        chain.push(effect.data as Effect)
      }
      return recipe
    case 'removeEffect':
      for (const chain of chainOf(recipe, op.target, stems, at))
        chain.splice(0, chain.length, ...chain.filter((e) => e.type !== op.type))
      return recipe
    case 'setMasterGain':
      recipe.master.gainDb = op.gainDb
      return recipe
    case 'setLength':
      recipe.length = op.seconds
      return recipe
  }
}

// Cuts [from, to) out of a track's regions; looped regions are unrolled into passes first.
function silenced(regions: readonly Region[], from: number, to: number, trackId: string): Region[] {
  const passes = regions.flatMap((r) =>
    Array.from({ length: r.loops }, (_, i) => ({
      ...r,
      id: i === 0 ? r.id : `${r.id}-l${i}`.slice(-64),
      start: r.start + i * r.duration,
      loops: 1,
    })),
  )
  return passes.flatMap((r) => {
    const end = r.start + r.duration
    if (end <= from || r.start >= to) return [r]
    const kept: Region[] = []
    if (r.start < from) {
      const duration = from - r.start
      kept.push({ ...r, duration, fadeIn: Math.min(r.fadeIn, duration), fadeOut: 0 })
    }
    if (end > to) {
      const duration = end - to
      const fadeOut = Math.min(r.fadeOut, duration)
      kept.push({
        ...r,
        id: `${r.id}-${trackId}-s`.slice(0, 64),
        start: to,
        offset: r.offset + (to - r.start) * r.rate,
        duration,
        fadeIn: 0,
        fadeOut,
      })
    }
    return kept
  })
}
