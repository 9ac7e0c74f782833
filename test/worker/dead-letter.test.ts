import { describe, expect, it } from 'vitest'
import { isDeadLetterQueue } from '../../worker/jobs/consumer.ts'
import { EVENT_QUEUES, eventsQueueName, isEventsQueue, shardOf } from '../../worker/events/shard.ts'

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

describe('the shard of a campaign', () => {
  it('spreads campaigns evenly and keeps each on one shard', () => {
    const per = new Array<number>(EVENT_QUEUES).fill(0)
    for (let i = 0; i < 4000; i++) per[shardOf(`cmp-${i}`, EVENT_QUEUES)]!++
    for (const n of per) expect(n).toBeGreaterThan(800) // 1 000 each if perfectly even
    expect(shardOf('cmp-ledger-moons', 7)).toBe(shardOf('cmp-ledger-moons', 7))
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((c) => shardOf(c, 1)))).toEqual(new Set([0]))
  })
})
