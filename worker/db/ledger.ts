import { writeEvents, type LedgerRow } from './events.ts'

/** A counted event: an export made, a play heard, a download served. */
export type LedgerEvent = {
  id: string // the idempotency key, e.g. `export:<exportId>`
  type: 'export' | 'play' | 'download'
  exportId: string
  remixId: string
  campaignId: string
  occurredAt: string
}

export type { LedgerRow }

/** No cap applies to an event written directly (the export job's own `export` event). */
const UNCAPPED = { listenerPerDay: 2 ** 31, addressPerExportPerDay: 2 ** 31, exportPerDay: 2 ** 31 }

/**
 * Appends one event unless one with its id is already there, with its per-day count, in one
 * transaction (the same statements the events consumer batches). Answers whether it was new.
 * Plays and downloads go through the events queues (worker/events/); this is for the export job,
 * which already runs in a queue consumer.
 */
export async function recordLedgerEvent(db: D1Database, event: LedgerEvent): Promise<boolean> {
  const [inserted] = await writeEvents(
    db,
    [{ ...event, day: event.occurredAt.slice(0, 10), listener: null, address: null }],
    UNCAPPED,
  )
  return inserted === true
}
