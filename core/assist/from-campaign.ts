import type { CampaignDetail, StemView } from '../api/campaigns.ts'
import type { AssistCampaign, AssistStem } from './types.ts'

/** What the assistant reads of a campaign as the API shows it, its analysis included when present. */
export function assistInputFrom(
  detail: Pick<CampaignDetail, 'slug' | 'tempo' | 'timeSignature' | 'key'> & {
    analysis?: CampaignDetail['analysis']
    stems: readonly StemView[]
  },
): { campaign: AssistCampaign; stems: AssistStem[] } {
  const analysis = detail.analysis ?? null
  const campaign: AssistCampaign = {
    slug: detail.slug,
    tempo: detail.tempo,
    timeSignature: detail.timeSignature,
    key: analysis?.key ?? detail.key,
    sections: analysis?.sections.map((s) => ({
      startBar: s.startBar,
      endBar: s.endBar,
      label: s.label,
    })),
    firstDownbeat: analysis?.downbeats[0],
  }
  const prefix = `${detail.slug}-`
  const stems = detail.stems.map((s) => ({
    id: s.id,
    name: s.name,
    role: s.role,
    isVoice: s.isVoice,
    seconds: s.lengthSamples / s.sampleRate,
    analysis: {
      rmsDbfs: s.analysis.rmsDbfs,
      peakDbfs: s.analysis.peakDbfs,
      ...(s.analysis.loudness ? { loudness: s.analysis.loudness } : {}),
      ...(s.analysis.activity ? { activity: s.analysis.activity } : {}),
    },
    ...(s.id.startsWith(prefix) ? { manifestId: s.id.slice(prefix.length) } : {}),
  }))
  return { campaign, stems }
}
