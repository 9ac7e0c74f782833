import type { Hertz } from '../units.ts'
import { activityFrom } from './activity.ts'
import { loudnessFrom } from './loudness.ts'
import { analyseMix } from './mix.ts'
import type { CampaignAnalysis, StemMeasures } from './types.ts'

/** The sample-locked stems of one campaign, planar PCM at one rate. */
export type StemAudio = { id: string; channels: readonly Float32Array[] }

/** The campaign's analysis from its stems: the sum's grid, key, sections and loudness; each stem's own. */
export function analyseStems(
  stems: readonly StemAudio[],
  sampleRate: Hertz,
): { campaign: CampaignAnalysis; stems: Map<string, StemMeasures> } {
  const mix = mixFrom(stems)
  const analysis = analyseMix(mix, sampleRate)
  const measures = new Map<string, StemMeasures>()
  for (const stem of stems)
    measures.set(stem.id, {
      loudness: loudnessFrom(stem.channels, sampleRate),
      activity: activityFrom(stem.channels, sampleRate, analysis.downbeats),
    })
  return {
    campaign: { version: 1, ...analysis, loudness: loudnessFrom(mix, sampleRate) },
    stems: measures,
  }
}

/** The sum of the stems, channel by channel; a mono stem feeds every channel. */
export function mixFrom(stems: readonly StemAudio[]): Float32Array[] {
  const channels = Math.max(...stems.map((s) => s.channels.length))
  const length = Math.max(...stems.map((s) => s.channels[0]?.length ?? 0))
  const mix = Array.from({ length: channels }, () => new Float32Array(length))
  for (const stem of stems)
    for (let c = 0; c < channels; c++) {
      const src = stem.channels[Math.min(c, stem.channels.length - 1)]!
      const dst = mix[c]!
      for (let i = 0; i < src.length; i++) dst[i] = dst[i]! + src[i]!
    }
  return mix
}
