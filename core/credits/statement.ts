import { DomainError } from '../errors.ts'
import type { BasisPoints } from '../units.ts'
import type { Contributions } from './contributions.ts'
import { SplitsSchema, WHOLE_BPS, type Splits } from './splits.ts'

/** ISO 4217 codes a statement may be drawn up in: the common ones. */
export const CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AUD BRL CAD CHF CLP CNY COP CZK DKK EUR GBP HKD HUF IDR ILS INR ISK JPY KRW MXN NOK NZD ' +
    'PHP PLN RON SEK SGD THB TRY TWD USD ZAR'
  ).split(' '),
)

/**
 * A counted play of an export, or `count` counted plays of it on the day of `occurredAt`; `held`
 * plays that day were recorded but held back by the caps on artificial streaming: reported, not paid.
 */
export type StatementPlay = {
  exportId: string
  remixTitle: string
  fan: string
  occurredAt: string
  count?: number
  held?: number
}

/** A period of whole UTC days, both ends included: `YYYY-MM-DD`. */
export type Period = { from: string; to: string }

/** What a statement is drawn up from. */
export type StatementInput = {
  campaign: string
  period: Period
  pool: { amount: number; currency: string } // amount in integer minor units
  plays: readonly StatementPlay[]
  contributions: Record<string, Contributions> // by export id
  splits: Splits
  stemNames: Record<string, string>
}

/** One party's part of the pool, by stem, with the remixes that earned it most. */
export type StatementParty = {
  party: string
  kind: 'rights-holder' | 'fan-creator'
  amount: number
  plays: number
  stems: { stem: string; name: string; amount: number }[]
  topRemixes: { exportId: string; title: string; plays: number }[]
}

/** A revenue-share statement: parts in integer minor units that add up to the pool exactly. */
export type Statement = {
  campaign: string
  period: Period
  currency: string
  pool: number
  totalPlays: number
  parties: StatementParty[]
  /** Plays held by the caps in the period: not paid, listed per export for review. */
  heldPlays: number
  held: { exportId: string; title: string; plays: number }[]
}

/** How many remixes each party's statement names. */
export const TOP_REMIXES = 5

/** What can be wrong with splits: a code to branch on and a phrase for people. */
export type SplitsIssue = {
  code: 'invalid' | 'stem_uncovered' | 'stem_unknown' | 'stem_twice' | 'party_twice'
  message: string
}

/** Problems with a campaign's splits for these stems (none when they are sound). */
export function checkSplits(splits: unknown, stemIds: readonly string[]): SplitsIssue[] {
  const parsed = SplitsSchema.safeParse(splits)
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({
      code: 'invalid',
      message: `${i.path.join('.') || 'splits'}: ${i.message}`,
    }))
  const issues: SplitsIssue[] = []
  const named = parsed.data.stems.map((s) => s.stem)
  for (const stem of stemIds)
    if (!named.includes(stem))
      issues.push({ code: 'stem_uncovered', message: `no split for stem ${stem}` })
  named.forEach((stem, i) => {
    if (!stemIds.includes(stem))
      issues.push({ code: 'stem_unknown', message: `the split names unknown stem ${stem}` })
    if (named.indexOf(stem) !== i)
      issues.push({ code: 'stem_twice', message: `stem ${stem} is split twice` })
  })
  for (const s of parsed.data.stems) {
    const parties = s.shares.map((x) => x.party)
    if (new Set(parties).size !== parties.length)
      issues.push({
        code: 'party_twice',
        message: `stem ${s.stem} names a party twice in its shares`,
      })
  }
  return issues
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

function checkInput({ period, pool }: StatementInput): void {
  for (const day of [period.from, period.to])
    if (
      !DAY.test(day) ||
      Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
      new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
    )
      throw new DomainError('bad_request', `“${day}” is not a date: write YYYY-MM-DD.`)
  if (period.to < period.from)
    throw new DomainError(
      'bad_request',
      `The period ends (${period.to}) before it starts (${period.from}).`,
    )
  if (!Number.isSafeInteger(pool.amount) || pool.amount < 0)
    throw new DomainError(
      'bad_request',
      'The pool is a whole, non-negative number of minor units (e.g. cents).',
    )
  if (!CURRENCIES.has(pool.currency))
    throw new DomainError(
      'bad_request',
      `“${pool.currency}” is not a supported ISO 4217 currency code.`,
    )
}

type Tally = {
  party: string
  kind: StatementParty['kind']
  weight: bigint
  byStem: Map<string, bigint>
  byExport: Map<string, number>
}

/** Splits `total` pro rata to big weights by largest remainder, ties by the order of `keys`. */
function apportionExact(
  keys: readonly string[],
  weights: readonly bigint[],
  total: bigint,
): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n)
  if (sum === 0n) return weights.map(() => 0n)
  const floors = weights.map((w) => (total * w) / sum)
  const order = weights
    .map((w, i) => ({ i, rest: (total * w) % sum }))
    .sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : keys[a.i]! < keys[b.i]! ? -1 : 1))
  let left = total - floors.reduce((a, b) => a + b, 0n)
  for (let k = 0; left > 0n; k = (k + 1) % order.length, left--) floors[order[k]!.i]! += 1n
  return floors
}

