/**
 * The remix recipe the API tests send: one track per stem of a seeded campaign, each playing its
 * stem from the start for the whole remix. One builder for the worker and e2e tests.
 */

/** A region's fields besides its id, start and offset (which the builder sets). */
export type RegionFields = Record<string, unknown>

/** A region of a built recipe. */
export type BuiltRegion = { id: string; start: number; offset: number } & RegionFields

export interface RecipeOptions {
  /** The campaign's slug; a stem `name` is `${campaign}-${name}`. */
  campaign: string
  /** Stem names, one track each (`t1`, `t2`, …). */
  stems?: readonly string[]
  /** Seconds. */
  length?: number
  tempo?: number
  timeSignature?: readonly [number, number]
  /** Replaces the default region (0.1 s looped over the whole length). */
  region?: RegionFields
  aiActions?: readonly unknown[]
}

/** A version-2 recipe as the browser posts it to `/api/remixes` (drums and bass by default). */
export function remixRecipe({
  campaign,
  stems = ['drums', 'bass'],
  length = 1,
  tempo = 100,
  timeSignature = [4, 4],
  region = { duration: 0.1, loops: Math.ceil(length / 0.1) },
  aiActions = [],
}: RecipeOptions) {
  return {
    version: 2,
    campaign,
    tempo,
    timeSignature: [...timeSignature],
    length,
    tracks: stems.map((stem, i) => ({
      id: `t${i + 1}`,
      stem: `${campaign}-${stem}`,
      regions: [{ id: `t${i + 1}r`, start: 0, offset: 0, ...region } as BuiltRegion],
    })),
    aiActions: [...aiActions],
  }
}
