// `npm run bench:ledger`: how long a revenue-share statement takes for a busy campaign (1 000 000
// plays over 1 000 exports of 5 stems) in Node, its CSV and DSR renderings, and play events
// ingested through the real worker by concurrent clients. Figures are printed; nothing is asserted.
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { apportion } from '../../core/credits/contributions.ts'
import { statementCsv, statementDsr } from '../../core/credits/report.ts'
import type { Splits } from '../../core/credits/splits.ts'
import { seededRandom } from '../../core/lib/random.ts'
import { statementFor, type StatementPlay } from '../../core/credits/statement.ts'
import { measureIngest } from './ingest.ts'

const EXPORTS = 1000
const PLAYS = 1_000_000
const manifest = JSON.parse(
  readFileSync(new URL('../../stems/manifest.json', import.meta.url), 'utf8'),
) as {
  stems: { id: string; name: string; isrc?: string }[]
  splits: Splits
}
const stems = manifest.stems.map((s) => s.id)

function input() {
  const rand = seededRandom(42) // every run measures the same input
  const contributions: Record<string, Record<string, number>> = {}
  for (let e = 0; e < EXPORTS; e++) {
    const weights = new Map(stems.map((s) => [s, Math.floor(rand() * 1000) + 1]))
    contributions[`e${e}`] = Object.fromEntries(apportion(weights, 10_000))
  }
  const plays: StatementPlay[] = new Array(PLAYS)
  for (let i = 0; i < PLAYS; i++) {
    // A long tail: a few remixes get most plays.
    const e = Math.floor(EXPORTS * rand() ** 3)
    const day = String(1 + Math.floor(rand() * 30)).padStart(2, '0')
    plays[i] = {
      exportId: `e${e}`,
      remixTitle: `Remix ${e}`,
      fan: `Fan ${e % 300}`,
      occurredAt: `2026-06-${day}T12:00:00.000Z`,
    }
  }
  return { contributions, plays }
}

function timed<T>(fn: () => T, runs: number): { ms: number; result: T } {
  const times: number[] = []
  let result!: T
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    result = fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)]!, result }
}

const built = performance.now()
const { contributions, plays } = input()
console.log(
  `input: ${PLAYS.toLocaleString('en')} plays over ${EXPORTS} exports × ${stems.length} stems, built in ${(performance.now() - built).toFixed(0)} ms`,
)

const base = {
  campaign: 'copper-moons',
  period: { from: '2026-06-01', to: '2026-06-30' },
  pool: { amount: 123_456_789, currency: 'EUR' },
  plays,
  contributions,
  splits: manifest.splits,
  stemNames: Object.fromEntries(manifest.stems.map((s) => [s.id, s.name])),
}
const { ms, result: statement } = timed(() => statementFor(base), 5)
const total = statement.parties.reduce((s, p) => s + p.amount, 0)
if (total !== base.pool.amount) throw new Error(`parts add up to ${total}, not ${base.pool.amount}`)
console.log(
  `statement: ${ms.toFixed(0)} ms (median of 5), ${statement.parties.length} parties, parts sum to the pool exactly`,
)
// What the worker passes: plays counted per export and day by SQL.
const counted = new Map<string, StatementPlay>()
for (const p of plays) {
  const key = `${p.exportId}:${p.occurredAt.slice(0, 10)}`
  const seen = counted.get(key)
  if (seen) seen.count! += 1
  else counted.set(key, { ...p, occurredAt: p.occurredAt.slice(0, 10), count: 1 })
}
const grouped = timed(() => statementFor({ ...base, plays: [...counted.values()] }), 5)
if (JSON.stringify(grouped.result) !== JSON.stringify(statement))
  throw new Error('counted plays gave a different statement')
console.log(
  `statement from ${counted.size.toLocaleString('en')} per-export-day counts: ${grouped.ms.toFixed(1)} ms (median of 5), same result`,
)
const csv = timed(() => statementCsv(statement), 5)
const isrcs = Object.fromEntries(manifest.stems.map((s) => [s.id, s.isrc ?? null]))
const dsr = timed(() => statementDsr(statement, { isrcs }), 5)
console.log(
  `csv: ${csv.ms.toFixed(2)} ms (${csv.result.length} bytes); dsr: ${dsr.ms.toFixed(2)} ms (${dsr.result.length} bytes)`,
)
const ingest = await measureIngest()
const { plays: redemptions, noop, noopGet } = ingest
const f = (n: number) => n.toFixed(1)
const cpu = ({ cpu: c }: typeof noop) =>
  `CPU per request: worker ${c.workerd.toFixed(2)} ms, vite ${c.vite.toFixed(2)} ms, client ${c.client.toFixed(2)} ms`
