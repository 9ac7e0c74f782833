/**
 * SQL of the event log: in each events database (EVENTS_DB_<n>) the raw events
 * (ledger_events), the counts the export cap reads (day_counts) and the outbox of per-day deltas;
 * in the main database the deltas applied to daily_counts. The archive's statements run on any
 * database with a ledger_events table (the shards, and the main database's rows from before them).
 */

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
  /** The listener's Durable Object found it past the listener's daily cap (worker/events/caps.ts). */
  listenerCapped: boolean
}

/** The caps a shard decides in SQL (the listener cap is the listener's Durable Object's). */
export type Caps = { addressPerExportPerDay: number; exportPerDay: number }

/**
 * Inserts one event unless its id is there, counted or held by the caps as they stand at this
 * statement (earlier statements of the same batch included: D1 runs a batch as one transaction).
 * The address cap counts this shard's rows (an export's events all live in its campaign's shard),
 * the export cap this shard's day_counts plus this attempt's rows.
 */
function insertEvent(db: D1Database, e: EventRow, attempt: string, caps: Caps) {
  return db
    .prepare(
      `WITH r AS (SELECT CASE
         WHEN ?2 = 'export' THEN NULL
         WHEN ?12 THEN 'listener'
         WHEN (SELECT COUNT(*) FROM ledger_events WHERE address = ?10 AND export_id = ?3
               AND day = ?8 AND type = ?2 AND status = 'counted') >= ?13 THEN 'address'
         WHEN COALESCE((SELECT counted FROM day_counts WHERE export_id = ?3 AND day = ?8
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
      e.listenerCapped ? 1 : 0,
      caps.addressPerExportPerDay,
      caps.exportPerDay,
    )
}

/** Adds to the shard's per-day counts exactly the rows that `attempt` inserted (none on a replay). */
function addDayCounts(db: D1Database, attempt: string) {
  return db
    .prepare(
      `INSERT INTO day_counts (export_id, day, type, counted, held)
       SELECT export_id, day, type, SUM(status = 'counted'), SUM(status = 'held')
       FROM ledger_events WHERE attempt = ?1 GROUP BY export_id, day, type
       ON CONFLICT (export_id, day, type) DO UPDATE SET
         counted = counted + excluded.counted, held = held + excluded.held`,
    )
    .bind(attempt)
}

/** The same rows' deltas for the main database's daily_counts, one per export, day and type. */
function addOutbox(db: D1Database, attempt: string) {
  return db
    .prepare(
      `INSERT INTO outbox (id, export_id, campaign_id, day, type, counted, held)
       SELECT ?1 || ':' || export_id || ':' || day || ':' || type, export_id, MIN(campaign_id),
         day, type, SUM(status = 'counted'), SUM(status = 'held')
       FROM ledger_events WHERE attempt = ?1 GROUP BY export_id, day, type`,
    )
    .bind(attempt)
}

/**
 * Writes one shard's events in one transaction (one `batch()`): the events, the shard's per-day
 * counts and the outbox deltas of the rows inserted. Answers which events were new.
 */
export async function writeShardEvents(
  db: D1Database,
  events: readonly EventRow[],
  caps: Caps,
): Promise<boolean[]> {
  if (events.length === 0) return []
  const attempt = crypto.randomUUID()
  const results = await db.batch([
    ...events.map((e) => insertEvent(db, e, attempt, caps)),
    addDayCounts(db, attempt),
    addOutbox(db, attempt),
  ])
  return events.map((_, i) => results[i]!.meta.changes === 1)
}

/** The ids among `remixIds` of remixes taken down (main database): their plays are not written. */
export async function takenDownAmong(db: D1Database, remixIds: string[]): Promise<Set<string>> {
  if (remixIds.length === 0) return new Set()
  const { results } = await db
    .prepare(
      `SELECT id FROM remixes WHERE status = 'taken_down'
       AND id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(remixIds))
    .all<{ id: string }>()
  return new Set(results.map((r) => r.id))
}

/** One outbox delta. */
export type Delta = {
  id: string
  export_id: string
  campaign_id: string
  day: string
  type: EventRow['type']
  counted: number
  held: number
}

/** Up to `limit` of a shard's outbox deltas, in id order (any fixed order serves: every page is forwarded). */
export async function outboxPage(db: D1Database, limit: number): Promise<Delta[]> {
  const { results } = await db
    .prepare(
      'SELECT id, export_id, campaign_id, day, type, counted, held FROM outbox ORDER BY id LIMIT ?1',
    )
    .bind(limit)
    .all<Delta>()
  return results
}

/**
 * Adds deltas to the main database's daily_counts, each exactly once: one transaction records the
 * delta ids (a recorded one is skipped) with this run's id, adds the rows this run recorded, and
 * forgets ids whose outbox rows were deleted before `forgetBefore` (ISO instant; indexed).
 */
export async function applyDeltas(
  db: D1Database,
  deltas: readonly Delta[],
  forgetBefore: string,
): Promise<void> {
  if (deltas.length === 0) return
  const run = crypto.randomUUID()
  await db.batch([
    db
      .prepare(
        `INSERT INTO applied_deltas (id, export_id, campaign_id, day, type, counted, held,
           forwarded_by, applied_at)
         SELECT d.value ->> 'id', d.value ->> 'export_id', d.value ->> 'campaign_id',
           d.value ->> 'day', d.value ->> 'type', d.value ->> 'counted', d.value ->> 'held', ?2, ?3
         FROM json_each(?1) d WHERE true
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(JSON.stringify(deltas), run, new Date().toISOString()),
    db
      .prepare(
        `INSERT INTO daily_counts (export_id, campaign_id, day, type, counted, held)
         SELECT export_id, MIN(campaign_id), day, type, SUM(counted), SUM(held)
         FROM applied_deltas WHERE forwarded_by = ?1 GROUP BY export_id, day, type
         ON CONFLICT (export_id, day, type) DO UPDATE SET
           counted = counted + excluded.counted, held = held + excluded.held`,
      )
      .bind(run),
    db.prepare('DELETE FROM applied_deltas WHERE cleared_at < ?1').bind(forgetBefore),
  ])
}

/** Notes that these applied deltas are gone from their outbox: from then on they may be forgotten. */
export async function markCleared(db: D1Database, ids: readonly string[]): Promise<void> {
  await db
    .prepare(
      `UPDATE applied_deltas SET cleared_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND cleared_at IS NULL`,
    )
    .bind(JSON.stringify(ids), new Date().toISOString())
    .run()
}

/** Deletes forwarded deltas from a shard's outbox. */
export async function deleteOutbox(db: D1Database, ids: readonly string[]): Promise<void> {
  await db
    .prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .run()
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

/**
 * Closes a day to new events (idempotent): once this commits, the database skips every insert of
 * that day (a trigger), so the archive's pages see every row it will delete.
 */
export async function closeDay(db: D1Database, day: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO closing_days (day, closed_at) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING`,
    )
    .bind(day, new Date().toISOString())
    .run()
}

/** Records a closed day's archive object (the database refuses an open day); its raw rows may then be deleted. */
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
