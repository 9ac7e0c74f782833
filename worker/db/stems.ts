import type { StemRole } from '../../core/campaign/manifest.ts'

/** A stems row as D1 returns it. */
export type StemRow = {
  id: string
  campaign_id: string
  position: number
  name: string
  role: StemRole
  is_voice: 0 | 1
  r2_key: string
  format: string
  sample_rate: number
  channels: number
  length_samples: number
  sha256: string
  peaks_key: string
  analysis: string
  isrc: string | null
  rights_holders: string
  /** The lossless master (WAV or FLAC) of an uploaded stem; null for the demo's renditions. */
  master_key?: string | null
  /** Where an uploaded stem's ingest is (the demo's are 'ready'). */
  ingest_status?: 'processing' | 'ready' | 'failed'
  /** Its notes (worker/storage/keys.ts notesKey), once transcribed; null without any. */
  notes_key?: string | null
}

export async function findStemRow(db: D1Database, id: string): Promise<StemRow | null> {
  return db.prepare('SELECT * FROM stems WHERE id = ?1').bind(id).first<StemRow>()
}

/** Statement that writes a stem row, updating it in place if the id exists. */
export function upsertStemStatement(db: D1Database, row: StemRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO stems (id, campaign_id, position, name, role, is_voice, r2_key, format, sample_rate,
         channels, length_samples, sha256, peaks_key, analysis, isrc, rights_holders)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name,
         role = excluded.role, is_voice = excluded.is_voice, r2_key = excluded.r2_key,
         format = excluded.format, sample_rate = excluded.sample_rate, channels = excluded.channels,
         length_samples = excluded.length_samples, sha256 = excluded.sha256,
         peaks_key = excluded.peaks_key, analysis = excluded.analysis, isrc = excluded.isrc,
         rights_holders = excluded.rights_holders
       WHERE (position, name, role, is_voice, r2_key, format, sample_rate, channels, length_samples,
         sha256, peaks_key, analysis, isrc, rights_holders)
       IS NOT (excluded.position, excluded.name, excluded.role, excluded.is_voice, excluded.r2_key,
         excluded.format, excluded.sample_rate, excluded.channels, excluded.length_samples,
         excluded.sha256, excluded.peaks_key, excluded.analysis, excluded.isrc,
         excluded.rights_holders)`,
    )
    .bind(
      row.id,
      row.campaign_id,
      row.position,
      row.name,
      row.role,
      row.is_voice,
      row.r2_key,
      row.format,
      row.sample_rate,
      row.channels,
      row.length_samples,
      row.sha256,
      row.peaks_key,
      row.analysis,
      row.isrc,
      row.rights_holders,
    )
}

/** A campaign's stem rows (with their R2 keys), in order: what the export job reads. */
export async function listStemRows(db: D1Database, campaignId: string): Promise<StemRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM stems WHERE campaign_id = ?1 ORDER BY position')
    .bind(campaignId)
    .all<StemRow>()
  return results
}

/** A stem with its campaign's status and owner, to decide who may hear it. */
/** A stem with what decides who may have it: its campaign's status and owner. */
export type StemAccessRow = StemRow & { campaign_status: string; owner_id: string }

export async function findStemAccess(db: D1Database, id: string): Promise<StemAccessRow | null> {
  return db
    .prepare(
      `SELECT s.*, c.status AS campaign_status, c.owner_id FROM stems s
       JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?1`,
    )
    .bind(id)
    .first()
}
