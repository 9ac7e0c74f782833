import type { Bindings } from '../env.ts'
import type { EventRow } from '../db/events.ts'
import { CAPS } from './caps.ts'
import { EventMessageSchema } from './event.ts'
import { databaseOf } from './shard.ts'
import { forwardShard, writeShard } from './store.ts'

/**
 * The events queues' consumer: validates each message (a malformed one is dropped, it cannot get
 * better), groups the batch by its campaigns' database shard and writes each group in one shard
 * `batch()` — one transaction of `INSERT … ON CONFLICT DO NOTHING`, the shard's per-day counts
 * and the outbox deltas of exactly the rows it inserted — then forwards that shard's outbox to the
 * main database's daily_counts and acks the group. If anything fails, the group is retried: a
 * failed shard transaction wrote nothing; a retry of events already written inserts nothing and
 * counts nothing, and forwards whatever the outbox still holds, exactly once.
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
    group.events.push({ ...e, day: e.occurredAt.slice(0, 10) })
  }
  await Promise.all(
    [...shards].map(async ([n, { messages, events }]) => {
      try {
        await writeShard(env, n, events, CAPS)
        await forwardShard(env, n)
      } catch (err) {
        console.error(`event batch for shard ${n} failed, will retry`, err)
        for (const message of messages) message.retry()
        return
      }
      for (const message of messages) message.ack()
    }),
  )
}
