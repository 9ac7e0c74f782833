import { describe, expect, it } from 'vitest'
import { isDeadLetterQueue } from '../../worker/jobs/consumer.ts'
import {
  EVENT_DATABASES,
  EVENT_QUEUES,
  eventsQueueName,
  fnv1a,
  isEventsQueue,
  queueOf,
  shardOf,
} from '../../worker/events/shard.ts'

const configs = import.meta.glob('../../wrangler{,.consumer}.toml', {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** Each `[[queues.consumers]]` block of a wrangler config as its `key = "value"` pairs. */
const consumersOf = (config: string): Record<string, string>[] =>
  config
    .split('[[queues.consumers]]')
    .slice(1)
    .map((block) => block.split(/\n\[/)[0]!)
    .map((block) =>
      Object.fromEntries(
        [...block.matchAll(/^(\w+)\s*=\s*"?([^"\n]*)"?/gm)].map((m) => [m[1]!, m[2]!.trim()]),
      ),
    )

/** The consumer Worker's: it consumes every queue. */
const consumers = consumersOf(configs['../../wrangler.consumer.toml']!)

describe('the queues’ consumers', () => {
  it('are the consumer Worker’s alone: the API worker consumes no queue', () => {
    expect(consumersOf(configs['../../wrangler.toml']!)).toEqual([])
    const events = Array.from({ length: EVENT_QUEUES }, (_, n) => eventsQueueName(n))
    expect(consumers.map((c) => c.queue).sort()).toEqual([
      ...events,
      'stemfair-ingest',
      'stemfair-ingest-failed',
      'stemfair-jobs',
      'stemfair-jobs-failed',
    ])
  })
})

describe('job retries are wrangler.consumer.toml’s alone', () => {
  it('every job queue gives up through a dead-letter queue that this worker consumes', () => {
    const jobQueues = consumers.filter((c) => /^stemfair-(jobs|ingest)$/.test(c.queue ?? ''))
    expect(jobQueues.map((c) => c.queue).sort()).toEqual(['stemfair-ingest', 'stemfair-jobs'])
    for (const c of jobQueues) {
      expect(c.dead_letter_queue, c.queue).toBe(`${c.queue}-failed`)
      expect(isDeadLetterQueue(c.dead_letter_queue ?? '')).toBe(true)
      expect(consumers.map((k) => k.queue)).toContain(c.dead_letter_queue)
    }
    expect(isDeadLetterQueue('stemfair-jobs')).toBe(false)
  })
})

/** Each `[[queues.producers]]` block's binding and queue. */
const producersOf = (config: string): Record<string, string> =>
  Object.fromEntries(
    config
      .split('[[queues.producers]]')
      .slice(1)
      .map((block) => [
        /binding\s*=\s*"([^"]+)"/.exec(block)![1]!,
        /queue\s*=\s*"([^"]+)"/.exec(block)![1]!,
      ]),
  )

describe('the events queues', () => {
  it('are EVENT_QUEUES alike: produced as EVENTS_<n> by both workers, consumed alike', () => {
    for (const config of Object.values(configs)) {
      const events = Object.entries(producersOf(config)).filter(([b]) => b.startsWith('EVENTS'))
      expect(events).toEqual(
        Array.from({ length: EVENT_QUEUES }, (_, n) => [`EVENTS_${n}`, eventsQueueName(n)]),
      )
    }
    const settings = consumers
      .filter((c) => isEventsQueue(c.queue ?? ''))
      .map(({ queue: _, ...rest }) => rest)
    expect(settings).toHaveLength(EVENT_QUEUES)
    for (const s of settings) expect(s).toEqual(settings[0])
    expect(isEventsQueue('stemfair-jobs')).toBe(false)
  })
})

/** Each `[[d1_databases]]` block's binding, name and migrations directory. */
const databasesOf = (config: string) =>
  config
    .split('[[d1_databases]]')
    .slice(1)
    .map((block) => ({
      binding: /binding\s*=\s*"([^"]+)"/.exec(block)![1]!,
      name: /database_name\s*=\s*"([^"]+)"/.exec(block)![1]!,
      id: /database_id\s*=\s*"([^"]+)"/.exec(block)![1]!,
      migrations: /migrations_dir\s*=\s*"([^"]+)"/.exec(block)?.[1],
    }))

describe('the events databases', () => {
  it('are EVENT_DATABASES alike in both workers, each its own database with the events migrations', () => {
    const api = databasesOf(configs['../../wrangler.toml']!)
    const consumer = databasesOf(configs['../../wrangler.consumer.toml']!)
    const shards = Array.from({ length: EVENT_DATABASES }, (_, n) => [
      `EVENTS_DB_${n}`,
      `stemfair-events-${n}`,
    ])
    for (const config of [api, consumer])
      expect(config.filter((d) => d.binding !== 'DB').map((d) => [d.binding, d.name])).toEqual(
        shards,
      )
    expect(new Set(api.map((d) => d.id)).size).toBe(api.length)
    expect(consumer.map((d) => d.id)).toEqual(api.map((d) => d.id))
    expect(api.find((d) => d.binding === 'DB')!.migrations).toBe('worker/migrations')
    for (const d of api.filter((d) => d.binding !== 'DB'))
      expect(d.migrations).toBe('worker/migrations-events')
  })
})

describe('the shard of a key', () => {
  it('is FNV-1a (32 bit) modulo the count', () => {
    // The published FNV-1a test vectors (Fowler, Noll, Vo): a change of hash moves every shard.
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
    expect(fnv1a('foobar')).toBe(0xbf9cf968)
    expect(shardOf('foobar', 7)).toBe(0xbf9cf968 % 7)
    expect(shardOf('a', 7)).toBe(5)
    expect(shardOf('cmp-ledger-moons', 4)).toBe(0)
  })

  it('spreads keys evenly', () => {
    const per = new Array<number>(EVENT_QUEUES).fill(0)
    for (let i = 0; i < 4000; i++) per[shardOf(`cmp-${i}`, EVENT_QUEUES)]!++
    for (const n of per) expect(n).toBeGreaterThan(800) // 1 000 each if perfectly even
  })

  it('picks the queue by the event id: one remix’s plays take every queue', () => {
    const plays = Array.from({ length: 400 }, (_, i) => ({
      id: `play:e1:listener-${i}:2026-03-01`,
    }))
    expect(new Set(plays.map(queueOf)).size).toBe(EVENT_QUEUES)
    expect(queueOf({ id: 'a' })).toBe(0xe40c292c % EVENT_QUEUES)
  })
})
