import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { pingDb } from '../db/health.ts'

/**
 * Liveness plus a cheap D1 round trip; `/live` is liveness alone. The ledger benchmark's no-op is
 * `POST /live` sent exactly as a play is sent (headers, cookie, JSON body, which it does not read):
 * what a play costs beyond it is the play's own work, not the HTTP stack's.
 */
export const health = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ ok: true, db: await pingDb(c.env.DB) }))
  .get('/live', (c) => c.json({ ok: true }))
  .post('/live', (c) => c.json({ ok: true }))
