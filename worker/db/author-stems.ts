import type { StemRow } from './stems.ts'

/** A stems row with the columns uploads added (migration 0007). */
export type AuthorStemRow = StemRow & {
  master_key: string | null
  bit_depth: number | null
  file_name: string | null
  ingest_status: 'processing' | 'ready' | 'failed'
  ingest_error: string | null
  markability?: string | null // Markability JSON (migration 0018), null until measured
}

export async function listAuthorStemRows(
  db: D1Database,
  campaignId: string,
): Promise<AuthorStemRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM stems WHERE campaign_id = ?1 ORDER BY position')
    .bind(campaignId)
    .all<AuthorStemRow>()
  return results
}

export async function findAuthorStemRow(db: D1Database, id: string): Promise<AuthorStemRow | null> {
  return db.prepare('SELECT * FROM stems WHERE id = ?1').bind(id).first<AuthorStemRow>()
}
