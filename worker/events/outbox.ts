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

/**
 * Sends every staged event in one queue call and deletes what the queue took (and the alarm, once
 * nothing is left). False, with everything kept, when the queue refused: the caller retries.
 */
export async function flush(
  storage: DurableObjectStorage,
  queue: Queue<EventMessage>,
): Promise<boolean> {
  const staged = [...storage.kv.list<EventMessage>({ prefix: OUTBOX })]
  if (staged.length === 0) return true
  try {
    await queue.sendBatch(staged.map(([, body]) => ({ body })))
  } catch (err) {
    console.error('outbox: queue send failed, the alarm retries', err)
    return false
  }
  for (const [key] of staged) storage.kv.delete(key)
  if ([...storage.kv.list({ prefix: OUTBOX, limit: 1 })].length === 0) void storage.deleteAlarm()
  return true
}
