import type { Seconds } from '../units.ts'
import type { Recipe, Region } from './schema.ts'

/** Two regions of one track that play at once: both are heard, summed. */
export type Overlap = { trackId: string; regionIds: [string, string]; from: Seconds; to: Seconds }

/** Shorter overlaps are a crossfade's worth of rounding, not two regions playing at once. */
const TOLERANCE: Seconds = 0.005

/** Where a region sounds on the timeline, every loop pass together: [start, end). */
const extentOf = (r: Region): [Seconds, Seconds] => [r.start, r.start + r.duration * r.loops]

/**
 * The places where regions on one track overlap (a loop run into the next region, a duplicate
 * dropped on another), in timeline order, cut at the remix's length.
 */
export function overlapsIn(recipe: Recipe): Overlap[] {
  const out: Overlap[] = []
  for (const track of recipe.tracks) {
    const regions = [...track.regions].sort((a, b) => a.start - b.start)
    for (let i = 0; i < regions.length; i++)
      for (let j = i + 1; j < regions.length; j++) {
        const [a0, a1] = extentOf(regions[i]!)
        const [b0, b1] = extentOf(regions[j]!)
        if (b0 >= a1) break
        const from = Math.max(a0, b0)
        const to = Math.min(a1, b1, recipe.length)
        if (to - from > TOLERANCE)
          out.push({ trackId: track.id, regionIds: [regions[i]!.id, regions[j]!.id], from, to })
      }
  }
  return out.sort((a, b) => a.from - b.from)
}
