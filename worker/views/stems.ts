// The public API's view of a stem: its row plus the URLs it is served at.
import type { StemAnalysis, StemView } from '../../core/api/campaigns.ts'
import { listStemRows, type StemRow } from '../db/stems.ts'

export function stemFrom(row: StemRow): StemView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    isVoice: row.is_voice === 1,
    format: row.format,
    sampleRate: row.sample_rate,
    channels: row.channels,
    lengthSamples: row.length_samples,
    sha256: row.sha256,
    isrc: row.isrc,
    rightsHolders: JSON.parse(row.rights_holders) as string[],
    analysis: JSON.parse(row.analysis) as StemAnalysis,
    audioUrl: `/api/stems/${row.id}/audio`,
    peaksUrl: `/api/stems/${row.id}/peaks`,
  }
}

/** A campaign's stems as the public API shows them, in position order. */
export async function listStems(db: D1Database, campaignId: string): Promise<StemView[]> {
  return (await listStemRows(db, campaignId)).map(stemFrom)
}
