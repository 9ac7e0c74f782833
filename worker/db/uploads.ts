import type { StemRole } from '../../core/campaign/manifest.ts'
import type { UploadView } from '../../core/api/authoring.ts'

export type { UploadView }

/** An uploads row as D1 returns it. */
export type UploadRow = {
  id: string
  campaign_id: string
  owner_id: string
  kind: 'stem' | 'reference'
  file_name: string
  size: number
  part_size: number
  part_count: number
  object_key: string
  r2_upload_id: string
  status: 'open' | 'completed'
  stem_id: string | null
  created_at: string
  updated_at: string
}

/** What the browser sees of an upload: enough to resume it. */

/** The campaign columns uploads need: who owns it, whether it is a draft, its reference mix. */
export type UploadCampaignRow = {
  id: string
  owner_id: string
  status: string
  tempo: number | null
  musical_key: string | null
  reference_key: string | null
  reference_file_name: string | null
}

export async function findUploadCampaign(
  db: D1Database,
  id: string,
): Promise<UploadCampaignRow | null> {
  return db
    .prepare(
      `SELECT id, owner_id, status, tempo, musical_key, reference_key, reference_file_name
       FROM campaigns WHERE id = ?1`,
    )
    .bind(id)
    .first<UploadCampaignRow>()
}

export async function insertUpload(db: D1Database, row: UploadRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO uploads (id, campaign_id, owner_id, kind, file_name, size, part_size, part_count,
         object_key, r2_upload_id, status, stem_id, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
    )
    .bind(
      row.id,
      row.campaign_id,
      row.owner_id,
      row.kind,
      row.file_name,
      row.size,
      row.part_size,
      row.part_count,
      row.object_key,
      row.r2_upload_id,
      row.status,
      row.stem_id,
      row.created_at,
      row.updated_at,
    )
    .run()
}

export async function findUploadRow(db: D1Database, id: string): Promise<UploadRow | null> {
  return db.prepare('SELECT * FROM uploads WHERE id = ?1').bind(id).first<UploadRow>()
}

export async function listUploadParts(
  db: D1Database,
  uploadId: string,
): Promise<{ part_number: number; etag: string; size: number }[]> {
  const { results } = await db
    .prepare(
      'SELECT part_number, etag, size FROM upload_parts WHERE upload_id = ?1 ORDER BY part_number',
    )
    .bind(uploadId)
    .all<{ part_number: number; etag: string; size: number }>()
  return results
}

/** Records (or, for a part sent again, replaces) a part's etag. Only while the upload is open. */
export async function recordUploadPart(
  db: D1Database,
  uploadId: string,
  part: { number: number; etag: string; size: number },
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO upload_parts (upload_id, part_number, etag, size)
       SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM uploads WHERE id = ?1 AND status = 'open')
       ON CONFLICT (upload_id, part_number) DO UPDATE SET etag = excluded.etag, size = excluded.size`,
    )
    .bind(uploadId, part.number, part.etag, part.size)
    .run()
  return result.meta.changes > 0
}

/** Removes an upload and its parts. */
export async function deleteUpload(db: D1Database, uploadId: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM upload_parts WHERE upload_id = ?1').bind(uploadId),
    db.prepare('DELETE FROM uploads WHERE id = ?1').bind(uploadId),
  ])
}

export function uploadViewFrom(row: UploadRow, parts: number[]): UploadView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    kind: row.kind,
    fileName: row.file_name,
    size: row.size,
    partSize: row.part_size,
    partCount: row.part_count,
    uploadedParts: row.status === 'completed' ? [] : parts,
    status: row.status,
  }
}

/** What the worker read from a completed stem upload. */
export type NewStem = {
  id: string
  campaignId: string
  name: string
  role: StemRole
  isVoice: boolean
  masterKey: string
  fileName: string
  format: 'wav' | 'flac'
  sampleRate: number
  channels: number
  bitDepth: number
  lengthSamples: number
}

/**
 * Inserts a completed upload's stem ('processing', at the next position) and marks the upload
 * completed, in one transaction. Replays insert nothing.
 */
export async function completeStemUpload(
  db: D1Database,
  uploadId: string,
  stem: NewStem,
  now: string,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO stems (id, campaign_id, position, name, role, is_voice, r2_key, format, sample_rate,
           channels, length_samples, sha256, peaks_key, analysis, isrc, rights_holders,
           master_key, bit_depth, file_name, ingest_status, ingest_error)
         SELECT ?1, ?2, COALESCE((SELECT MAX(position) + 1 FROM stems WHERE campaign_id = ?2), 0),
           ?3, ?4, ?5, '', ?6, ?7, ?8, ?9, '', '', '{}', NULL, '[]', ?10, ?11, ?12, 'processing', NULL
         WHERE NOT EXISTS (SELECT 1 FROM stems WHERE id = ?1)`,
      )
      .bind(
        stem.id,
        stem.campaignId,
        stem.name,
        stem.role,
        stem.isVoice ? 1 : 0,
        stem.format,
        stem.sampleRate,
        stem.channels,
        stem.lengthSamples,
        stem.masterKey,
        stem.bitDepth,
        stem.fileName,
      ),
    db.prepare('DELETE FROM upload_parts WHERE upload_id = ?1').bind(uploadId),
    db
      .prepare(
        `UPDATE uploads SET status = 'completed', stem_id = ?2, updated_at = ?3 WHERE id = ?1`,
      )
      .bind(uploadId, stem.id, now),
  ])
}

/**
 * Makes a completed upload the campaign's reference mix (the null test is to be run again) and
 * answers the previous reference's key, if another.
 */
export async function completeReferenceUpload(
  db: D1Database,
  upload: UploadRow,
  format: 'wav' | 'flac',
  now: string,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `UPDATE campaigns SET reference_key = ?2, reference_file_name = ?3, reference_format = ?4,
           null_test_db = NULL, null_test_error = NULL WHERE id = ?1`,
      )
      .bind(upload.campaign_id, upload.object_key, upload.file_name, format),
    db.prepare('DELETE FROM upload_parts WHERE upload_id = ?1').bind(upload.id),
    db
      .prepare(`UPDATE uploads SET status = 'completed', updated_at = ?2 WHERE id = ?1`)
      .bind(upload.id, now),
  ])
}

/** Removes the stem row a refused completion had begun (only while it is still processing). */
export async function deleteProcessingStem(db: D1Database, stemId: string): Promise<void> {
  await db
    .prepare("DELETE FROM stems WHERE id = ?1 AND ingest_status = 'processing'")
    .bind(stemId)
    .run()
}

/** Puts a failed stem back in the ingest queue's hands. */
export async function markStemReprocessing(db: D1Database, stemId: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE stems SET ingest_status = 'processing', ingest_error = NULL
       WHERE id = ?1 AND ingest_status = 'failed'`,
    )
    .bind(stemId)
    .run()
  return result.meta.changes > 0
}
