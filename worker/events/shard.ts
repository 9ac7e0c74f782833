import type { Bindings } from '../env.ts'
import type { EventMessage } from './event.ts'

/**
 * How many events queues there are: EVENTS_0 … EVENTS_{EVENT_QUEUES-1} in wrangler.toml, consumed
 * alike in wrangler.consumer.toml. One queue carries about 5 000 messages/s; raising this (with the
 * bindings) is how the events path carries more.
 */
export const EVENT_QUEUES = 4

/** The name of events queue `n` (the binding is EVENTS_<n>). */
export const eventsQueueName = (n: number) => `stemfair-events-${n}`

/** Whether a batch comes from one of the events queues. */
export const isEventsQueue = (name: string) => /^stemfair-events-\d+$/.test(name)

/**
 * The shard of a campaign among `count`: FNV-1a (32 bit) of its id, modulo `count`. Stable across
 * isolates and deployments, so every event of one campaign takes the same queue and database.
 */
export function shardOf(campaignId: string, count: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < campaignId.length; i++) {
    h ^= campaignId.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % count
}

type EventsBinding = `EVENTS_${number}` & keyof Bindings

/** Enqueues an event on its campaign's events queue. */
export async function sendEvent(env: Bindings, event: EventMessage): Promise<void> {
  const binding = `EVENTS_${shardOf(event.campaignId, EVENT_QUEUES)}` as EventsBinding
  await env[binding].send(event)
}
