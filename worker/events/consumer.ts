import type { Bindings } from '../env.ts'
import type { EventRow } from '../db/events.ts'
import { CAPS } from './caps.ts'
import { dayOf, EventMessageSchema } from './event.ts'
import { databaseOf } from './shard.ts'
import { forwardShards, takenDownIn, writeShard } from './store.ts'

/**
 * The events queues' consumer: validates each message (a malformed one is dropped, it cannot get
 * better), groups the batch by its campaigns' database shard and writes each group in one shard
 * `batch()` — one transaction of `INSERT … ON CONFLICT DO NOTHING`, the shard's per-day counts
 * and the outbox deltas of exactly the rows it inserted — then forwards the outboxes of the
 * shards it wrote to the main database's daily_counts in one transaction, and acks. A group whose
 * shard transaction failed is retried (it wrote nothing); if the forward fails, every written
 * group is retried: a retry of events already written inserts nothing and counts nothing, and
 * forwards whatever the outboxes still hold, exactly once.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const shards = new Map<number, { messages: Message<unknown>[]; events: EventRow[] }>()
  for (const message of batch.messages) {
    const parsed = EventMessageSchema.safeParse(message.body)
    if (!parsed.success) {
      console.error('dropping malformed event', message.id, parsed.error.issues)
      message.ack()
      continue
    }
    const e = parsed.data
    const n = databaseOf(e.campaignId)
    const group = shards.get(n) ?? { messages: [], events: [] }
    shards.set(n, group)
    group.messages.push(message)
    group.events.push({ ...e, day: dayOf(e) })
  }
  let down: ReadonlySet<string>
  try {
    down = await takenDownIn(
      env,
      [...shards.values()].flatMap((g) => g.events),
    )
  } catch (err) {
    console.error('reading takedowns failed, will retry', err)
    for (const { messages } of shards.values()) for (const message of messages) message.retry()
    return
  }
  const written = await Promise.all(
    [...shards].map(async ([n, { messages, events }]) => {
      try {
        await writeShard(env, n, events, CAPS, down)
        return { n, messages }
      } catch (err) {
        console.error(`event batch for shard ${n} failed, will retry`, err)
        for (const message of messages) message.retry()
        return null
      }
    }),
  )
  const done = written.filter((w) => w !== null)
  try {
    await forwardShards(
      env,
      done.map((w) => w.n),
    )
  } catch (err) {
    console.error('forwarding event counts failed, will retry', err)
    for (const w of done) for (const message of w.messages) message.retry()
    return
  }
  for (const w of done) for (const message of w.messages) message.ack()
}
