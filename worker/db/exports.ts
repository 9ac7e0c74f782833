import type {
  ExportApproval,
  ExportStage,
  ExportStatus,
  ExportView,
} from '../../core/api/exports.ts'
import type { VerifiedStatus } from '../../core/campaign/verification.ts'
import type { ExportFormat } from '../../core/api/formats.ts'
import type { ManifestOutput } from '../../core/provenance/manifest.ts'

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
  /** The fan's Idempotency-Key: one export per key and fan. */
  idempotency_key: string | null
  status: ExportStatus
  stage: ExportStage
  progress: number
  reason: string | null
  wav_key: string | null
  mp3_key: string | null
  wav_sha256: string | null
  mp3_sha256: string | null
  manifest: string | null
  /** The formats the fan chose (JSON array, core/api/formats.ts). */
  formats: string
  /** How long the export lasts, once rendered (null for exports made before it was stored). */
  seconds: number | null
  /** The watermark self-check (JSON, worker/export/check.ts `WatermarkCheck`) once processed. */
  watermark: string | null
  created_at: string
  updated_at: string
  approval: ExportApproval
  /** The log entry of the artist's decision on this export. */
  approval_id: string | null
  /** The reason the artist gave with that decision. */
  approval_reason: string | null
  /** 1 when the export is public ({@link PUBLIC_EXPORT}), else 0. */
  public: 0 | 1
}

/**
 * The export (alias `e`) has the approval it needs: its licence asks for none, or the artist
 * approved this very export. Approving one export says nothing about the others of its remix.
 */
export const APPROVED_EXPORT = (e: string) => `${e}.approval IN ('none', 'approved')`

/**
 * A remix's status follows its exports (a taken-down remix stays down): published while one of
 * them has the approval it needs, submitted while one waits for the artist, else a draft.
 */
export const remixStatusFromExports = (remixId: string) => `CASE
    WHEN EXISTS (SELECT 1 FROM exports x WHERE x.remix_id = ${remixId}
      AND x.status != 'rejected' AND ${APPROVED_EXPORT('x')}) THEN 'published'
    WHEN EXISTS (SELECT 1 FROM exports x WHERE x.remix_id = ${remixId}
      AND x.status != 'rejected' AND x.approval = 'pending') THEN 'submitted'
    ELSE 'draft' END`

/**
 * The one rule for "this export is public" (alias `e`): ready, approved as {@link APPROVED_EXPORT}
 * says, and of a remix that is not taken down. Its share page, audio, downloads and plays follow.
 */
export const PUBLIC_EXPORT = (e: string) =>
  `(${e}.status = 'ready' AND ${APPROVED_EXPORT(e)} AND NOT EXISTS (
    SELECT 1 FROM remixes td WHERE td.id = ${e}.remix_id AND td.status = 'taken_down'))`

/**
 * Where an export stands for the public (verify, signed manifests): taken down with its remix,
 * ready but not public ({@link PUBLIC_EXPORT}: waiting for the artist or not approved), or its state.
 */
export function statusNowOf(row: ExportRow, remixStatus: string | undefined): VerifiedStatus {
  if (remixStatus === 'taken_down') return 'taken_down'
  if (row.status === 'ready' && !row.public)
    return row.approval === 'pending' ? 'awaiting_approval' : 'not_approved'
  return row.status
}

const SELECT = `SELECT e.*, c.slug AS campaign_slug, ${PUBLIC_EXPORT('e')} AS public,
  (SELECT l.reason FROM moderation_log l WHERE l.id = e.approval_id) AS approval_reason
  FROM exports e JOIN campaigns c ON c.id = e.campaign_id`

/** The API view of a row; `downloads` are signed by the route, only for ready exports. */
export function exportFrom(row: ExportRow, downloads: ExportView['downloads'] = null): ExportView {
  return {
    id: row.id,
    remixId: row.remix_id,
    remixVersion: row.remix_version,
    campaign: row.campaign_slug,
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    reason: row.reason,
    createdAt: row.created_at,
    licenceVersion: row.licence_version,
    formats: formatsOf(row),
    downloads: row.status === 'ready' ? downloads : null,
    approval: row.approval,
    approvalReason: row.approval === 'rejected' ? row.approval_reason : null,
  }
}

