// The public API's view of a stem: its row plus the URLs it is served at.
import type { StemAnalysis, StemView } from '../../core/api/campaigns.ts'
import type { UserView } from '../../core/api/users.ts'
import { DomainError } from '../../core/errors.ts'
import { ownsOrAdmin } from '../auth/ownership.ts'
import { findStemAccess, listStemRows, type StemRow } from '../db/stems.ts'

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

/**
 * The stem, if the caller may have it: a draft campaign's stems reach only its owner and admins
 * (to anyone else they do not exist), and are never cached publicly.
 */
export async function stemOr404(db: D1Database, user: UserView | null, id: string) {
  const row = await findStemAccess(db, id)
  const draft = row?.campaign_status === 'draft'
  if (!row || (draft && !ownsOrAdmin(user, row.owner_id)))
    throw new DomainError('not_found', `No stem with id “${id}”.`)
  return { row, cacheControl: draft ? 'private, no-store' : undefined }
}
