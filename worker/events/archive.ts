import { hexOf } from '../../core/lib/bytes.ts'
import type { Bindings } from '../env.ts'
import {
  closeDay,
  deleteArchivedChunk,
  findArchive,
  pageOfDay,
  recordArchive,
  unarchivedDaysBefore,
} from '../db/events.ts'
import { EVENT_DB_BINDINGS, eventsDb } from './shard.ts'
import { forwardShards } from './store.ts'

/** Raw events stay in D1 for today and the two days before (the caps and late retries read them). */
export const KEEP_DAYS = 3
const PAGE = 5000
/** Raw rows one DELETE removes: a day of millions goes in many short statements. */
export const DELETE_CHUNK = 10_000
const PART_BYTES = 8 * 1024 * 1024

/**
 * Where a day's raw events are archived: one NDJSON object per UTC day and events database
 * (`shard`), or per day for the main database's rows from before the shards.
 */
export const eventArchiveKey = (day: string, shard?: number) =>
  shard === undefined ? `events/${day}.ndjson` : `events/${day}/shard-${shard}.ndjson`

/** A database holding raw events (ledger_events, event_archives) and where its days go in R2. */
export type EventStore = { db: D1Database; key: (day: string) => string }

/** Every database with raw events: the shards, then the main database's rows from before them. */
export const eventStores = (env: Bindings): EventStore[] => [
  ...EVENT_DB_BINDINGS.map((_, n) => ({
    db: eventsDb(env, n),
    key: (day: string) => eventArchiveKey(day, n),
  })),
  { db: env.DB, key: (day: string) => eventArchiveKey(day) },
]

/**
 * Moves one day's raw events of one store to R2: closes the day to new events (a late event that
 * arrives from then on is skipped, counted nowhere), writes its rows as NDJSON (id order,
 * multipart, SHA-256 of the whole object), records the archive, then deletes the rows in chunks of
 * `deleteChunk` (the database refuses before the archive is recorded). Safe to rerun at any step:
 * an unrecorded object is written again from the same closed rows, a recorded day only has its
 * remaining rows deleted.
 */
export async function archiveDay(
  media: R2Bucket,
  { db, key: keyOf }: EventStore,
  day: string,
  deleteChunk = DELETE_CHUNK,
): Promise<{ events: number }> {
  const done = await findArchive(db, day)
  if (done) {
    await deleteArchived(db, day, deleteChunk)
    return { events: done.events }
  }
  await closeDay(db, day)
  const key = keyOf(day)
  const upload = await media.createMultipartUpload(key, {
    httpMetadata: { contentType: 'application/x-ndjson' },
  })
  const digest = new crypto.DigestStream('SHA-256')
  const hashing = digest.getWriter()
  const parts: R2UploadedPart[] = []
  const text = new TextEncoder()
  let chunks: Uint8Array[] = []
  let buffered = 0
  /** Uploads the buffered bytes as equal parts of PART_BYTES (R2 wants them equal), all when `last`. */
  const flush = async (last: boolean) => {
    const all = new Uint8Array(buffered)
    let at = 0
    for (const c of chunks) {
      all.set(c, at)
      at += c.length
    }
    let start = 0
    while (
      all.length - start >= PART_BYTES ||
      (last && (start < all.length || parts.length === 0))
    ) {
      const end = Math.min(all.length, start + PART_BYTES)
      parts.push(await upload.uploadPart(parts.length + 1, all.subarray(start, end)))
      start = end
      if (start >= all.length) break
    }
    chunks = [all.slice(start)]
    buffered = all.length - start
  }
  let events = 0
  try {
    for (let after = ''; ;) {
      const rows = await pageOfDay(db, day, after, PAGE)
      if (rows.length === 0) break
      const bytes = text.encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
      await hashing.write(bytes)
      chunks.push(bytes)
      buffered += bytes.length
      events += rows.length
      after = rows[rows.length - 1]!.id
      if (buffered >= PART_BYTES) await flush(false)
    }
    await flush(true)
    await upload.complete(parts)
  } catch (err) {
    await upload.abort()
    throw err
  }
  await hashing.close()
  const sha256 = hexOf(new Uint8Array(await digest.digest))
  await recordArchive(db, { day, key, events, sha256 })
  await deleteArchived(db, day, deleteChunk)
  return { events }
}

/**
 * Deletes a recorded day's raw rows `chunk` at a time. Each chunk is its own statement: if one
 * fails, the rows left are still archived and the next run (the recorded day) deletes them.
 */
async function deleteArchived(db: D1Database, day: string, chunk: number): Promise<void> {
  for (;;) if ((await deleteArchivedChunk(db, day, chunk)) < chunk) return
}

/**
 * The daily cron, per events database: forwards what its outbox still holds (a forward the
 * consumer could not finish), then archives every day older than KEEP_DAYS that still has raw
 * events. Answers the objects written or completed.
 */
export async function archiveOldDays(env: Bindings, now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - (KEEP_DAYS - 1) * 86_400_000).toISOString().slice(0, 10)
  await forwardShards(
    env,
    EVENT_DB_BINDINGS.map((_, n) => n),
  )
  const keys: string[] = []
  for (const store of eventStores(env))
    for (const day of await unarchivedDaysBefore(store.db, cutoff)) {
      await archiveDay(env.MEDIA, store, day)
      keys.push(store.key(day))
    }
  return keys
}
