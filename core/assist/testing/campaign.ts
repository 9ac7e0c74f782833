import type { StemRole } from '../../campaign/manifest.ts'
import { defaultRecipeFrom } from '../../recipe/default.ts'
import { secondsPerBar } from '../../recipe/grid.ts'
import type { Recipe } from '../../recipe/schema.ts'
import type { Seconds } from '../../units.ts'
import type { AssistCampaign, AssistSection, AssistStem } from '../types.ts'

const ROLES: StemRole[] = ['drums', 'bass', 'keys', 'vocals', 'pads', 'guitar', 'lead', 'fx']

/**
 * A campaign shaped like an analysed one, for tests and the benchmark: `count` stems of `seconds`
 * at 120 BPM in 4/4, with measured loudness, activity and an intro/verse/chorus section plan.
 */
export function testCampaign(
  count = 5,
  seconds: Seconds = 128,
): { campaign: AssistCampaign; stems: AssistStem[]; recipe: Recipe } {
  const campaign: AssistCampaign = {
    slug: 'test-song',
    tempo: 120,
    timeSignature: [4, 4],
    key: 'A minor',
    sections: [],
  }
  const bars = Math.floor(seconds / secondsPerBar(120, [4, 4]))
  const labels = ['A', 'B', 'C', 'B', 'C', 'D', 'C', 'A']
  const sections: AssistSection[] = []
  for (let b = 0, i = 0; b < bars; b += 8, i++)
    sections.push({ startBar: b, endBar: Math.min(bars, b + 8), label: labels[i % labels.length]! })
  campaign.sections = sections
  const stems: AssistStem[] = Array.from({ length: count }, (_, i) => {
    const role = ROLES[i % ROLES.length]!
    return {
      id: `test-song-${role}${i >= ROLES.length ? i : ''}`,
      name: role[0]!.toUpperCase() + role.slice(1),
      role,
      isVoice: role === 'vocals',
      seconds,
      analysis: {
        rmsDbfs: -18 - i,
        peakDbfs: -3,
        loudness: { integratedLufs: -17 - i * 1.5 },
        activity: [{ startBar: role === 'vocals' ? 8 : 0, endBar: bars }],
      },
    }
  })
  const recipe = defaultRecipeFrom({
    slug: campaign.slug,
    tempo: campaign.tempo,
    timeSignature: campaign.timeSignature,
    stems: stems.map((s) => ({ id: s.id, lengthSamples: s.seconds * 48_000, sampleRate: 48_000 })),
  })
  return { campaign, stems, recipe }
}