/**
 * Divides a revenue pool pro rata to plays: each play of an export is one unit; the fan-creator cut
 * goes to that export's fan, the rest divides by the export's contributions, then each stem's part
 * by the stem's shares. Rounding is largest remainder over the parties' totals (ties by name), so
 * the parts add up to the pool exactly; with no plays every party gets 0.
 */
export function statementFor(input: StatementInput): Statement {
  checkInput(input)
  const { period, splits, contributions, stemNames } = input
  const parsed = SplitsSchema.safeParse(splits)
  if (!parsed.success) throw new DomainError('bad_request', 'The campaign’s splits are invalid.')
  const shares = new Map(parsed.data.stems.map((s) => [s.stem, s.shares]))
  const fanBps = BigInt(parsed.data.fanCreatorBps)
  const restBps = BigInt(WHOLE_BPS) - fanBps

  const tallies = new Map<string, Tally>()
  const tally = (party: string, kind: Tally['kind']) => {
    const key = `${kind}\u0000${party}`
    let t = tallies.get(key)
    if (!t)
      tallies.set(key, (t = { party, kind, weight: 0n, byStem: new Map(), byExport: new Map() }))
    return t
  }
  for (const s of parsed.data.stems)
    for (const x of s.shares) tally(x.party, 'rights-holder').byStem.set(s.stem, 0n)

  const byExport = new Map<string, { title: string; fan: string; plays: number }>()
  const heldBy = new Map<string, { title: string; plays: number }>()
  let totalPlays = 0
  let heldPlays = 0
  for (const play of input.plays) {
    const day = play.occurredAt.slice(0, 10)
    if (day < period.from || day > period.to) continue
    const count = play.count ?? 1
    const held = play.held ?? 0
    if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(held) || held < 0)
      throw new DomainError('bad_request', 'A play count is a whole, non-negative number.')
    if (held > 0) {
      heldPlays += held
      const h = heldBy.get(play.exportId)
      if (h) h.plays += held
      else heldBy.set(play.exportId, { title: play.remixTitle, plays: held })
    }
    if (count === 0) continue
    totalPlays += count
    const seen = byExport.get(play.exportId)
    if (seen) seen.plays += count
    else byExport.set(play.exportId, { title: play.remixTitle, fan: play.fan, plays: count })
  }

  for (const [exportId, e] of byExport) {
    const bps = contributions[exportId]
    if (!bps || Object.keys(bps).length === 0)
      throw new DomainError('bad_request', `Export ${exportId} has no recorded contributions.`)
    const n = BigInt(e.plays)
    const credit = (t: Tally, stem: string, w: bigint) => {
      if (w === 0n) return
      t.weight += w
      t.byStem.set(stem, (t.byStem.get(stem) ?? 0n) + w)
      t.byExport.set(exportId, e.plays)
    }
    for (const [stem, c] of Object.entries(bps) as [string, BasisPoints][]) {
      const stemShares = shares.get(stem)
      if (!stemShares) throw new DomainError('bad_request', `Stem ${stem} has no split.`)
      if (fanBps > 0n)
        credit(tally(e.fan, 'fan-creator'), stem, n * fanBps * BigInt(c) * BigInt(WHOLE_BPS))
      for (const x of stemShares)
        credit(tally(x.party, 'rights-holder'), stem, n * restBps * BigInt(c) * BigInt(x.bps))
    }
  }

  const list = [...tallies.values()].sort((a, b) =>
    a.party === b.party ? (a.kind < b.kind ? -1 : 1) : a.party < b.party ? -1 : 1,
  )
  const pool = BigInt(totalPlays > 0 ? input.pool.amount : 0)
  const amounts = apportionExact(
    list.map((_, i) => String(i).padStart(8, '0')),
    list.map((t) => t.weight),
    pool,
  )
  const parties = list.map((t, i): StatementParty => {
    const stems = [...t.byStem.keys()].sort()
    const stemAmounts = apportionExact(
      stems,
      stems.map((s) => t.byStem.get(s)!),
      amounts[i]!,
    )
    return {
      party: t.party,
      kind: t.kind,
      amount: Number(amounts[i]),
      plays: [...t.byExport.values()].reduce((a, b) => a + b, 0),
      stems: stems.map((stem, k) => ({
        stem,
        name: stemNames[stem] ?? stem,
        amount: Number(stemAmounts[k]),
      })),
      topRemixes: [...t.byExport.entries()]
        .sort(([a, pa], [b, pb]) => pb - pa || (a < b ? -1 : 1))
        .slice(0, TOP_REMIXES)
        .map(([exportId, plays]) => ({ exportId, title: byExport.get(exportId)!.title, plays })),
    }
  })
  parties.sort(
    (a, b) =>
      b.amount - a.amount ||
      (a.party < b.party ? -1 : a.party > b.party ? 1 : a.kind < b.kind ? -1 : 1),
  )
  return {
    campaign: input.campaign,
    period: { from: period.from, to: period.to },
    currency: input.pool.currency,
    pool: input.pool.amount,
    totalPlays,
    parties,
    heldPlays,
    held: [...heldBy.entries()]
      .map(([exportId, h]) => ({ exportId, title: h.title, plays: h.plays }))
      .sort((a, b) => b.plays - a.plays || (a.exportId < b.exportId ? -1 : 1)),
  }
}