export async function findExportRow(db: D1Database, id: string): Promise<ExportRow | null> {
  return db.prepare(`${SELECT} WHERE e.id = ?1`).bind(id).first<ExportRow>()
}

/** The id of a ready export made without a watermark whose WAV or MP3 has this SHA-256, if any. */
export async function findUnwatermarkedExportByFile(
  db: D1Database,
  sha256: string,
): Promise<string | null> {
  return db
    .prepare(
      `SELECT id FROM exports WHERE (mp3_sha256 = ?1 OR wav_sha256 = ?1) AND status = 'ready'
         AND json_extract(manifest, '$.watermark.embedded') = 0 LIMIT 1`,
    )
    .bind(sha256)
    .first<string>('id')
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
const COUNT_SINCE = `SELECT COUNT(*) FROM exports
  WHERE owner_id = ?1 AND campaign_id = ?2 AND created_at > ?3 AND status != 'rejected'`

export async function countExportsSince(
  db: D1Database,
  ownerId: string,
  campaignId: string,
  since: string,
): Promise<number> {
  const count = await db
    .prepare(`SELECT (${COUNT_SINCE}) AS n`)
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
  /** The recipe (JSON) as read with the remix: the snapshot the export is rendered and credited from. */
  recipe: string
  manifest: string
  createdAt: string
  idempotencyKey: string
  /** The formats the fan chose. */
  formats: readonly ExportFormat[]
  /** The licence it is made under asks for the artist's approval: the export waits for it. */
  needsApproval: boolean
  /** The daily limit: at most this many unrejected exports by the fan for the campaign since `since`. */
  limit: { max: number; since: string } | null
}

/** A new export, the one an earlier request with the same key made, or none: the limit is reached. */
export type InsertedExport =
  | { outcome: 'created'; row: ExportRow }
  | { outcome: 'existing'; row: ExportRow }
  | { outcome: 'limited' }

/**
 * Creates an export and its recipe snapshot in one batch (one transaction). The insert is a
 * single conditional statement: it counts the fan's exports of the day and inserts only below
 * the limit, and does nothing when the fan's key already names an export. So concurrent
 * requests can neither pass the limit nor make two exports for one key.
 */
export async function insertExport(db: D1Database, e: NewExport): Promise<InsertedExport> {
  const [, , read] = await db.batch<ExportRow>([
    db
      .prepare(
        `INSERT INTO exports (id, remix_id, remix_version, campaign_id, owner_id, licence_version,
           recipe_hash, idempotency_key, status, manifest, created_at, updated_at, approval, formats)
         SELECT ?4, ?5, ?6, ?2, ?1, ?7, ?8, ?9, 'queued', ?10, ?11, ?11, ?13, ?14
         WHERE ?12 IS NULL OR (${COUNT_SINCE}) < ?12
         ON CONFLICT (owner_id, idempotency_key) DO NOTHING`,
      )
      .bind(
        e.ownerId,
        e.campaignId,
        e.limit?.since ?? '',
        e.id,
        e.remixId,
        e.remixVersion,
        e.licenceVersion,
        e.recipeHash,
        e.idempotencyKey,
        e.manifest,
        e.createdAt,
        e.limit?.max ?? null,
        e.needsApproval ? 'pending' : 'none',
        JSON.stringify(e.formats),
      ),
    db
      .prepare(
        `INSERT INTO export_recipes (export_id, recipe) SELECT ?1, ?2
         WHERE EXISTS (SELECT 1 FROM exports WHERE id = ?1)
         ON CONFLICT (export_id) DO NOTHING`,
      )
      .bind(e.id, e.recipe),
    db
      .prepare(`${SELECT} WHERE e.owner_id = ?1 AND e.idempotency_key = ?2`)
      .bind(e.ownerId, e.idempotencyKey),
  ])
  const row = read?.results[0]
  if (!row) return { outcome: 'limited' }
  return { outcome: row.id === e.id ? 'created' : 'existing', row }
}

/** Where the job is, for the export dialog; only while the export is being processed. */
export async function setStage(
  db: D1Database,
  id: string,
  stage: ExportStage,
  progress: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET stage = ?2, progress = ?3, updated_at = ?4
       WHERE id = ?1 AND status = 'processing'`,
    )
    .bind(id, stage, Math.min(1, Math.max(0, progress)), new Date().toISOString())
    .run()
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

/** The formats an export row says the fan chose. */
export const formatsOf = (row: Pick<ExportRow, 'formats'>) =>
  JSON.parse(row.formats) as ExportFormat[]

/**
 * The outputs of a processed export, stored before it is marked ready: the manifest (with every
 * file's key and hash), the MP3 the share page plays, the WAV if one was chosen, the length.
 */
export type ExportOutputs = {
  wav: ManifestOutput | null
  mp3: ManifestOutput
  seconds: number
  manifest: string
  watermark: string
}

export async function saveOutputs(db: D1Database, id: string, o: ExportOutputs): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET wav_key = ?2, mp3_key = ?3, wav_sha256 = ?4, mp3_sha256 = ?5,
         manifest = ?6, watermark = ?8, seconds = ?9, updated_at = ?7
       WHERE id = ?1 AND status = 'processing'`,
    )
    .bind(
      id,
      o.wav?.key ?? null,
      o.mp3.key,
      o.wav?.sha256 ?? null,
      o.mp3.sha256,
      o.manifest,
      new Date().toISOString(),
      o.watermark,
      o.seconds,
    )
    .run()
}

