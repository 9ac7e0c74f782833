import type { LicencePolicy } from '../../core/licence/policy.ts'
import { findLicenceVersion } from '../db/author-campaigns.ts'

/**
 * The licence an export was made under: its recorded version, or the campaign's current policy
 * only when that is the same version. Null when that version's text is not on record — never
 * today's text under an old version's label.
 */
export async function licenceMadeUnder(
  db: D1Database,
  campaignId: string,
  version: number,
  current: LicencePolicy,
): Promise<LicencePolicy | null> {
  const recorded = await findLicenceVersion(db, campaignId, version)
  return recorded ?? (current.version === version ? current : null)
}

/** What a page says when the version's text is not on record. */
export const UNRECORDED = (version: number) => [
  `This remix was made under version ${version} of the campaign’s licence, whose text is not on record here.`,
]
