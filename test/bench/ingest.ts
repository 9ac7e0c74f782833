// Play events through the real worker: the production build served by `vite preview` (workerd,
// local D1, Queues, Durable Objects) with the demo campaign and one ready export. Listeners are
// prepared as browsers would be (the share page's cookie, a ticket, the audio as a player streams
// it, the listening time); then, timed, 64 concurrent clients redeem the tickets, and — in the same run, same
// worker, same clients, the same requests — hit a no-op route, the kinds taking turns in blocks
// so that each meets the same machine load. Raw batched D1 inserts are measured on the same local
// D1 engine (miniflare) as the third figure.
import { loadavg } from 'node:os'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getPlatformProxy } from 'wrangler'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { CampaignStats } from '../../core/api/stats.ts'
import { defaultRecipeFrom } from '../../core/recipe/default.ts'
import startApp from '../e2e/server.ts'
import { childCpuMs } from './workerd-memory.ts'

export type Timing = {
  count: number
  seconds: number
  perSecond: number
  p50: number
  p99: number
  load: number
  /** CPU time per request (ms): the worker (workerd), vite's Node server, this client. */
  cpu: { workerd: number; vite: number; client: number }
}
export type IngestResult = {
  plays: Timing
  /** The no-op sent exactly as the plays are (POST, same headers, cookie and body). */
  noop: Timing
  /** The no-op as a bare GET (what this benchmark compared with before). */
  noopGet: Timing
  /**
   * Each round's no-op (sent as the plays are) and plays, one block each, back to back at the
   * same load: the pairs the median ratio is taken over.
   */
  rounds: { noop: Timing; plays: Timing }[]
  sent: number
  refused: number
  written: number
  /** Load average when the written events were read back. */
  writtenLoad: number
  counted: number
  held: number
  d1RowsPerSecond: number
  d1Load: number
  /** Requests sent again after vite preview lost its connection to workerd. */
  proxyRetries: number
}

const load = () => loadavg()[0]!

/** Blocks each kind of request is sent in, taking turns with the other kinds (`interleaved`). */
const ROUNDS = 6

/** Requests sent again because vite preview lost its connection to workerd (see `send`). */
let proxyRetries = 0
type Sent = Response & { retried?: true }

/**
 * `fetch`, sent once more when vite preview answers its own 500 page for a failed `fetch` to
 * workerd: its pool reuses a kept-alive socket workerd has closed (seen at load averages near 20).
 * A play sent again whose first attempt did reach the worker is answered 409 `ticket_used`.
 */