export async function markReady(db: D1Database, id: string): Promise<void> {
  await db
    .prepare(
      `UPDATE exports SET status = 'ready', stage = 'done', progress = 1, reason = NULL, updated_at = ?2
       WHERE id = ?1 AND status = 'processing' AND mp3_sha256 IS NOT NULL`,
    )
    .bind(id, new Date().toISOString())
    .run()
}

/** Rejects an unfinished export with a reason for the fan, forgetting its outputs and snapshot. */
export async function markRejected(db: D1Database, id: string, reason: string): Promise<void> {
  const now = new Date().toISOString()
  await db.batch([
    db
      .prepare(
        `UPDATE exports SET status = 'rejected', stage = 'done', reason = ?2, wav_key = NULL,
           mp3_key = NULL, wav_sha256 = NULL, mp3_sha256 = NULL, watermark = NULL, seconds = NULL,
           manifest_signature = NULL, updated_at = ?3
         WHERE id = ?1 AND status IN ('queued', 'processing')`,
      )
      .bind(id, reason, now),
    // a rejected export no longer holds its remix in the artist's queue
    db
      .prepare(
        `UPDATE remixes SET status = ${remixStatusFromExports('remixes.id')}
         WHERE id = (SELECT remix_id FROM exports WHERE id = ?1 AND status = 'rejected')
           AND status != 'taken_down'`,
      )
      .bind(id),
    db
      .prepare(
        `DELETE FROM export_recipes WHERE export_id = ?1
         AND EXISTS (SELECT 1 FROM exports WHERE id = ?1 AND status = 'rejected')`,
      )
      .bind(id),
  ])
}

/** Removes an export that never got going (its job could not be queued), with its snapshot. */
export async function deleteUnstartedExport(db: D1Database, id: string): Promise<void> {
  await db.batch([
    db
      .prepare(
        `DELETE FROM export_recipes WHERE export_id = ?1
         AND EXISTS (SELECT 1 FROM exports WHERE id = ?1 AND status = 'queued')`,
      )
      .bind(id),
    db.prepare("DELETE FROM exports WHERE id = ?1 AND status = 'queued'").bind(id),
  ])
}

/** The export a fan's Idempotency-Key already names, if any. */
export async function findExportByKey(
  db: D1Database,
  ownerId: string,
  key: string,
): Promise<ExportRow | null> {
  return db
    .prepare(`${SELECT} WHERE e.owner_id = ?1 AND e.idempotency_key = ?2`)
    .bind(ownerId, key)
    .first<ExportRow>()
}
