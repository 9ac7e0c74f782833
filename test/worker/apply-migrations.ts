import { applyD1Migrations, env } from 'cloudflare:test'

// Setup files run outside per-test storage; applyD1Migrations skips what is applied already.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
