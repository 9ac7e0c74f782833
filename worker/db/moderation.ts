import type { ModerationAction, RemixStatus } from '../../core/moderation/rules.ts'
import type { Actor, AuditEntry, PublicRemix, ReportView } from '../../core/api/moderation.ts'
import { APPROVED_EXPORT, remixStatusFromExports } from './exports.ts'

/** A moderation_log row as D1 returns it. */
export type LogRow = {
  id: string
  at: string
  actor_id: string | null
  actor_name: string
  action: ModerationAction
  campaign_id: string
  remix_id: string
  export_id: string | null
  report_id: string | null
  reason: string | null
}

/** What one log entry says; the remix's campaign is read from the remix itself. */
export type LogEntry = {
  id: string
  at: string
  actor: Actor
  action: ModerationAction
  remixId: string
  exportId?: string | null
  reportId?: string | null
  reason?: string | null
}

export function auditEntryFrom(row: LogRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    campaignId: row.campaign_id,
    remixId: row.remix_id,
    exportId: row.export_id,
    reason: row.reason,
  }
}

/** Appends `e` only when the remix is in `status` (or in any status when null). */
function appendWhen(db: D1Database, e: LogEntry, status: RemixStatus | null): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO moderation_log (id, at, actor_id, actor_name, action, campaign_id, remix_id,
         export_id, report_id, reason)
       SELECT ?1, ?2, ?3, ?4, ?5, r.campaign_id, r.id, ?7, ?8, ?9 FROM remixes r
       WHERE r.id = ?6 AND (?10 IS NULL OR r.status = ?10)`,
    )
    .bind(
      e.id,
      e.at,
      e.actor.id,
      e.actor.name,
      e.action,
      e.remixId,
      e.exportId ?? null,
      e.reportId ?? null,
      e.reason ?? null,
      status,
    )
}

const logged = (db: D1Database, id: string) =>
  db.prepare('SELECT 1 FROM moderation_log WHERE id = ?1').bind(id).first()

/** The owner of a campaign, or null when there is no such campaign. */
export async function campaignOwnerOf(db: D1Database, campaignId: string): Promise<string | null> {
  return db
    .prepare('SELECT owner_id FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<string>('owner_id')
}

const DONE = 'EXISTS (SELECT 1 FROM moderation_log WHERE id = ?1)'

/**
 * A takedown, in one transaction: the log entry, the remix's new status and last decision, and
 * its open reports resolved — all only if the remix is still `from`. Answers whether it happened
 * (false: someone else changed the remix first).
 */
export async function recordTakedown(
  db: D1Database,
  p: { entry: LogEntry; from: RemixStatus },
): Promise<boolean> {
  const id = p.entry.id
  await db.batch([
    appendWhen(db, p.entry, p.from),
    db
      .prepare(
        `UPDATE remixes SET status = 'taken_down', moderation_id = ?1
         WHERE id = ?2 AND status = ?3 AND ${DONE}`,
      )
      .bind(id, p.entry.remixId, p.from),
    db
      .prepare(
        `UPDATE reports SET resolved_by = ?1 WHERE remix_id = ?2 AND resolved_by IS NULL AND ${DONE}`,
      )
      .bind(id, p.entry.remixId),
  ])
  return (await logged(db, id)) !== null
}

/**
 * The artist's decision on one export, in one transaction whose first statement is the
 * condition: the log entry is written only while the export is ready, still waits for approval
 * and its remix is not taken down; the export's approval, the remix's status and last decision,
 * and the open reports on that export follow only if it was. Of two concurrent decisions exactly
 * one is logged; a replay logs nothing. Answers whether this decision happened.
 */
export async function recordApproval(
  db: D1Database,
  p: { entry: LogEntry & { exportId: string; action: 'approve' | 'reject' } },
): Promise<boolean> {
  const e = p.entry
  await db.batch([
    db
      .prepare(
        `INSERT INTO moderation_log (id, at, actor_id, actor_name, action, campaign_id, remix_id,
           export_id, report_id, reason)
         SELECT ?1, ?2, ?3, ?4, ?5, r.campaign_id, r.id, x.id, NULL, ?7
         FROM exports x JOIN remixes r ON r.id = x.remix_id
         WHERE x.id = ?6 AND x.status = 'ready' AND x.approval = 'pending'
           AND r.status != 'taken_down'`,
      )
      .bind(e.id, e.at, e.actor.id, e.actor.name, e.action, e.exportId, e.reason ?? null),
    db
      .prepare(
        `UPDATE exports SET approval = ?3, approval_id = ?1
         WHERE id = ?2 AND approval = 'pending' AND ${DONE}`,
      )
      .bind(e.id, e.exportId, e.action === 'approve' ? 'approved' : 'rejected'),
    db
      .prepare(
        `UPDATE remixes SET moderation_id = ?1, status = ${remixStatusFromExports('remixes.id')}
         WHERE id = (SELECT remix_id FROM exports WHERE id = ?2) AND status != 'taken_down'
           AND ${DONE}`,
      )
      .bind(e.id, e.exportId),
    db
      .prepare(
        `UPDATE reports SET resolved_by = ?1 WHERE export_id = ?2 AND resolved_by IS NULL AND ${DONE}`,
      )
      .bind(e.id, e.exportId),
  ])
  return (await logged(db, e.id)) !== null
}

/**
 * A fan's export is queued: the remix's status follows its exports again (a taken-down remix is
 * never brought back this way), and an export that waits for the artist is logged as submitted.
 */
export async function recordExported(
  db: D1Database,
  p: { entry: LogEntry & { exportId: string } },
): Promise<void> {
  const e = p.entry
  await db.batch([
    db
      .prepare(
        `UPDATE remixes SET status = ${remixStatusFromExports('remixes.id')}
         WHERE id = ?1 AND status != 'taken_down'`,
      )
      .bind(e.remixId),
    db
      .prepare(
        `INSERT INTO moderation_log (id, at, actor_id, actor_name, action, campaign_id, remix_id,
           export_id, report_id, reason)
         SELECT ?1, ?2, ?3, ?4, 'submit', r.campaign_id, r.id, x.id, NULL, NULL
         FROM exports x JOIN remixes r ON r.id = x.remix_id
         WHERE x.id = ?5 AND x.approval = 'pending' AND r.status != 'taken_down'`,
      )
      .bind(e.id, e.at, e.actor.id, e.actor.name, e.exportId),
  ])
}

/** A report and its log entry, written together. */
export async function insertReport(
  db: D1Database,
  p: { entry: LogEntry & { reportId: string; exportId: string; reason: string } },
): Promise<void> {
  const e = p.entry
  await db.batch([
    db
      .prepare(
        `INSERT INTO reports (id, export_id, remix_id, campaign_id, reporter_id, reason, created_at)
         SELECT ?1, ?2, r.id, r.campaign_id, ?4, ?5, ?6 FROM remixes r WHERE r.id = ?3`,
      )
      .bind(e.reportId, e.exportId, e.remixId, e.actor.id, e.reason, e.at),
    appendWhen(db, e, null),
  ])
}

/** A reports row with its campaign's owner. */
export type ReportRow = {
  id: string
  export_id: string
  remix_id: string
  campaign_id: string
  owner_id: string
  reason: string
  created_at: string
  resolved_by: string | null
}

export async function findReportRow(db: D1Database, id: string): Promise<ReportRow | null> {
  return db
    .prepare(
      `SELECT p.*, c.owner_id FROM reports p JOIN campaigns c ON c.id = p.campaign_id WHERE p.id = ?1`,
    )
    .bind(id)
    .first<ReportRow>()
}

/** Dismisses one open report, logged; false when it was already resolved. */
export async function dismissReport(
  db: D1Database,
  p: { entry: LogEntry & { reportId: string } },
): Promise<boolean> {
  const e = p.entry
  await db.batch([
    db
      .prepare(
        `INSERT INTO moderation_log (id, at, actor_id, actor_name, action, campaign_id, remix_id,
           export_id, report_id, reason)
         SELECT ?1, ?2, ?3, ?4, 'dismiss', p.campaign_id, p.remix_id, p.export_id, p.id, ?6
         FROM reports p WHERE p.id = ?5 AND p.resolved_by IS NULL`,
      )
      .bind(e.id, e.at, e.actor.id, e.actor.name, e.reportId, e.reason ?? null),
    db
      .prepare(
        `UPDATE reports SET resolved_by = ?1 WHERE id = ?2 AND resolved_by IS NULL
           AND EXISTS (SELECT 1 FROM moderation_log WHERE id = ?1)`,
      )
      .bind(e.id, e.reportId),
  ])
  return (await logged(db, e.id)) !== null
}

/**
 * One entry of a queue: an export waiting for approval (`approval`), or a reported remix with its
 * latest approved export (`report`); what it was made of and the licence version it was made under.
 */
export type QueueRow = {
  kind: 'approval' | 'report'
  remix_id: string
  title: string
  fan: string
  status: RemixStatus
  campaign_id: string
  campaign_slug: string
  licence: string
  export_id: string
  exported_at: string
  recipe: string
}

/**
 * The queue of the campaigns of `ownerId` (every campaign when null): each ready export waiting
 * for the artist's approval on its own, and each remix with open reports. Oldest first.
 */
export async function listQueue(db: D1Database, ownerId: string | null): Promise<QueueRow[]> {
  const { results } = await db
    .prepare(
      `WITH items AS (
         SELECT 'approval' AS kind, x.id AS export_id, x.remix_id FROM exports x
         JOIN campaigns c ON c.id = x.campaign_id JOIN remixes r ON r.id = x.remix_id
         WHERE x.approval = 'pending' AND x.status = 'ready' AND r.status != 'taken_down'
           AND (?1 IS NULL OR c.owner_id = ?1)
         UNION ALL
         SELECT 'report', (SELECT x.id FROM exports x WHERE x.remix_id = r.id
             AND x.status = 'ready' AND ${APPROVED_EXPORT('x')}
             ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1), r.id
         FROM remixes r JOIN campaigns c ON c.id = r.campaign_id
         WHERE (?1 IS NULL OR c.owner_id = ?1)
           AND EXISTS (SELECT 1 FROM reports p WHERE p.remix_id = r.id AND p.resolved_by IS NULL))
       SELECT i.kind, r.id AS remix_id, r.title, u.display_name AS fan, r.status,
         c.id AS campaign_id, c.slug AS campaign_slug, e.id AS export_id,
         e.created_at AS exported_at,
         COALESCE((SELECT v.policy FROM licence_versions v
           WHERE v.campaign_id = c.id AND v.version = e.licence_version), c.licence) AS licence,
         COALESCE(x.recipe, r.recipe) AS recipe
       FROM items i
       JOIN exports e ON e.id = i.export_id
       JOIN remixes r ON r.id = i.remix_id
       JOIN campaigns c ON c.id = r.campaign_id
       JOIN users u ON u.id = r.owner_id
       LEFT JOIN export_recipes x ON x.export_id = e.id
       ORDER BY e.created_at, e.id, i.kind`,
    )
    .bind(ownerId)
    .all<QueueRow>()
  return results
}

/** Open reports of these remixes, oldest first, by remix id. */
export async function openReportsOf(
  db: D1Database,
  remixIds: readonly string[],
): Promise<Map<string, ReportView[]>> {
  const { results } = await db
    .prepare(
      `SELECT id, remix_id, reason, created_at FROM reports
       WHERE resolved_by IS NULL AND remix_id IN (SELECT value FROM json_each(?1))
       ORDER BY created_at, rowid`,
    )
    .bind(JSON.stringify(remixIds))
    .all<{ id: string; remix_id: string; reason: string; created_at: string }>()
  const byRemix = new Map<string, ReportView[]>()
  for (const r of results)
    byRemix.set(r.remix_id, [
      ...(byRemix.get(r.remix_id) ?? []),
      { id: r.id, reason: r.reason, at: r.created_at },
    ])
  return byRemix
}

/** The audit log, newest first: of `ownerId`'s campaigns (all when null), of one campaign if given. */
export async function listAudit(
  db: D1Database,
  p: { ownerId: string | null; campaignId: string | null; limit: number },
): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT l.* FROM moderation_log l JOIN campaigns c ON c.id = l.campaign_id
       WHERE (?1 IS NULL OR c.owner_id = ?1) AND (?2 IS NULL OR l.campaign_id = ?2)
       ORDER BY l.at DESC, l.rowid DESC LIMIT ?3`,
    )
    .bind(p.ownerId, p.campaignId, p.limit)
    .all<LogRow>()
  return results.map(auditEntryFrom)
}

