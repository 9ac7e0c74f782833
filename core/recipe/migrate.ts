import { z } from 'zod'
import { DomainError } from '../errors.ts'
import type { Decibels } from '../units.ts'
import { MIN_LENGTH_SECONDS } from './edits.ts'
import { LIMITS, RECIPE_VERSION, RecipeSchema, type Recipe } from './schema.ts'

/** The studio's first draft format: linear gains, no ids, no length, 4/4 implied. */
export const RecipeV1Schema = z.object({
  version: z.literal(1),
  campaign: z.string(),
  tempo: z.number(),
  tracks: z
    .array(
      z.object({
        stem: z.string(),
        gain: z.number().finite().min(0).max(4),
        muted: z.boolean(),
        regions: z
          .array(
            z.object({
              start: z.number().finite().min(0),
              offset: z.number().finite().min(0),
              duration: z.number().finite().positive(),
            }),
          )
          .max(LIMITS.regionsPerTrack),
      }),
    )
    .max(LIMITS.tracks),
})
export type RecipeV1 = z.infer<typeof RecipeV1Schema>

/**
 * A current recipe from stored JSON of any version: older ones are migrated, newer ones refused
 * with a DomainError, anything invalid throws the ZodError.
 */
export function recipeFrom(raw: unknown): Recipe {
  const version = typeof raw === 'object' && raw !== null && 'version' in raw ? raw.version : null
  if (version === 1) return recipeFromV1(RecipeV1Schema.parse(raw))
  if (typeof version === 'number' && version > RECIPE_VERSION) {
    throw new DomainError(
      'bad_request',
      'This remix was saved by a newer version of Stemfair. Reload the page, then open it again.',
    )
  }
  return RecipeSchema.parse(raw)
}

function recipeFromV1(v1: RecipeV1): Recipe {
  const ends = v1.tracks.flatMap((t) => t.regions.map((r) => r.start + r.duration))
  const latest = ends.reduce((a, b) => Math.max(a, b), MIN_LENGTH_SECONDS)
  return RecipeSchema.parse({
    version: RECIPE_VERSION,
    campaign: v1.campaign,
    tempo: v1.tempo,
    timeSignature: [4, 4],
    length: Math.min(LIMITS.length, latest),
    tracks: v1.tracks.map((t, ti) => ({
      id: `t${ti + 1}`,
      stem: t.stem,
      gainDb: decibelsFrom(t.gain),
      muted: t.muted,
      regions: t.regions.map((r, ri) => ({ id: `r${ti + 1}-${ri + 1}`, ...r })),
    })),
  })
}

/** A linear gain in decibels, within the recipe's -60..12 dB (silence is -60). */
function decibelsFrom(gain: number): Decibels {
  return gain > 0 ? Math.min(12, Math.max(-60, 20 * Math.log10(gain))) : -60
}
