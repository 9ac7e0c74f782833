// A long job does not stall requests: while the consumer Worker renders and encodes an export,
// the API worker keeps answering, as `npm start` serves them (vite preview, both Workers in one
// workerd, one local state). The latencies of GET /api/health/live without and during the job are
// printed beside the load average (figures, not timed assertions).
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { describe, expect, inject, it } from 'vitest'
import type { ExportView } from '../../core/api/exports.ts'
import { api, saveDemoRemix } from './api.ts'

const baseUrl = inject('baseUrl')
const root = new URL('../../', import.meta.url)

/** What vite preview serves: the built Workers' configs (dist/<worker>/wrangler.json). */
function builtConsumers(worker: string): string[] {
  const config = JSON.parse(readFileSync(new URL(`dist/${worker}/wrangler.json`, root), 'utf8'))
  return ((config.queues?.consumers ?? []) as { queue: string }[]).map((c) => c.queue).sort()
}

/** GET /api/health/live, one after another, until `until` settles: each one's milliseconds. */
async function probe(until: Promise<unknown>): Promise<{ ms: number[]; failed: string[] }> {
  let settled = false
  void until.finally(() => (settled = true)).catch(() => {})
  const ms: number[] = []
  const failed: string[] = []
  while (!settled) {
    const t0 = performance.now()
    try {
      const res = await fetch(`${baseUrl}/api/health/live`)
      await res.arrayBuffer()
      if (res.status === 200) ms.push(performance.now() - t0)
      else failed.push(`status ${res.status}`)
    } catch (err) {
      failed.push(String(err))
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return { ms, failed }
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return (
    `n=${sorted.length} p50=${at(0.5).toFixed(1)} ms p95=${at(0.95).toFixed(1)} ms ` +
    `max=${sorted.at(-1)!.toFixed(1)} ms (load ${loadavg()[0]!.toFixed(2)})`
  )
}

describe('a long job in the consumer Worker', () => {
  it('is consumed by the consumer Worker alone, as served', () => {
    expect(builtConsumers('stemfair')).toEqual([])
    expect(builtConsumers('stemfair_consumer')).toContain('stemfair-jobs')
  })

  it('does not stall requests while an export renders', { timeout: 300_000 }, async () => {
    const { cookie, remix } = await saveDemoRemix('Long job')

    // The reference, in the same run: the same probe for as long, with no job running.
    const idle = await probe(new Promise((r) => setTimeout(r, 3000)))

    const started = performance.now()
    const queued = await api<{ export: ExportView }>('/api/exports', {
      method: 'POST',
      cookie,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ remix: remix.id, version: remix.version }),
    })
    // Polled slowly: the probe is what measures the API while the job runs.
    const done = (async () => {
      for (;;) {
        const { export: e } = await api<{ export: ExportView }>(
          `/api/exports/${queued.export.id}`,
          { cookie },
        )
        if (e.status === 'ready' || e.status === 'rejected') return e
        await new Promise((r) => setTimeout(r, 1000))
      }
    })()
    const busy = await probe(done)
    const exported = await done
    const jobSeconds = ((performance.now() - started) / 1000).toFixed(1)

    console.log(`health/live with no job:    ${summary(idle.ms)}`)
    console.log(`health/live during the job: ${summary(busy.ms)} (job took ${jobSeconds} s)`)
    expect(exported).toMatchObject({ status: 'ready', reason: null })
    expect({ idle: idle.failed, busy: busy.failed }).toEqual({ idle: [], busy: [] })
    // Requests were answered while the job ran (how fast is the printed figure's business).
    expect(busy.ms.length).toBeGreaterThan(0)
  })
})
