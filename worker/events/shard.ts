import type { Bindings } from '../env.ts'
import type { EventMessage } from './event.ts'

/** The keys of `Bindings` whose value is a `T`. */
type BindingsOf<T> = { [K in keyof Bindings]-?: Bindings[K] extends T ? K : never }[keyof Bindings]

/**
 * The events queues' producer bindings, in order: queue `n` is `EVENTS_<n>` (stemfair-events-<n>)
 * in wrangler.toml and wrangler.consumer.toml, each consumed alike. One queue carries about 5 000
 * messages/s; adding a name here (with its bindings and env.ts entry) is how the events path
 * carries more.
 */
export const EVENT_QUEUE_BINDINGS = [
  'EVENTS_0',
  'EVENTS_1',
  'EVENTS_2',
  'EVENTS_3',
] as const satisfies readonly BindingsOf<Queue<EventMessage>>[]

/**
 * The events databases' bindings, in order: shard `n` is `EVENTS_DB_<n>` (stemfair-events-<n>,
 * migrations in worker/migrations-events/). Each holds the raw events of the campaigns that hash
 * to it, their caps' counts and the outbox of per-day deltas (worker/events/store.ts).
 */
export const EVENT_DB_BINDINGS = [
  'EVENTS_DB_0',
  'EVENTS_DB_1',
  'EVENTS_DB_2',
  'EVENTS_DB_3',
] as const satisfies readonly BindingsOf<D1Database>[]

// Every EVENTS_<n> / EVENTS_DB_<n> binding of env.ts is in its tuple: one left out fails here.
type Missing<T, Listed> = Exclude<T, Listed> extends never ? true : Exclude<T, Listed>
const queuesListed: Missing<
  Extract<keyof Bindings, `EVENTS_${number}`>,
  (typeof EVENT_QUEUE_BINDINGS)[number]
> = true
const databasesListed: Missing<
  Extract<keyof Bindings, `EVENTS_DB_${number}`>,
  (typeof EVENT_DB_BINDINGS)[number]
> = true
void queuesListed
void databasesListed

/** How many events queues there are (K). */
export const EVENT_QUEUES = EVENT_QUEUE_BINDINGS.length
/** How many events databases there are (N). */
export const EVENT_DATABASES = EVENT_DB_BINDINGS.length

/** The name of events queue `n` (the binding is EVENTS_<n>). */
export const eventsQueueName = (n: number) => `stemfair-events-${n}`

/** Whether a batch comes from one of the events queues. */
export const isEventsQueue = (name: string) => /^stemfair-events-\d+$/.test(name)

/** FNV-1a, 32 bit, of a string's UTF-16 code units (all ids here are ASCII). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The shard of `key` among `count`: FNV-1a of it modulo `count`, stable everywhere. */
export const shardOf = (key: string, count: number): number => fnv1a(key) % count

/**
 * The queue an event takes: by its id, so one viral remix spreads over every queue, and a retried
 * send (the same id) takes the same queue.
 */
export const queueOf = (event: Pick<EventMessage, 'id'>): number => shardOf(event.id, EVENT_QUEUES)

/** The database shard a campaign's events live in: by the campaign, so its caps are local. */
export const databaseOf = (campaignId: string): number => shardOf(campaignId, EVENT_DATABASES)

/** The events database of shard `n`. */
export const eventsDb = (env: Bindings, n: number): D1Database => env[EVENT_DB_BINDINGS[n]!]

/** Messages one `sendBatch` carries at most (the Queues limit). */
const SEND_BATCH = 100

/** Enqueues events, each on its queue: one `sendBatch` per queue and 100 events. */
export async function sendEvents(env: Bindings, events: readonly EventMessage[]): Promise<void> {
  const byQueue = new Map<number, EventMessage[]>()
  for (const e of events) {
    const n = queueOf(e)
    const list = byQueue.get(n)
    if (list) list.push(e)
    else byQueue.set(n, [e])
  }
  await Promise.all(
    [...byQueue].flatMap(([n, list]) =>
      Array.from({ length: Math.ceil(list.length / SEND_BATCH) }, (_, b) =>
        env[EVENT_QUEUE_BINDINGS[n]!].sendBatch(
          list.slice(b * SEND_BATCH, (b + 1) * SEND_BATCH).map((body) => ({ body })),
        ),
      ),
    ),
  )
}
