import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { pingDb } from '../db/health.ts'

/**
 * Liveness plus a cheap D1 round trip; `/live` is liveness alone. The ledger benchmark's no-op is
 * `POST /live` sent exactly as a play is sent (headers, cookie, JSON body, received but not
 * parsed): what a play costs beyond it is the play's own work, not the HTTP stack's.
 */
export const health = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ ok: true, db: await pingDb(c.env.DB) }))
  .get('/live', (c) => c.json({ ok: true }))
  // The body is received whole: an unread body would leave the connection unusable for the next.
  .post('/live', async (c) => {
    await c.req.arrayBuffer()
    return c.json({ ok: true })
  })
