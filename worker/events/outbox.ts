import type { EventMessage } from './event.ts'

/** Storage key prefix of an event waiting for the queue: `o:<event id>`. */
const OUTBOX = 'o:'

/** How long an event waits before the alarm sends it again when the first send did not finish. */
export const RETRY_MS = 10_000

/**
 * An outbox in a Durable Object's storage: an event is staged in the same storage commit as the
 * decision that made it (a redemption, a completed download) and an alarm is set in that commit,
 * so once the caller has its answer the event is durable and will reach the queue even if the
 * object dies before its first send. Sending is at least once; the consumer writes each event id
 * once (`INSERT … ON CONFLICT DO NOTHING`), so a resend after a lost acknowledgement is harmless.
 */
export function stage(storage: DurableObjectStorage, event: EventMessage): void {
  storage.kv.put(`${OUTBOX}${event.id}`, event)
  void storage.setAlarm(Date.now() + RETRY_MS)
}

/** The most events one queue call takes (the Queues limit of a `sendBatch`). */
const BATCH = 100

/**
 * Sends the staged events, up to 100 a queue call, and deletes what the queue took (and the
 * alarm, once nothing is left). False, with the rest kept, when the queue refused: the caller
 * retries.
 */
export async function flush(
  storage: DurableObjectStorage,
  queue: Queue<EventMessage>,
): Promise<boolean> {
  for (;;) {
    const staged = [...storage.kv.list<EventMessage>({ prefix: OUTBOX, limit: BATCH })]
    if (staged.length === 0) {
      void storage.deleteAlarm()
      return true
    }
    try {
      await queue.sendBatch(staged.map(([, body]) => ({ body })))
    } catch (err) {
      console.error('outbox: queue send failed, the alarm retries', err)
      return false
    }
    for (const [key] of staged) storage.kv.delete(key)
  }
}
