import type { Bindings } from '../env.ts'
import { archiveOldDays } from '../events/archive.ts'
import { consumeEvents } from '../events/consumer.ts'
import { consumeJobs } from '../jobs/consumer.ts'
import { isEventsQueue } from '../events/shard.ts'

/**
 * The consumer Worker (wrangler.consumer.toml): every queue consumer and the daily cron, in an
 * isolate of their own, so a long export or ingest never stalls a request the API worker serves.
 * It has the API worker's D1 databases (the main one and the events shards), R2, queue producers
 * and secrets but no static assets, Durable Objects or rate limits: no job reads them.
 */
export default {
  queue: (batch, env) =>
    isEventsQueue(batch.queue) ? consumeEvents(batch, env) : consumeJobs(batch, env),
  scheduled: async (_controller, env) => {
    await archiveOldDays(env)
  },
} satisfies ExportedHandler<Bindings>