const timing = (t: typeof noop) =>
  `${t.count} requests in ${t.seconds.toFixed(1)} s = ${Math.round(t.perSecond)}/s, p50 ${f(t.p50)} ms, ` +
  `p99 ${f(t.p99)} ms; ${cpu(t)} (load ${t.load.toFixed(2)})`
console.log(
  `no-op route as a bare GET (GET /api/health/live, real worker, 64 clients): ${timing(noopGet)}`,
)
console.log(
  `no-op route sent as the plays are (POST /api/health/live, same headers, cookie and body, unread; ` +
    `same worker, 64 clients): ${timing(noop)}`,
)
console.log(
  `play redemptions (POST /api/share/:id/plays, same worker, 64 clients; the share page, ticket and audio of each listener ` +
    `were a setup phase, untimed, the audio's tail fetched just before each block; ${ingest.sent} tickets + ${ingest.refused} replays refused with 409; the three kinds ` +
    `took turns in ${ingest.rounds.length} blocks each, A B C then C B A, so each met the same load): ${timing(redemptions)}`,
)
const lost = Math.max(0, ingest.sent - ingest.written)
const duplicated = Math.max(0, ingest.written - ingest.sent)
console.log(
  `events written by the queue consumer: ${ingest.written} of ${ingest.sent} sent (${ingest.counted} counted, ` +
    `${ingest.held} held): ${lost} lost, ${duplicated} duplicated (load ${ingest.writtenLoad.toFixed(2)})`,
)
if (ingest.proxyRetries > 0)
  console.log(
    `${ingest.proxyRetries} requests sent again: vite preview lost its connection to workerd`,
  )
console.log(
  `raw D1 batch() inserts (local D1, batches of 100): ${Math.round(ingest.d1RowsPerSecond)} rows/s (load ${ingest.d1Load.toFixed(2)})`,
)
// Each round's plays against the no-op of the same round (back to back, same load): the median
// of those ratios is the figure, since a ratio of totals lets one slow round of either kind weigh in.
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const ratios = ingest.rounds.map((r) => ({
  rate: (100 * r.plays.perSecond) / r.noop.perSecond,
  p99: r.plays.p99 / r.noop.p99,
  load: (r.plays.load + r.noop.load) / 2,
}))
ingest.rounds.forEach((r, i) =>
  console.log(
    `round ${i + 1}: no-op ${Math.round(r.noop.perSecond)}/s p99 ${f(r.noop.p99)} ms, plays ` +
      `${Math.round(r.plays.perSecond)}/s p99 ${f(r.plays.p99)} ms: ${ratios[i]!.rate.toFixed(0)} %, ` +
      `p99 ${ratios[i]!.p99.toFixed(2)}× (load ${ratios[i]!.load.toFixed(2)})`,
  ),
)
const rateMedian = median(ratios.map((r) => r.rate))
const p99Median = median(ratios.map((r) => r.p99))
const loadMedian = median(ratios.map((r) => r.load))
const share = (100 * redemptions.perSecond) / noop.perSecond
const shareGet = (100 * redemptions.perSecond) / noopGet.perSecond
console.log(
  `bench:ledger: plays ${Math.round(redemptions.perSecond)} events/s, p99 ${f(redemptions.p99)} ms ` +
    `(${(redemptions.p99 / noop.p99).toFixed(2)}× the no-op's ${f(noop.p99)} ms); ${lost} lost, ${duplicated} duplicated; ` +
    `statement of ${PLAYS / 1e6}M plays in ${ms.toFixed(0)} ms; load ${redemptions.load.toFixed(2)}; ` +
    `${shareGet.toFixed(0)} % of the bare GET, ${share.toFixed(0)} % of the no-op in total; ` +
    `median of ${ratios.length} same-load rounds (load ${loadMedian.toFixed(2)}): p99 ${p99Median.toFixed(2)}× — ` +
    `${rateMedian.toFixed(0)} % of a no-op route`,
)
