import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'

/** Liveness plus a cheap D1 round trip; `/live` is liveness alone (the ledger benchmark's no-op). */
export const health = new Hono<AppEnv>()
  .get('/', async (c) => {
    const db = await c.env.DB.prepare('SELECT 1 AS ok').first<number>('ok')
    return c.json({ ok: true, db: db === 1 })
  })
  .get('/live', (c) => c.json({ ok: true }))
