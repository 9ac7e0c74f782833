import type { ModerationAction, RemixStatus } from '../../core/moderation/rules.ts'
import type { Actor, AuditEntry, PublicRemix, ReportView } from '../../core/api/moderation.ts'

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

/**
 * An artist's decision, in one transaction: the log entry, the remix's new status and last
 * decision, and its open reports resolved — all only if the remix is still `from`. Answers
 * whether it happened (false: someone else changed the remix first).
 */
export async function recordDecision(
  db: D1Database,
  p: { entry: LogEntry; from: RemixStatus; to: RemixStatus },
): Promise<boolean> {
  const id = p.entry.id
  const done = 'EXISTS (SELECT 1 FROM moderation_log WHERE id = ?1)'
  await db.batch([
    appendWhen(db, p.entry, p.from),
    db
      .prepare(
        `UPDATE remixes SET status = ?2, moderation_id = ?1 WHERE id = ?3 AND status = ?4 AND ${done}`,
      )
      .bind(id, p.to, p.entry.remixId, p.from),
    db
      .prepare(
        `UPDATE reports SET resolved_by = ?1 WHERE remix_id = ?2 AND resolved_by IS NULL AND ${done}`,
      )
      .bind(id, p.entry.remixId),
  ])
  return (await logged(db, id)) !== null
}

/**
 * A fan's export moves their remix to `to` (submitted or published); a submission is logged.
 * A taken-down remix is never brought back this way.
 */
export async function recordExported(
  db: D1Database,
  p: { entry: LogEntry; to: RemixStatus },
): Promise<void> {
  const move = db
    .prepare("UPDATE remixes SET status = ?2 WHERE id = ?1 AND status != 'taken_down'")
    .bind(p.entry.remixId, p.to)
  if (p.to !== 'submitted') {
    await move.run()
    return
  }
  await db.batch([move, appendWhen(db, p.entry, 'submitted')])
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
 * A remix waiting in a queue, with its latest ready export, what it was made of and the licence
 * version it was made under.
 */
export type QueueRow = {
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
 * Remixes waiting for a decision on the campaigns of `ownerId` (every campaign when null):
 * submitted ones with a ready export to listen to, and any with open reports. Oldest first.
 */
export async function listQueue(db: D1Database, ownerId: string | null): Promise<QueueRow[]> {
  const { results } = await db
    .prepare(
      `SELECT r.id AS remix_id, r.title, u.display_name AS fan, r.status, c.id AS campaign_id,
         c.slug AS campaign_slug, e.id AS export_id, e.created_at AS exported_at,
         COALESCE((SELECT v.policy FROM licence_versions v
           WHERE v.campaign_id = c.id AND v.version = e.licence_version), c.licence) AS licence,
         COALESCE(x.recipe, r.recipe) AS recipe
       FROM remixes r
       JOIN campaigns c ON c.id = r.campaign_id
       JOIN users u ON u.id = r.owner_id
       JOIN exports e ON e.id = (
         SELECT id FROM exports WHERE remix_id = r.id AND status = 'ready'
         ORDER BY created_at DESC, rowid DESC LIMIT 1)
       LEFT JOIN export_recipes x ON x.export_id = e.id
       WHERE (?1 IS NULL OR c.owner_id = ?1)
         AND (r.status = 'submitted'
           OR EXISTS (SELECT 1 FROM reports p WHERE p.remix_id = r.id AND p.resolved_by IS NULL))
       ORDER BY e.created_at, r.id`,
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
 * given, each with its latest ready export and its count of open reports; newest export first.
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
         WHERE e.status = 'ready' AND (?1 IS NULL OR c.owner_id = ?1)
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
