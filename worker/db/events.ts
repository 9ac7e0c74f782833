/** SQL of the event log (ledger_events), its per-day counts and its daily archive. */

/** One event as the consumer writes it. */
export type EventRow = {
  id: string // the idempotency key
  type: 'export' | 'play' | 'download'
  exportId: string
  remixId: string
  campaignId: string
  occurredAt: string // ISO instant
  day: string // YYYY-MM-DD, UTC day of occurredAt
  listener: string | null
  address: string | null
}

/** The caps above which plays and downloads are held, not paid. */
export type Caps = { listenerPerDay: number; addressPerExportPerDay: number; exportPerDay: number }

/**
 * Inserts one event unless its id is there, counted or held by the caps as they stand at this
 * statement (earlier statements of the same batch included: D1 runs a batch as one transaction).
 */
function insertEvent(db: D1Database, e: EventRow, attempt: string, caps: Caps) {
  return db
    .prepare(
      `WITH r AS (SELECT CASE
         WHEN ?2 = 'export' THEN NULL
         WHEN (SELECT COUNT(*) FROM ledger_events WHERE listener = ?9 AND day = ?8 AND type = ?2
               AND status = 'counted') >= ?12 THEN 'listener'
         WHEN (SELECT COUNT(*) FROM ledger_events WHERE address = ?10 AND export_id = ?3
               AND day = ?8 AND type = ?2 AND status = 'counted') >= ?13 THEN 'address'
         WHEN COALESCE((SELECT counted FROM daily_counts WHERE export_id = ?3 AND day = ?8
               AND type = ?2), 0)
             + (SELECT COUNT(*) FROM ledger_events WHERE attempt = ?11 AND export_id = ?3
               AND day = ?8 AND type = ?2 AND status = 'counted') >= ?14 THEN 'export'
       END AS reason)
       INSERT INTO ledger_events (id, type, export_id, remix_id, campaign_id, occurred_at,
         received_at, day, listener, address, status, hold_reason, attempt)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
         CASE WHEN r.reason IS NULL THEN 'counted' ELSE 'held' END, r.reason, ?11
       FROM r WHERE true
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      e.id,
      e.type,
      e.exportId,
      e.remixId,
      e.campaignId,
      e.occurredAt,
      new Date().toISOString(),
      e.day,
      e.listener,
      e.address,
      attempt,
      caps.listenerPerDay,
      caps.addressPerExportPerDay,
      caps.exportPerDay,
    )
}

/** Adds to the per-day counts exactly the rows that `attempt` inserted (none on a replay). */
function addCounts(db: D1Database, attempt: string) {
  return db
    .prepare(
      `INSERT INTO daily_counts (export_id, campaign_id, day, type, counted, held)
       SELECT export_id, campaign_id, day, type, SUM(status = 'counted'), SUM(status = 'held')
       FROM ledger_events WHERE attempt = ?1 GROUP BY export_id, day, type
       ON CONFLICT (export_id, day, type) DO UPDATE SET
         counted = counted + excluded.counted, held = held + excluded.held`,
    )
    .bind(attempt)
}

/** The statements that write `events` as one attempt: run them in one `db.batch()`. */
export function writeEventsStatements(
  db: D1Database,
  events: readonly EventRow[],
  attempt: string,
  caps: Caps,
): D1PreparedStatement[] {
  return [...events.map((e) => insertEvent(db, e, attempt, caps)), addCounts(db, attempt)]
}

/** Writes events in one transaction; answers the ids that were new. */
export async function writeEvents(
  db: D1Database,
  events: readonly EventRow[],
  caps: Caps,
): Promise<boolean[]> {
  if (events.length === 0) return []
  const attempt = crypto.randomUUID()
  const results = await db.batch(writeEventsStatements(db, events, attempt, caps))
  return events.map((_, i) => results[i]!.meta.changes === 1)
}

/** A ledger_events row as D1 returns it. */
export type LedgerRow = {
  id: string
  type: EventRow['type']
  export_id: string
  remix_id: string
  campaign_id: string
  occurred_at: string
  received_at: string
  day: string
  listener: string | null
  address: string | null
  status: 'counted' | 'held'
  hold_reason: 'listener' | 'address' | 'export' | null
}

const ROW_COLUMNS = `id, type, export_id, remix_id, campaign_id, occurred_at, received_at, day,
  listener, address, status, hold_reason`

/** An export's events, oldest first. */
export async function listEventsOf(db: D1Database, exportId: string): Promise<LedgerRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM ledger_events WHERE export_id = ?1 ORDER BY received_at, id`,
    )
    .bind(exportId)
    .all<LedgerRow>()
  return results
}

/** One day's raw events in id order, `limit` after `afterId` (keyset pages for the archive). */
export async function pageOfDay(
  db: D1Database,
  day: string,
  afterId: string,
  limit: number,
): Promise<LedgerRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM ledger_events WHERE day = ?1 AND id > ?2 ORDER BY id LIMIT ?3`,
    )
    .bind(day, afterId, limit)
    .all<LedgerRow>()
  return results
}

/** Days before `before` that still have raw events in D1, oldest first. */
export async function unarchivedDaysBefore(db: D1Database, before: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT day FROM ledger_events WHERE day < ?1 AND day IS NOT NULL ORDER BY day`,
    )
    .bind(before)
    .all<{ day: string }>()
  return results.map((r) => r.day)
}

/** Records a day's archive object; its raw rows may then be deleted. */
export async function recordArchive(
  db: D1Database,
  a: { day: string; key: string; events: number; sha256: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO event_archives (day, r2_key, events, sha256, archived_at)
       VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (day) DO NOTHING`,
    )
    .bind(a.day, a.key, a.events, a.sha256, new Date().toISOString())
    .run()
}

export async function findArchive(
  db: D1Database,
  day: string,
): Promise<{ r2_key: string; events: number; sha256: string } | null> {
  return db
    .prepare('SELECT r2_key, events, sha256 FROM event_archives WHERE day = ?1')
    .bind(day)
    .first()
}

/**
 * Deletes up to `limit` of an archived day's raw events (the database refuses unless the archive
 * is recorded); answers how many it deleted. Bounded so no statement outlives D1's limits on a
 * multi-million-row day; the caller repeats until fewer than `limit` go.
 */
export async function deleteArchivedChunk(
  db: D1Database,
  day: string,
  limit: number,
): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM ledger_events WHERE rowid IN
         (SELECT rowid FROM ledger_events WHERE day = ?1 LIMIT ?2)`,
    )
    .bind(day, limit)
    .run()
  return result.meta.changes
}
