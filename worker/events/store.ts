import type { Bindings } from '../env.ts'
import {
  applyDeltas,
  deleteOutbox,
  markCleared,
  outboxPage,
  takenDownAmong,
  writeShardEvents,
  type Caps,
  type EventRow,
} from '../db/events.ts'
import { dayOf } from './event.ts'
import { databaseOf, eventsDb } from './shard.ts'

/** Outbox deltas of each shard one forwarding transaction adds to the main database. */
export const FORWARD_PAGE = 100

/**
 * How long the main database remembers an applied delta id once its outbox row is deleted:
 * longer than a Worker invocation may run (15 minutes), so a forwarder that read the row before
 * it was deleted applies it (and skips it) before its id is forgotten. A delta whose outbox
 * delete never completed is remembered until a later forward deletes it. Each forward forgets what
 * aged past it, in its own transaction: the table holds about half an hour of deltas.
 */
export const DELTA_IDS_KEPT_MS = 30 * 60_000

/**
 * The remixes among `events`' plays and downloads that are taken down (the main database says
 * which: the shards have no remixes). Read once per consumer batch, before any shard write.
 */
export async function takenDownIn(
  env: Bindings,
  events: readonly Pick<EventRow, 'type' | 'remixId'>[],
): Promise<ReadonlySet<string>> {
  const heard = events.filter((e) => e.type !== 'export').map((e) => e.remixId)
  return heard.length === 0 ? new Set() : await takenDownAmong(env.DB, [...new Set(heard)])
}

/**
 * Writes events that all live in shard `n` (worker/events/shard.ts `databaseOf`) in that shard's
 * one transaction. Plays and downloads of a remix in `down` (takenDownIn) are not written.
 * Answers which events were new.
 */
export async function writeShard(
  env: Bindings,
  n: number,
  events: readonly EventRow[],
  caps: Caps,
  down: ReadonlySet<string>,
): Promise<boolean[]> {
  const kept = events.filter((e) => e.type === 'export' || !down.has(e.remixId))
  const inserted = await writeShardEvents(eventsDb(env, n), kept, caps)
  const byId = new Map(kept.map((e, i) => [e.id, inserted[i]!]))
  return events.map((e) => byId.get(e.id) ?? false)
}

/**
 * Adds the outboxes of `shards` to the main database's daily_counts, a page of each at a time in
 * ONE main-database transaction (so a consumer batch touching every shard costs the main database
 * one forward, whatever N): the deltas' ids are recorded there with the addition, and only then
 * deleted from each outbox. Dying between the two leaves the page in the outbox; forwarding it
 * again adds nothing (its ids are recorded). Safe to run concurrently. Answers deltas forwarded.
 */
export async function forwardShards(env: Bindings, shards: readonly number[]): Promise<number> {
  let forwarded = 0
  for (let open = [...shards]; open.length > 0;) {
    const pages = await Promise.all(
      open.map(async (n) => ({ n, deltas: await outboxPage(eventsDb(env, n), FORWARD_PAGE) })),
    )
    const deltas = pages.flatMap((p) => p.deltas)
    if (deltas.length === 0) return forwarded
    await applyDeltas(env.DB, deltas, new Date(Date.now() - DELTA_IDS_KEPT_MS).toISOString())
    // The ids of every shard whose delete succeeded are marked cleared in one statement, so a
    // failure in another shard does not leave them remembered forever (only a death between the
    // deletes and the mark does: one page a shard, which the table then keeps).
    const deletes = await Promise.allSettled(
      pages
        .filter((p) => p.deltas.length > 0)
        .map(async (p) => {
          const ids = p.deltas.map((d) => d.id)
          await deleteOutbox(eventsDb(env, p.n), ids)
          return ids
        }),
    )
    const cleared = deletes.flatMap((d) => (d.status === 'fulfilled' ? d.value : []))
    if (cleared.length > 0) await markCleared(env.DB, cleared)
    const failed = deletes.find((d) => d.status === 'rejected')
    if (failed) throw failed.reason
    forwarded += deltas.length
    open = pages.filter((p) => p.deltas.length === FORWARD_PAGE).map((p) => p.n)
  }
  return forwarded
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
        day: dayOf(event),
        listener: null,
        address: null,
        listenerCapped: false,
      },
    ],
    UNCAPPED,
    await takenDownIn(env, [event]),
  )
  await forwardShards(env, [n])
  return inserted === true
}
