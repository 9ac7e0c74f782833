import { applyD1Migrations, env } from 'cloudflare:test'
import { EVENT_DATABASES, eventsDb } from '../../worker/events/shard.ts'

// Setup files run outside per-test storage; applyD1Migrations skips what is applied already.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
for (let n = 0; n < EVENT_DATABASES; n++)
  await applyD1Migrations(eventsDb(env, n), env.TEST_EVENTS_MIGRATIONS)
