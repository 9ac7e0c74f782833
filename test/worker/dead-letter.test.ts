import { describe, expect, it } from 'vitest'
import { isDeadLetterQueue } from '../../worker/jobs/consumer.ts'

const wrangler = Object.values(
  import.meta.glob('../../wrangler.toml', { query: '?raw', import: 'default', eager: true }),
)[0]!

/** Each `[[queues.consumers]]` block of wrangler.toml as its `key = "value"` pairs. */
const consumers: Record<string, string>[] = wrangler
  .split('[[queues.consumers]]')
  .slice(1)
  .map((block) => block.split(/\n\[/)[0]!)
  .map((block) =>
    Object.fromEntries(
      [...block.matchAll(/^(\w+)\s*=\s*"?([^"\n]*)"?/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    ),
  )

describe('job retries are wrangler.toml’s alone', () => {
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