/**
 * Published and taken-down remixes of `ownerId`'s campaigns (all when null), of one campaign if
 * given, each with its latest approved ready export and its count of open reports; newest export first.
 */
export async function listPublicRemixes(
  db: D1Database,
  p: { ownerId: string | null; campaignId: string | null; limit: number },
): Promise<PublicRemix[]> {
  const { results } = await db
    .prepare(
      `WITH latest AS (
         SELECT e.id, e.remix_id, e.created_at, ROW_NUMBER() OVER (
           PARTITION BY e.remix_id ORDER BY e.created_at DESC, e.rowid DESC) AS n
         FROM exports e JOIN campaigns c ON c.id = e.campaign_id
         WHERE e.status = 'ready' AND ${APPROVED_EXPORT('e')} AND (?1 IS NULL OR c.owner_id = ?1)
           AND (?2 IS NULL OR e.campaign_id = ?2))
       SELECT r.id AS remixId, r.title, u.display_name AS fan, r.status,
         (SELECT COUNT(*) FROM reports p WHERE p.remix_id = r.id AND p.resolved_by IS NULL)
           AS openReports,
         c.id AS campaignId, c.slug AS campaignSlug, l.id AS exportId, l.created_at AS exportedAt
       FROM latest l
       JOIN remixes r ON r.id = l.remix_id
       JOIN campaigns c ON c.id = r.campaign_id
       JOIN users u ON u.id = r.owner_id
       WHERE l.n = 1 AND r.status IN ('published', 'taken_down')
       ORDER BY l.created_at DESC, r.id DESC LIMIT ?3`,
    )
    .bind(p.ownerId, p.campaignId, p.limit)
    .all<PublicRemix>()
  return results
}
