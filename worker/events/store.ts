import type { Bindings } from '../env.ts'
import {
  applyDeltas,
  deleteOutbox,
  outboxPage,
  takenDownAmong,
  writeShardEvents,
  type Caps,
  type EventRow,
} from '../db/events.ts'
import { databaseOf, eventsDb } from './shard.ts'

/** Outbox deltas one forwarding transaction adds to the main database. */
export const FORWARD_PAGE = 100

/**
 * Writes events that all live in shard `n` (worker/events/shard.ts `databaseOf`) in that shard's
 * one transaction. Plays and downloads of a remix taken down are not written (the main database
 * says which: the shard has no remixes). Answers which events were new.
 */
export async function writeShard(
  env: Bindings,
  n: number,
  events: readonly EventRow[],
  caps: Caps,
): Promise<boolean[]> {
  const heard = events.filter((e) => e.type !== 'export').map((e) => e.remixId)
  const down = await takenDownAmong(env.DB, [...new Set(heard)])
  const kept = events.filter((e) => e.type === 'export' || !down.has(e.remixId))
  const inserted = await writeShardEvents(eventsDb(env, n), kept, caps)
  const byId = new Map(kept.map((e, i) => [e.id, inserted[i]!]))
  return events.map((e) => byId.get(e.id) ?? false)
}

/**
 * Adds shard `n`'s outbox to the main database's daily_counts, a page at a time: each page's
 * delta ids are recorded in the main database in the same transaction as the addition, and only
 * then deleted from the outbox. Dying between the two leaves the page in the outbox; forwarding it
 * again adds nothing (its ids are recorded). Safe to run concurrently. Answers deltas forwarded.
 */
export async function forwardShard(env: Bindings, n: number): Promise<number> {
  const db = eventsDb(env, n)
  let forwarded = 0
  for (;;) {
    const deltas = await outboxPage(db, FORWARD_PAGE)
    if (deltas.length === 0) return forwarded
    await applyDeltas(env.DB, deltas)
    await deleteOutbox(
      db,
      deltas.map((d) => d.id),
    )
    forwarded += deltas.length
    if (deltas.length < FORWARD_PAGE) return forwarded
  }
}

/** No cap applies to an event the worker writes directly (the export job's own `export` event). */
const UNCAPPED: Caps = { addressPerExportPerDay: 2 ** 31, exportPerDay: 2 ** 31 }

/** An event the worker records directly, not through a queue: an export made. */
export type LedgerEvent = Pick<
  EventRow,
  'id' | 'type' | 'exportId' | 'remixId' | 'campaignId' | 'occurredAt'
>

/**
 * Appends one event to its campaign's shard unless its id is there, and forwards that shard's
 * outbox. For the export job, which already runs in a queue consumer (a failure fails the job,
 * whose retry records nothing twice). Answers whether it was new.
 */
export async function recordLedgerEvent(env: Bindings, event: LedgerEvent): Promise<boolean> {
  const n = databaseOf(event.campaignId)
  const [inserted] = await writeShard(
    env,
    n,
    [
      {
        ...event,
        day: event.occurredAt.slice(0, 10),
        listener: null,
        address: null,
        listenerCapped: false,
      },
    ],
    UNCAPPED,
  )
  await forwardShard(env, n)
  return inserted === true
}
