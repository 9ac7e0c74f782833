import type { Markability } from '../../core/watermark/markability.ts'
/**
 * A published campaigns row as D1 returns it. Drafts hold placeholders ('null' licence and splits,
 * '' window, sample rate 0; see migration 0006) and are read only by worker/db/author-campaigns.ts.
 */
export type CampaignRow = {
  id: string
  slug: string
  owner_id: string
  title: string
  artist: string
  description: string
  status: 'draft' | 'live' | 'closed'
  tempo: number
  musical_key: string
  time_signature: string
  sample_rate: number
  artwork_key: string | null
  opens_at: string
  closes_at: string
  iswc: string | null
  licence: string
  splits: string
  credits: string
  analysis: string | null // CampaignAnalysis JSON (migration 0009)
  markability?: string | null // Markability JSON (migration 0018), null until measured
  /** When an admin suspended the owner (migration 0014); read by findCampaignRow only. */
  owner_suspended_at?: string | null
}

/** The campaign's measured markability (migration 0018), or null until measured. */
export function markabilityOf(row: Pick<CampaignRow, 'markability'>): Markability | null {
  return row.markability ? (JSON.parse(row.markability) as Markability) : null
}

/** A published campaign by slug; drafts do not exist to this reader. */
/** Published campaign rows, newest window first. Drafts stay private to their owner. */
export async function listCampaignRows(db: D1Database): Promise<CampaignRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM campaigns WHERE status != 'draft' ORDER BY opens_at DESC, slug")
    .all<CampaignRow>()
  return results
}

/** A published campaign by slug; drafts do not exist to this reader. */
export async function findCampaignRow(db: D1Database, slug: string): Promise<CampaignRow | null> {
  return db
    .prepare(
      `SELECT c.*, u.suspended_at AS owner_suspended_at FROM campaigns c
       LEFT JOIN users u ON u.id = c.owner_id WHERE c.slug = ?1 AND c.status != 'draft'`,
    )
    .bind(slug)
    .first<CampaignRow>()
}

/** What the campaign's status at a given time depends on. */
export function windowOf(row: CampaignRow) {
  return {
    status: row.status,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    ownerSuspended: !!row.owner_suspended_at,
  }
}

/** Statement that writes a campaign row, replacing nothing that exists (seed is idempotent). */
export function upsertCampaignStatement(db: D1Database, row: CampaignRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO campaigns (id, slug, owner_id, title, artist, description, status, tempo, musical_key,
         time_signature, sample_rate, artwork_key, opens_at, closes_at, iswc, licence, splits, credits,
         analysis, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, artist = excluded.artist,
         description = excluded.description, status = excluded.status, tempo = excluded.tempo,
         musical_key = excluded.musical_key, time_signature = excluded.time_signature,
         sample_rate = excluded.sample_rate, artwork_key = excluded.artwork_key,
         opens_at = excluded.opens_at, closes_at = excluded.closes_at, iswc = excluded.iswc,
         licence = excluded.licence, splits = excluded.splits, credits = excluded.credits,
         analysis = excluded.analysis
       WHERE (title, artist, description, status, tempo, musical_key, time_signature, sample_rate,
         artwork_key, opens_at, closes_at, iswc, licence, splits, credits, analysis)
       IS NOT (excluded.title, excluded.artist, excluded.description, excluded.status, excluded.tempo,
         excluded.musical_key, excluded.time_signature, excluded.sample_rate, excluded.artwork_key,
         excluded.opens_at, excluded.closes_at, excluded.iswc, excluded.licence, excluded.splits,
         excluded.credits, excluded.analysis)`,
    )
    .bind(
      row.id,
      row.slug,
      row.owner_id,
      row.title,
      row.artist,
      row.description,
      row.status,
      row.tempo,
      row.musical_key,
      row.time_signature,
      row.sample_rate,
      row.artwork_key,
      row.opens_at,
      row.closes_at,
      row.iswc,
      row.licence,
      row.splits,
      row.credits,
      row.analysis,
      new Date().toISOString(),
    )
}
