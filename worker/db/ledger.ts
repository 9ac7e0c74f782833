/** A counted event: an export made, a play heard, a download served. */
export type LedgerEvent = {
  id: string // the idempotency key, e.g. `export:<exportId>`
  type: 'export' | 'play' | 'download'
  exportId: string
  remixId: string
  campaignId: string
  occurredAt: string
}

/** A ledger_events row as D1 returns it. */
export type LedgerRow = {
  id: string
  type: LedgerEvent['type']
  export_id: string
  remix_id: string
  campaign_id: string
  occurred_at: string
  received_at: string
}

/**
 * Appends an event unless one with its id is already there. Answers whether it was new.
 * The ledger is append-only: this module has no way to change or remove an event.
 */
export async function recordLedgerEvent(db: D1Database, event: LedgerEvent): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO ledger_events (id, type, export_id, remix_id, campaign_id, occurred_at, received_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      event.id,
      event.type,
      event.exportId,
      event.remixId,
      event.campaignId,
      event.occurredAt,
      new Date().toISOString(),
    )
    .run()
  return result.meta.changes === 1
}

/** An export's events, oldest first. */
export async function listLedgerEventsOf(db: D1Database, exportId: string): Promise<LedgerRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM ledger_events WHERE export_id = ?1 ORDER BY received_at, id')
    .bind(exportId)
    .all<LedgerRow>()
  return results
}
