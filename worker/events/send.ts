import type { EventMessage } from './event.ts'

/** At most what one `sendBatch` carries (Queues: 100 messages, 256 KB; an event is < 1 KB). */
const BATCH = 100

type Waiting = { body: EventMessage; settled: boolean; failed: boolean; error?: unknown }

/**
 * Events waiting for the queue, per queue binding, and the batch on its way to it. Module state:
 * one per isolate, shared by the requests it serves at once.
 */
const lanes = new WeakMap<
  Queue<EventMessage>,
  { waiting: Waiting[]; sending: Promise<void> | null }
>()

/**
 * Sends one event to `queue` and resolves once the queue has accepted it (so an acknowledged
 * event is never lost); rejects if it was refused. Events of requests the isolate serves at the
 * same time share one `sendBatch`: while a batch is on its way, the next ones wait and leave
 * together when it returns. A request whose event waits does the sending itself when its turn
 * comes (within its own request), so no request depends on another one staying alive; the batch
 * is kept alive with `waitUntil` should the sending request's client go away.
 */
export async function sendEvent(
  queue: Queue<EventMessage>,
  body: EventMessage,
  keepAlive: (p: Promise<unknown>) => void,
): Promise<void> {
  let lane = lanes.get(queue)
  if (!lane) lanes.set(queue, (lane = { waiting: [], sending: null }))
  const me: Waiting = { body, settled: false, failed: false }
  lane.waiting.push(me)
  while (!me.settled) {
    if (lane.sending) {
      await lane.sending
      continue
    }
    const batch = lane.waiting.splice(0, BATCH)
    const settle = (failed: boolean, error?: unknown) => {
      for (const w of batch) Object.assign(w, { settled: true, failed, error })
    }
    const sending = queue
      .sendBatch(batch.map((w) => ({ body: w.body })))
      .then(
        () => settle(false),
        (error: unknown) => settle(true, error),
      )
      .finally(() => {
        if (lane.sending === sending) lane.sending = null
      })
    lane.sending = sending
    keepAlive(sending)
    await sending
  }
  if (me.failed) throw me.error
}
