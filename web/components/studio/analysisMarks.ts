import type { CampaignAnalysis } from '../../../core/analysis/types.ts'
import type { Seconds } from '../../../core/units.ts'

/** A section band on the ruler: where it starts and ends, its label and a colour per label. */
export type SectionBand = {
  start: Seconds
  end: Seconds
  label: string
  title: string
  hue: number
}

/** A beat of the analysed grid; downbeats start bars. */
export type BeatTick = { t: Seconds; downbeat: boolean }

/** What the ruler draws of the campaign's analysis within the first `length` seconds. */
export function analysisMarksFrom(
  analysis: CampaignAnalysis | null,
  length: Seconds,
): { bands: SectionBand[]; ticks: BeatTick[] } {
  if (!analysis) return { bands: [], ticks: [] }
  const bands = analysis.sections
    .filter((s) => s.start < length)
    .map((s) => ({
      start: s.start,
      end: Math.min(s.end, length),
      label: s.label,
      title:
        s.endBar > s.startBar
          ? `Section ${s.label}: bars ${s.startBar + 1}–${s.endBar} of the original mix`
          : `Section ${s.label} of the original mix (no steady beat found)`,
      hue: ((((s.label.charCodeAt(0) - 65) * 67 + 30) % 360) + 360) % 360,
    }))
  const downbeats = new Set(analysis.downbeats)
  const ticks = analysis.beats
    .filter((t) => t <= length)
    .map((t) => ({ t, downbeat: downbeats.has(t) }))
  return { bands, ticks }
}
