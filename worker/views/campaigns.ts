// The public API's view of a campaign: its row read at the current time (status from its window),
// the URLs it is served at, and its licence in sentences.
import type { CampaignAnalysis } from '../../core/analysis/types.ts'
import type { CampaignDetail, CampaignSummary } from '../../core/api/campaigns.ts'
import { statusAt } from '../../core/campaign/authoring.ts'
import { exportNoticeFor } from '../../core/campaign/markability.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { listCampaignRows, markabilityOf, windowOf, type CampaignRow } from '../db/campaigns.ts'

function summaryFrom(row: CampaignRow): CampaignSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    artist: row.artist,
    description: row.description,
    status: statusAt(windowOf(row), new Date().toISOString()),
    artworkUrl: row.artwork_key ? `/api/campaigns/${row.slug}/artwork` : null,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
  }
}

/** Public campaigns, newest window first. Drafts stay private to their owner. */
export async function listCampaigns(db: D1Database): Promise<CampaignSummary[]> {
  return (await listCampaignRows(db)).map(summaryFrom)
}

/** The detail view without stems and images; the route adds them. */
export function detailFrom(row: CampaignRow): Omit<CampaignDetail, 'stems' | 'images'> {
  const licence = JSON.parse(row.licence) as CampaignDetail['licence']
  return {
    ...summaryFrom(row),
    tempo: row.tempo,
    key: row.musical_key,
    timeSignature: JSON.parse(row.time_signature) as [number, number],
    sampleRate: row.sample_rate,
    iswc: row.iswc,
    credits: JSON.parse(row.credits) as CampaignDetail['credits'],
    splits: JSON.parse(row.splits) as CampaignDetail['splits'],
    licence,
    licenceSummary: describeLicence(licence),
    analysis: row.analysis ? (JSON.parse(row.analysis) as CampaignAnalysis) : null,
    artistSuspended: !!row.owner_suspended_at,
    exportNotice: exportNoticeFor(markabilityOf(row), licence),
  }
}
