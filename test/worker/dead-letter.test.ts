import { describe, expect, it } from 'vitest'
import { isDeadLetterQueue } from '../../worker/jobs/consumer.ts'

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
    expect(consumers.map((c) => c.queue).sort()).toEqual([
      'stemfair-events',
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
