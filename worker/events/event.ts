import { z } from 'zod'

/**
 * A message on an events queue (worker/events/shard.ts): a play or a download the worker verified itself (a redeemed
 * ticket, a completed file). The id is the idempotency key: one per listener, export and UTC day.
 */
export const EventMessageSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(['play', 'download']),
  exportId: z.string().regex(/^[0-9a-f]{16}$/),
  remixId: z.string().min(1).max(100),
  campaignId: z.string().min(1).max(100),
  listener: z.string().min(1).max(64),
  address: z.string().min(1).max(64),
  occurredAt: z.iso.datetime(),
  /** The listener's Durable Object found this listener past its daily cap: held, not paid. */
  listenerCapped: z.boolean().default(false),
})
export type EventMessage = z.infer<typeof EventMessageSchema>

/** An event as a route describes it; the listener's ledger object decides `listenerCapped`. */
export type EventDraft = Omit<EventMessage, 'listenerCapped'>

/** The UTC day an event happened on (its counting, caps and archive day). */
export const dayOf = (e: Pick<EventDraft, 'occurredAt'>): string => e.occurredAt.slice(0, 10)

/** The draft of an event happening now. */
export function eventNow(e: Omit<EventDraft, 'id' | 'occurredAt'>, now = new Date()): EventDraft {
  const occurredAt = now.toISOString()
  return {
    ...e,
    id: `${e.type}:${e.exportId}:${e.listener}:${dayOf({ occurredAt })}`,
    occurredAt,
  }
}
