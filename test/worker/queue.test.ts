import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { findJobRun } from '../../worker/db/jobs.ts'

describe('JOBS queue', () => {
  it('delivers a job to the consumer, which records it once even when sent twice', async () => {
    const id = `noop-${crypto.randomUUID()}`
    await env.JOBS.send({ type: 'noop', id })
    await env.JOBS.send({ type: 'noop', id })
    await vi.waitFor(async () => expect(await findJobRun(env.DB, id)).not.toBeNull(), {
      timeout: 10_000,
      interval: 100,
    })
    const { results } = await env.DB.prepare('SELECT id FROM job_runs WHERE id = ?1').bind(id).all()
    expect(results).toHaveLength(1)
  })
})
