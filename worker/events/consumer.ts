import type { Bindings } from '../env.ts'
import { writeEvents, type EventRow } from '../db/events.ts'
import { CAPS } from './caps.ts'
import { EventMessageSchema } from './event.ts'

/**
 * The events queues' consumer: validates each message (a malformed one is dropped, it cannot get
 * better), then writes the whole batch in one D1 `batch()` — one transaction of
 * `INSERT … ON CONFLICT DO NOTHING` plus the per-day counts of exactly the rows it inserted — and
 * acks it. If anything fails, nothing of the batch was written and every message is retried; a
 * retry of events already written inserts nothing and counts nothing.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const events: EventRow[] = []
  const valid: Message<unknown>[] = []
  for (const message of batch.messages) {
    const parsed = EventMessageSchema.safeParse(message.body)
    if (!parsed.success) {
      console.error('dropping malformed event', message.id, parsed.error.issues)
      message.ack()
      continue
    }
    const e = parsed.data
    valid.push(message)
    events.push({ ...e, day: e.occurredAt.slice(0, 10) })
  }
  try {
    await writeEvents(env.DB, events, CAPS)
  } catch (err) {
    console.error('event batch failed, will retry', err)
    for (const message of valid) message.retry()
    return
  }
  for (const message of valid) message.ack()
}
