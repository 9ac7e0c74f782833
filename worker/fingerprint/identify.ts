// Which indexed stems a set of hashes matches, with what D1 knows of each.
import type { Hashes, Match } from '../../core/fingerprint/fingerprint.ts'
import { searchIndex } from '../../core/fingerprint/search.ts'
import { fingerprintStemsOf, lookupHashes, type FingerprintStemRow } from '../db/fingerprints.ts'

/** The significant matches of `hashes` in the index whose stems still exist, strongest first. */
export async function identify(
  db: D1Database,
  hashes: Hashes,
): Promise<{ match: Match; row: FingerprintStemRow }[]> {
  const { matches } = await searchIndex(hashes, (unique) => lookupHashes(db, unique))
  const rows = new Map(
    (
      await fingerprintStemsOf(
        db,
        matches.map((m) => m.ref),
      )
    ).map((r) => [r.ref, r]),
  )
  return matches.flatMap((match) => {
    const row = rows.get(match.ref)
    return row ? [{ match, row }] : []
  })
}