export async function send(url: string, init?: RequestInit): Promise<Sent> {
  const res = await fetch(url, init)
  if (res.status !== 500 || !res.headers.get('Content-Type')?.includes('text/html')) return res
  const body = await res.text()
  if (!body.includes('TypeError: fetch failed')) return new Response(body, res)
  proxyRetries++
  const again: Sent = await fetch(url, init)
  again.retried = true
  return again
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!res.ok) throw new Error(`login failed: ${res.status}`)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A ready 30-second export, the licence's shortest (any sound will do: plays are measured). */
export async function readyExport(base: string, fan: string): Promise<string> {
  const { campaign } = await json<{ campaign: CampaignDetail }>(
    await fetch(`${base}/api/campaigns/copper-moons`),
  )
  const recipe = { ...defaultRecipeFrom(campaign), length: 30 }
  const { remix } = await json<{ remix: RemixView }>(
    await fetch(`${base}/api/remixes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: fan },
      body: JSON.stringify({ campaign: campaign.slug, title: 'Bench remix', recipe }),
    }),
  )
  // The worker renders the export itself (the export job), as the studio asks it to.
  let { export: view } = await json<{ export: ExportView }>(
    await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': crypto.randomUUID(),
        Cookie: fan,
      },
      body: JSON.stringify({ remix: remix.id, version: remix.version }),
    }),
  )
  while (view.status === 'queued' || view.status === 'processing') {
    await new Promise((r) => setTimeout(r, 250))
    view = (
      await json<{ export: ExportView }>(
        await fetch(`${base}/api/exports/${view.id}`, { headers: { Cookie: fan } }),
      )
    ).export
  }
  if (view.status !== 'ready') throw new Error(`export ${view.status}: ${view.reason}`)
  return view.id
}

/**
 * A prepared listener: its cookie and address, a ticket, when that ticket may be redeemed, and the
 * audio's size (its last TAIL_BYTES are fetched by `finishListening`).
 */
export type Prepared = {
  cookie: string
  address: string
  ticket: string
  redeemableAt: number
  audioBytes: number
}

/**
 * The end of the audio a player fetches last, near the end of the listening time, just before the
 * redemption. So the listener's ledger object has been called seconds before its redemption, as
 * every one of the LEDGER_BUCKETS objects has under a viral remix's traffic (each sees several
 * calls a second); fetched all at once 30 s earlier, each object had gone idle and been evicted,
 * and the redemption measured reopening its storage — a cost production pays only when traffic
 * is low.
 */
const TAIL_BYTES = 16 * 1024

const headersOf = (l: Pick<Prepared, 'cookie' | 'address'>) => ({
  Cookie: l.cookie,
  'CF-Connecting-IP': l.address,
})

/** One listener as a browser: the share page (cookie), a ticket, the audio but its tail. */
export async function prepare(base: string, exportId: string, i: number): Promise<Prepared> {
  const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  const page = await send(`${base}/api/share/${exportId}`, {
    headers: { 'CF-Connecting-IP': address },
  })
  const set = page.headers.getSetCookie().find((c) => c.startsWith('sf_listener='))
  if (!set)
    throw new Error(`share page answered ${page.status} without a listener: ${await page.text()}`)
  await page.arrayBuffer()
  const cookie = set.split(';')[0]!
  const headers = headersOf({ cookie, address })
  const { ticket, needSeconds } = await json<{ ticket: string; needSeconds: number }>(
    await send(`${base}/api/share/${exportId}/tickets`, { method: 'POST', headers }),
  )
  // The worker stamped the ticket before it answered: from now on, it is at least this old.
  const redeemableAt = Date.now() + needSeconds * 1000
  const audio = `${base}/api/share/${exportId}/audio`
  const first = await send(audio, { headers: { ...headers, Range: 'bytes=0-0' } })
  await first.arrayBuffer()
  const audioBytes = Number(first.headers.get('Content-Range')?.split('/')[1])
  if (!(audioBytes > TAIL_BYTES)) throw new Error(`audio answered ${first.status}`)
  const rest = `bytes=1-${audioBytes - TAIL_BYTES - 1}`
  await (await send(audio, { headers: { ...headers, Range: rest } })).arrayBuffer()
  return { cookie, address, ticket, redeemableAt, audioBytes }
}

/** The listeners' audio tails (TAIL_BYTES), 16 clients at a time: after this, each may redeem. */
export async function finishListening(
  base: string,
  exportId: string,
  listeners: readonly Prepared[],
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < listeners.length; i = next++) {
        const l = listeners[i]!
        const range = `bytes=${l.audioBytes - TAIL_BYTES}-`
        const res = await send(`${base}/api/share/${exportId}/audio`, {
          headers: { ...headersOf(l), Range: range },
        })
        if (res.status !== 206) throw new Error(`audio tail answered ${res.status}`)
        await res.arrayBuffer()
      }
    }),
  )
}

/**
 * `count` listeners prepared by 16 clients, returned once every ticket is old enough to redeem: a
 * play counts only once the remix could have been heard that long (30 s, or its whole length).
 */
export async function prepareListeners(
  base: string,
  exportId: string,
  count: number,
): Promise<Prepared[]> {
  const ready: Prepared[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < count; i = next++) ready[i] = await prepare(base, exportId, i)
    }),
  )
  const wait = Math.max(...ready.map((l) => l.redeemableAt)) + 100 - Date.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  return ready
}

/**
 * A play's redemption as a browser sends it. The no-op is sent exactly so too: the cost of the
 * HTTP stack is measured apart from the play's own work.
 */
export const playRequest = (l: Prepared): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headersOf(l) },
  body: JSON.stringify({ ticket: l.ticket }),
})

/** What rounds of one kind of request add up to: every latency, the time and CPU they took. */
type Run = {
  latencies: number[]
  seconds: number
  workerd: number
  vite: number
  client: number
  loads: number[]
}
const newRun = (): Run => ({ latencies: [], seconds: 0, workerd: 0, vite: 0, client: 0, loads: [] })

/**
 * Sends requests `from` ≤ i < `to` with `clients` concurrent clients, adding their latencies (of
 * the requests `check` accepts), time and CPU to `run`.
 */
async function driveRange(
  run: Run,
  clients: number,
  from: number,
  to: number,
  request: (i: number) => Promise<Response>,
  check: (res: Response, i: number, body: string) => void,
  before: (i: number) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  let next = from
  const cpuBefore = childCpuMs()
  const clientBefore = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < to; i = next++) {
        await before(i)
        const t = performance.now()
        const res = await request(i)
        const body = await res.text()
        const ms = performance.now() - t
        check(res, i, body)
        run.latencies.push(ms)
      }
    }),
  )
  run.seconds += (performance.now() - started) / 1000
  const cpuAfter = childCpuMs()
  const client = process.cpuUsage(clientBefore)
  run.workerd += cpuAfter.workerd - cpuBefore.workerd
  run.vite += cpuAfter.other - cpuBefore.other
  run.client += (client.user + client.system) / 1000
  run.loads.push(load())
}

function timingOf(run: Run): Timing {
  const count = run.latencies.length
  const sorted = Float64Array.from(run.latencies).sort()
  return {
    count,
    seconds: run.seconds,
    perSecond: count / run.seconds,
    p50: sorted[Math.floor(count * 0.5)]!,
    p99: sorted[Math.floor(count * 0.99)]!,
    load: run.loads.reduce((a, b) => a + b, 0) / run.loads.length,
    cpu: { workerd: run.workerd / count, vite: run.vite / count, client: run.client / count },
  }
}

/** Runs `count` requests with `clients` concurrent clients; latencies of the requests `check` accepts. */
export async function drive(
  clients: number,
  count: number,
  request: (i: number) => Promise<Response>,
  check: (res: Response, i: number, body: string) => void,
  before?: (i: number) => Promise<void>,
): Promise<Timing> {
  const run = newRun()
  await driveRange(run, clients, 0, count, request, check, before)
  return timingOf(run)
}

type Kind = {
  request: (i: number) => Promise<Response>
  check: (res: Response, i: number, body: string) => void
  before?: (i: number) => Promise<void>
  /** Untimed, right before this kind's block of requests `from` ≤ i < `to`. */
  setup?: (from: number, to: number) => Promise<void>
}

/**
 * Each kind's `count` requests in `rounds` blocks, the kinds taking turns in the order A B C,
 * then C B A, and so on: on a machine whose load drifts (other engineers' jobs start and stop),
 * every kind meets the same load on average, so their ratio compares like with like.
 */
async function interleaved(
  clients: number,
  count: number,
  rounds: number,
  kinds: Kind[],
): Promise<{ totals: Timing[]; rounds: Timing[][] }> {
  const runs = kinds.map(newRun)
  const perRound: Timing[][] = []
  const block = Math.ceil(count / rounds)
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [...kinds.keys()] : [...kinds.keys()].reverse()
    const from = r * block
    const to = Math.min(count, from + block)
    const thisRound = kinds.map(newRun)
    for (const k of order) {
      const { request, check, before, setup } = kinds[k]!
      await setup?.(from, to)
      await driveRange(thisRound[k]!, clients, from, to, request, check, before)
    }
    thisRound.forEach((run, k) => {
      const total = runs[k]!
      total.latencies.push(...run.latencies)
      total.seconds += run.seconds
      total.workerd += run.workerd
      total.vite += run.vite
      total.client += run.client
      total.loads.push(...run.loads)
    })
    perRound.push(thisRound.map(timingOf))
  }
  return { totals: runs.map(timingOf), rounds: perRound }
}

/** Raw batched inserts into local D1 (miniflare's engine): rows/s, batches of 100. */
async function rawD1(rows = 20_000, batchSize = 100): Promise<{ perSecond: number; load: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'stemfair-d1-bench-'))
  const configPath = join(dir, 'wrangler.toml')
  writeFileSync(
    configPath,
    'name = "d1-bench"\ncompatibility_date = "2026-10-01"\n[[d1_databases]]\nbinding = "DB"\n' +
      'database_name = "bench"\ndatabase_id = "00000000-0000-4000-8000-000000000001"\n',
  )
  const proxy = await getPlatformProxy({
    configPath,
    persist: { path: join(dir, 'state') },
  })
  try {
    const db = proxy.env.DB as {
      exec(sql: string): Promise<unknown>
      prepare(sql: string): { bind(...v: unknown[]): unknown }
      batch(statements: unknown[]): Promise<unknown>
    }
    await db.exec('CREATE TABLE e (id TEXT PRIMARY KEY, export_id TEXT, day TEXT, n INTEGER)')
    const insert = db.prepare('INSERT INTO e VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING')
    const started = performance.now()
    for (let b = 0; b < rows / batchSize; b++)
      await db.batch(
        Array.from({ length: batchSize }, (_, i) =>
          insert.bind(`ev-${b}-${i}`, 'e1', '2026-12-01', i),
        ),
      )
    return { perSecond: rows / ((performance.now() - started) / 1000), load: load() }
  } finally {
    await proxy.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Plays from `distinct` prepared listeners plus one replay in ten, and the same count of no-ops. */
export async function measureIngest(distinct = 600, clients = 64): Promise<IngestResult> {
  let base = ''
  const stop = (await startApp({
    provide: (_k: string, v: string) => (base = v),
  } as never)) as () => Promise<void>
  try {
    const fan = await login(base, 'fan@stemfair.test', 'remix-it-all-26')
    const exportId = await readyExport(base, fan)
    const ready = await prepareListeners(base, exportId, distinct)

    const sends = [...ready.keys(), ...[...ready.keys()].filter((i) => i % 10 === 0)]
    let refused = 0
    const ok = (res: Response, _i: number, body: string) => {
      if (res.status !== 200) throw new Error(`no-op answered ${res.status}: ${body}`)
    }
    const answered = ready.map(() => {
      let resolve!: () => void
      const promise = new Promise<void>((r) => (resolve = r))
      return { promise, resolve }
    })
    const { totals: timings, rounds } = await interleaved(clients, sends.length, ROUNDS, [
      { request: () => send(`${base}/api/health/live`), check: ok },
      {
        request: (i) => send(`${base}/api/health/live`, playRequest(ready[sends[i]!]!)),
        check: ok,
      },
      {
        request: (i) => send(`${base}/api/share/${exportId}/plays`, playRequest(ready[sends[i]!]!)),
        check: (res: Sent, i, body) => {
          if (i < distinct) answered[i]!.resolve()
          if (i < distinct && res.status !== 202 && !(res.retried && res.status === 409))
            throw new Error(`play answered ${res.status}: ${body}`)
          if (i >= distinct) {
            if (res.status !== 409) throw new Error(`replayed ticket answered ${res.status}`)
            refused++
          }
        },
        // A replay is sent once its ticket's first redemption was answered (untimed wait).
        before: (i) => (i < distinct ? Promise.resolve() : answered[sends[i]!]!.promise),
        // The block's listeners finish their audio (see TAIL_BYTES), untimed.
        setup: (from, to) =>
          finishListening(
            base,
            exportId,
            ready.filter((_, i) => i >= from && i < Math.min(to, distinct)),
          ),
      },
    ])
    const [noopGet, noop, plays] = timings as [Timing, Timing, Timing]

    // What the consumer wrote, read back through the console's numbers (daily_counts).
    const artist = await login(base, 'artist@stemfair.test', 'copper-moons-26')
    let totals = { plays: 0, heldPlays: 0 }
    const deadline = Date.now() + 120_000
    for (let last = -1; Date.now() < deadline;) {
      const { stats } = await json<{ stats: CampaignStats }>(
        await fetch(`${base}/api/campaigns/copper-moons/stats`, { headers: { Cookie: artist } }),
      )
      totals = stats.totals
      const written = totals.plays + totals.heldPlays
      if (written >= distinct && written === last) break
      last = written
      await new Promise((r) => setTimeout(r, 1500))
    }
    const writtenLoad = load()
    const d1 = await rawD1()
    return {
      plays,
      noop,
      noopGet,
      rounds: rounds.map(([, n, p]) => ({ noop: n!, plays: p! })),
      sent: distinct,
      refused,
      written: totals.plays + totals.heldPlays,
      writtenLoad,
      counted: totals.plays,
      held: totals.heldPlays,
      d1RowsPerSecond: d1.perSecond,
      proxyRetries,
      d1Load: d1.load,
    }
  } finally {
    await stop()
  }
}
