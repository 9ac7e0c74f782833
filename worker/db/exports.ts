import type { ExportStatus, ExportView } from '../../core/campaign/views.ts'

/** An exports row with its campaign's slug joined in. */
export type ExportRow = {
  id: string
  remix_id: string
  remix_version: number
  campaign_id: string
  campaign_slug: string
  owner_id: string
  licence_version: number
  recipe_hash: string
  upload_key: string
  upload_sha256: string
  status: ExportStatus
  reason: string | null
  wav_key: string | null
  mp3_key: string | null
  wav_sha256: string | null
  mp3_sha256: string | null
  manifest: string | null
  /** The watermark self-check (JSON, worker/jobs/export-job.ts `WatermarkCheck`) once processed. */
  watermark: string | null
  created_at: string
  updated_at: string
}

const SELECT = `SELECT e.*, c.slug AS campaign_slug FROM exports e JOIN campaigns c ON c.id = e.campaign_id`

/** The API view of a row; `downloads` are signed by the route, only for ready exports. */
export function exportFrom(row: ExportRow, downloads: ExportView['downloads'] = null): ExportView {
  return {
    id: row.id,
    remixId: row.remix_id,
    remixVersion: row.remix_version,
    campaign: row.campaign_slug,
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at,
    licenceVersion: row.licence_version,
    downloads: row.status === 'ready' ? downloads : null,
  }
}

export async function findExportRow(db: D1Database, id: string): Promise<ExportRow | null> {
  return db.prepare(`${SELECT} WHERE e.id = ?1`).bind(id).first<ExportRow>()
}

/** A user's exports, newest first. */
export async function listExportsOf(db: D1Database, ownerId: string): Promise<ExportRow[]> {
  const { results } = await db
    .prepare(`${SELECT} WHERE e.owner_id = ?1 ORDER BY e.created_at DESC, e.rowid DESC`)
    .bind(ownerId)
    .all<ExportRow>()
  return results
}

/** How many exports a fan made for a campaign since `since`, rejected ones not counted. */
export async function countExportsSince(
  db: D1Database,
  ownerId: string,
  campaignId: string,
  since: string,
): Promise<number> {
  const count = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM exports
       WHERE owner_id = ?1 AND campaign_id = ?2 AND created_at > ?3 AND status != 'rejected'`,
    )
    .bind(ownerId, campaignId, since)
    .first<number>('n')
  return count ?? 0
}

/** What a new export is made of; it starts `queued` with its manifest's claim. */
export type NewExport = {
  id: string
  remixId: string
  remixVersion: number
  campaignId: string
  ownerId: string
  licenceVersion: number
  recipeHash: string
  uploadKey: string
  uploadSha256: string
  manifest: string
  createdAt: string
}

export async function insertExport(db: D1Database, e: NewExport): Promise<ExportRow> {
  const [, read] = await db.batch<ExportRow>([
    db
      .prepare(
        `INSERT INTO exports (id, remix_id, remix_version, campaign_id, owner_id, licence_version,
           recipe_hash, upload_key, upload_sha256, status, manifest, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'queued', ?10, ?11, ?11)`,
      )
      .bind(
        e.id,
        e.remixId,
        e.remixVersion,
        e.campaignId,
        e.ownerId,
        e.licenceVersion,
        e.recipeHash,
        e.uploadKey,
        e.uploadSha256,
        e.manifest,
        e.createdAt,
      ),
    db.prepare(`${SELECT} WHERE e.id = ?1`).bind(e.id),
  ])
  const row = read?.results[0]
  if (!row) throw new Error(`export ${e.id} vanished after insert`)
  return row
}

/** Moves a queued (or interrupted) export to processing; false if it is already finished. */
export async function markProcessing(db: D1Database, id: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE exports SET status = 'processing', updated_at = ?2
       WHERE id = ?1 AND status IN ('queued', 'processing')`,
    )
    .bind(id, new Date().toISOString())
    .run()
  return result.meta.changes === 1
}

/** The outputs of a processed export, stored before it is marked ready. */
export type ExportOutputs = {
  wavKey: string
  mp3Key: string
  wavSha256: string
  mp3Sha256: string
  manifest: string
  watermark: string
}

export async function saveOutputs(db: D1Database, id: string, o: ExportOutputs): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET wav_key = ?2, mp3_key = ?3, wav_sha256 = ?4, mp3_sha256 = ?5,
         manifest = ?6, watermark = ?8, updated_at = ?7
       WHERE id = ?1 AND status = 'processing'`,
    )
    .bind(
      id,
      o.wavKey,
      o.mp3Key,
      o.wavSha256,
      o.mp3Sha256,
      o.manifest,
      new Date().toISOString(),
      o.watermark,
    )
    .run()
}

export async function markReady(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET status = 'ready', reason = NULL, updated_at = ?2
       WHERE id = ?1 AND status = 'processing' AND wav_sha256 IS NOT NULL`,
    )
    .bind(id, new Date().toISOString())
    .run()
}

/** Rejects an unfinished export with a reason for the fan, forgetting any outputs. */
export async function markRejected(db: D1Database, id: string, reason: string): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET status = 'rejected', reason = ?2, wav_key = NULL, mp3_key = NULL,
         wav_sha256 = NULL, mp3_sha256 = NULL, watermark = NULL, updated_at = ?3
       WHERE id = ?1 AND status IN ('queued', 'processing')`,
    )
    .bind(id, reason, new Date().toISOString())
    .run()
}

/** Removes an export that never got going (its job could not be queued). */
export async function deleteUnstartedExport(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM exports WHERE id = ?1 AND status = 'queued'").bind(id).run()
}
