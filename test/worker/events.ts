import { env } from 'cloudflare:test'
import { expect, vi } from 'vitest'
import { EVENT_DATABASES, databaseOf, eventsDb } from '../../worker/events/shard.ts'

/** The events database that holds a campaign's raw events. */
export const eventsDbOf = (campaignId: string): D1Database => eventsDb(env, databaseOf(campaignId))

/** Every events database, in shard order. */
export const eventDbs = (): D1Database[] =>
  Array.from({ length: EVENT_DATABASES }, (_, n) => eventsDb(env, n))

/** The rows `sql` (over ledger_events) answers in every events database, shard after shard. */
export async function eventRows<T>(sql: string, ...binds: unknown[]): Promise<T[]> {
  const all = await Promise.all(
    eventDbs().map(
      async (db) =>
        (
          await db
            .prepare(sql)
            .bind(...binds)
            .all<T>()
        ).results,
    ),
  )
  return all.flat()
}

/** How many raw events match `where` (SQL over ledger_events), wherever they are. */
export async function eventCount(where: string, ...binds: unknown[]): Promise<number> {
  const rows = await eventRows<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ledger_events WHERE ${where}`,
    ...binds,
  )
  return rows.reduce((sum, r) => sum + r.n, 0)
}

/** The events database holding the event(s) matching `where`, or null. */
export async function eventsDbHolding(where: string, ...binds: unknown[]) {
  for (const db of eventDbs()) {
    const n = await db
      .prepare(`SELECT COUNT(*) AS n FROM ledger_events WHERE ${where}`)
      .bind(...binds)
      .first<number>('n')
    if (n) return db
  }
  return null
}

/**
 * Waits until every events database's outbox is forwarded: the raw rows are written before their
 * deltas reach daily_counts, so a test that read the counts right after the rows could race them.
 */
export async function untilForwarded(): Promise<void> {
  await vi.waitFor(
    async () => {
      const left = await Promise.all(
        eventDbs().map((db) => db.prepare('SELECT COUNT(*) AS n FROM outbox').first<number>('n')),
      )
      expect(left).toEqual(left.map(() => 0))
    },
    { timeout: 30_000, interval: 50 },
  )
}
