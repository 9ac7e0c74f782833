import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { pingDb } from '../db/health.ts'

/** Liveness plus a cheap D1 round trip; `/live` is liveness alone (the ledger benchmark's no-op). */
export const health = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ ok: true, db: await pingDb(c.env.DB) }))
  .get('/live', (c) => c.json({ ok: true }))
