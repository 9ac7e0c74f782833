// Where a proposal would be quiet: the assistant never shows a remix with a silent stretch the
// intent did not ask for (a loop of the song's fade-out as an intro, a stem placed over bars where
// it does not play). It judges from the recipe and each stem's analysed activity, so the studio
// and the worker can run it without audio.
import { secondsFromBeats } from '../music/part.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import { audibleFrom, partsAudible, regionSpans, type Span } from '../recipe/audibility.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { Seconds } from '../units.ts'
import type { AssistCampaign, AssistStem } from './types.ts'

/** Where bar 0 of the analysis starts in the stems (as the assistant's layout reads it). */
function downbeatFrom(campaign: AssistCampaign, bar: Seconds): Seconds {
  const first = campaign.firstDownbeat ?? 0
  return first > 0 && first < bar ? first : 0
}

/**
 * Where a stem plays, in seconds of the stem: its analysed activity bars on the campaign's grid.
 * Null when the stem has no activity analysis (then it is taken to play throughout).
 */
export function activeSpansOf(stem: AssistStem, campaign: AssistCampaign): Span[] | null {
  const activity = stem.analysis.activity
  if (!activity) return null
  const bar = secondsPerBar(campaign.tempo, campaign.timeSignature)
  const downbeat = downbeatFrom(campaign, bar)
  return activity.map((r): Span => [
    downbeat + r.startBar * bar,
    Math.min(stem.seconds, downbeat + r.endBar * bar),
  ])
}

/** Seconds of [from, to) covered by `spans`. */
export function coveredIn(spans: readonly Span[] | null, from: Seconds, to: Seconds): Seconds {
  if (!spans) return Math.max(0, to - from)
  let total = 0
  for (const [a, b] of spans) total += Math.max(0, Math.min(b, to) - Math.max(a, from))
  return total
}

/**
 * The stretches of the timeline where something is heard: every audible region pass above the
 * audibility floor, cut to where its stem plays, and the notes of generated parts.
 */
export function soundingSpans(
  recipe: Recipe,
  stems: readonly AssistStem[],
  campaign: AssistCampaign,
): Span[] {
  const byId = new Map(stems.map((s) => [s.id, s]))
  const out: Span[] = []
  const audible = audibleFrom(recipe.tracks)
  recipe.tracks.forEach((track, i) => {
    const stem = byId.get(track.stem)
    if (!audible[i] || !stem) return
    const active = activeSpansOf(stem, campaign)
    for (const region of track.regions) {
      const db = recipe.master.gainDb + track.gainDb + region.gainDb
      for (let k = 0; k < region.loops; k++) {
        const pass = region.start + k * region.duration
        const heard = regionSpans({ ...region, start: pass, loops: 1 }, db, recipe.length)
        for (const [from, to] of heard) {
          if (!active) {
            out.push([from, to])
            continue
          }
          // stem second s plays at pass + (s − offset) / rate
          for (const [a, b] of active) {
            const lo = Math.max(from, pass + (a - region.offset) / region.rate)
            const hi = Math.min(to, pass + (b - region.offset) / region.rate)
            if (hi > lo) out.push([lo, hi])
          }
        }
      }
    }
  })
  const parts = partsAudible(recipe)
  recipe.generatedParts.forEach((part, i) => {
    if (!parts[i]) return
    for (const n of part.notes) {
      const from = secondsFromBeats(n.time, recipe.tempo)
      const to = Math.min(recipe.length, secondsFromBeats(n.time + n.duration, recipe.tempo))
      if (n.velocity > 0 && to > from) out.push([from, to])
    }
  })
  return out
}

/** The longest quiet stretch a proposal may have: one bar of its own tempo, at least 2 s. */
export function quietAllowance(recipe: Recipe): Seconds {
  return Math.max(2, secondsPerBar(recipe.tempo, recipe.timeSignature))
}

/**
 * The stretches of a remix longer than `allowed` where nothing is heard, in order. The stretch
 * that runs to the end may be twice as long: an outro's fade sinks below the floor before it ends.
 */
export function quietSpansOf(
  recipe: Recipe,
  stems: readonly AssistStem[],
  campaign: AssistCampaign,
  allowed: Seconds = quietAllowance(recipe),
): Span[] {
  const sounding = soundingSpans(recipe, stems, campaign).sort((a, b) => a[0] - b[0])
  const quiet: Span[] = []
  let reach = 0
  for (const [from, to] of sounding) {
    if (from - reach > allowed + 1e-9) quiet.push([reach, from])
    reach = Math.max(reach, to)
  }
  if (recipe.length - reach > 2 * allowed + 1e-9) quiet.push([reach, recipe.length])
  return quiet
}
