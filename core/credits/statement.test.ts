import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../errors.ts'
import { apportion } from './contributions.ts'
import type { Splits } from './splits.ts'
import { checkSplits, statementFor, type StatementInput, type StatementPlay } from './statement.ts'

const SPLITS: Splits = {
  fanCreatorBps: 1000,
  stems: [
    {
      stem: 'drums',
      shares: [
        { party: 'Halcyon Drift', bps: 7000 },
        { party: 'Stemfair Demo Records', bps: 3000 },
      ],
    },
    {
      stem: 'vox',
      shares: [
        { party: 'Mira Vale', bps: 5000 },
        { party: 'Halcyon Drift', bps: 2500 },
        { party: 'Stemfair Demo Records', bps: 2500 },
      ],
    },
  ],
}

const play = (exportId: string, fan: string, day = '2026-03-02'): StatementPlay => ({
  exportId,
  remixTitle: `Remix ${exportId}`,
  fan,
  occurredAt: `${day}T12:00:00.000Z`,
})

const INPUT: StatementInput = {
  campaign: 'copper-moons',
  period: { from: '2026-03-01', to: '2026-03-31' },
  pool: { amount: 10_000, currency: 'EUR' },
  plays: [
    play('e1', 'Fan One'),
    play('e1', 'Fan One'),
    play('e1', 'Fan One', '2026-03-31'),
    play('e2', 'Fan Two', '2026-03-01'),
    play('e2', 'Fan Two', '2026-04-01'), // outside the period
    play('e1', 'Fan One', '2026-02-28'), // outside the period
  ],
  contributions: { e1: { drums: 5000, vox: 5000 }, e2: { drums: 10_000 } },
  splits: SPLITS,
  stemNames: { drums: 'Drums', vox: 'Voice' },
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError'
  }
  return undefined
}

describe('statementFor: a worked example', () => {
  // 4 plays share 100.00 €: 25.00 € each. e1 (3 plays, 75.00 €): the fan 7.50 €, drums and
  // voice 33.75 € each. e2 (1 play): the fan 2.50 €, drums 22.50 €. Exactly: Halcyon Drift
  // 47.8125 €, the label 25.3125 €, Mira Vale 16.875 €; the one cent left over goes to the
  // largest remainder (Mira Vale's 0.5).
  const statement = statementFor(INPUT)

  it('divides the pool to the cent, largest remainder first', () => {
    expect(statement).toMatchObject({
      campaign: 'copper-moons',
      period: { from: '2026-03-01', to: '2026-03-31' },
      currency: 'EUR',
      pool: 10_000,
      totalPlays: 4,
    })
    expect(statement.parties.map((p) => [p.party, p.kind, p.amount, p.plays])).toEqual([
      ['Halcyon Drift', 'rights-holder', 4781, 4],
      ['Stemfair Demo Records', 'rights-holder', 2531, 4],
      ['Mira Vale', 'rights-holder', 1688, 3],
      ['Fan One', 'fan-creator', 750, 3],
      ['Fan Two', 'fan-creator', 250, 1],
    ])
    expect(statement.parties.reduce((s, p) => s + p.amount, 0)).toBe(10_000)
  })

  it('breaks each party down by stem, adding up to its amount', () => {
    const halcyon = statement.parties[0]!
    // drums 39.375 €, voice 8.4375 €: 4781 cents → 3937 + 844 (the larger remainder).
    expect(halcyon.stems).toEqual([
      { stem: 'drums', name: 'Drums', amount: 3937 },
      { stem: 'vox', name: 'Voice', amount: 844 },
    ])
    expect(halcyon.topRemixes).toEqual([
      { exportId: 'e1', title: 'Remix e1', plays: 3 },
      { exportId: 'e2', title: 'Remix e2', plays: 1 },
    ])
    for (const p of statement.parties)
      expect(p.stems.reduce((s, x) => s + x.amount, 0)).toBe(p.amount)
  })

  it('takes plays counted per export and day as the same plays', () => {
    const counted = statementFor({
      ...INPUT,
      plays: [
        { ...play('e1', 'Fan One'), count: 2 },
        { ...play('e1', 'Fan One', '2026-03-31'), count: 1 },
        { ...play('e2', 'Fan Two', '2026-03-01'), count: 1 },
        { ...play('e2', 'Fan Two', '2026-04-01'), count: 7 },
      ],
    })
    expect(counted).toEqual(statement)
  })

  it('lists every party at 0 when there are no plays', () => {
    const none = statementFor({ ...INPUT, plays: [] })
    expect(none.totalPlays).toBe(0)
    expect(none.parties.map((p) => [p.party, p.amount])).toEqual([
      ['Halcyon Drift', 0],
      ['Mira Vale', 0],
      ['Stemfair Demo Records', 0],
    ])
  })

  it('gives no fan a part when the campaign shares none', () => {
    const s = statementFor({ ...INPUT, splits: { ...SPLITS, fanCreatorBps: 0 } })
    expect(s.parties.map((p) => p.kind)).not.toContain('fan-creator')
    expect(s.parties.reduce((sum, p) => sum + p.amount, 0)).toBe(10_000)
  })
})

describe('statementFor refuses bad input with bad_request', () => {
  const cases: [string, Partial<StatementInput>][] = [
    ['a negative pool', { pool: { amount: -1, currency: 'EUR' } }],
    ['a fractional pool', { pool: { amount: 1.5, currency: 'EUR' } }],
    ['an unknown currency', { pool: { amount: 1, currency: 'XXQ' } }],
    ['a lowercase currency', { pool: { amount: 1, currency: 'eur' } }],
    ['a period ending before it starts', { period: { from: '2026-03-02', to: '2026-03-01' } }],
    ['a date that does not exist', { period: { from: '2026-02-30', to: '2026-03-01' } }],
    ['an export without contributions', { contributions: { e1: { drums: 10_000 } } }],
  ]
  for (const [what, change] of cases)
    it(what, () => expect(codeOf(() => statementFor({ ...INPUT, ...change }))).toBe('bad_request'))

  it('explains what is wrong', () => {
    expect(() =>
      statementFor({ ...INPUT, period: { from: '2026-03-02', to: '2026-03-01' } }),
    ).toThrow(/ends \(2026-03-01\) before it starts/)
    expect(() => statementFor({ ...INPUT, pool: { amount: 1, currency: 'XXQ' } })).toThrow(/XXQ/)
  })
})

describe('checkSplits', () => {
  it('accepts the demo splits', () => expect(checkSplits(SPLITS, ['drums', 'vox'])).toEqual([]))

  it('names each problem', () => {
    const bad = {
      fanCreatorBps: 1000,
      stems: [{ stem: 'drums', shares: [{ party: 'A', bps: 6000 }] }],
    }
    const invalid = checkSplits(bad, ['drums'])
    expect(invalid.map((i) => i.code)).toEqual(['invalid'])
    expect(invalid[0]!.message).toMatch(/sum to 10000/)
    expect(checkSplits(SPLITS, ['drums', 'vox', 'bass'])).toEqual([
      { code: 'stem_uncovered', message: 'no split for stem bass' },
    ])
    expect(checkSplits(SPLITS, ['drums'])).toEqual([
      { code: 'stem_unknown', message: 'the split names unknown stem vox' },
    ])
    const twice = {
      fanCreatorBps: 0,
      stems: [
        { stem: 'drums', shares: [{ party: 'A', bps: 10_000 }] },
        {
          stem: 'drums',
          shares: [
            { party: 'A', bps: 5000 },
            { party: 'A', bps: 5000 },
          ],
        },
      ],
    }
    expect(checkSplits(twice, ['drums'])).toEqual([
      { code: 'stem_twice', message: 'stem drums is split twice' },
      { code: 'party_twice', message: 'stem drums names a party twice in its shares' },
    ])
    expect(
      checkSplits({ fanCreatorBps: 10_001, stems: SPLITS.stems }, ['drums', 'vox']),
    ).not.toEqual([])
  })
})

const STEMS = ['s1', 's2', 's3', 's4', 's5']
const PARTIES = ['Ann', 'Bo', 'Cy', 'Di']

/** Basis points summing to 10 000 over `n` parts, from arbitrary positive weights. */
const bpsOver = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }).map((w) => {
    const weights = w.some((x) => x > 0) ? w : w.map((_, i) => (i === 0 ? 1 : 0))
    const out = apportion(new Map(weights.map((x, i) => [String(i), x])), 10_000)
    return weights.map((_, i) => out.get(String(i))!)
  })

const splitsArb: fc.Arbitrary<Splits> = fc.record({
  fanCreatorBps: fc.integer({ min: 0, max: 10_000 }),
  stems: fc.tuple(
    ...STEMS.map((stem) =>
      fc.subarray(PARTIES, { minLength: 1 }).chain((parties) =>
        bpsOver(parties.length).map((bps) => ({
          stem,
          shares: parties.map((party, i) => ({ party, bps: bps[i]! })),
        })),
      ),
    ),
  ),
})

const exportsArb = fc.array(
  fc.record({ fan: fc.constantFrom('Fan A', 'Fan B', 'Ann'), bps: bpsOver(STEMS.length) }),
  { minLength: 1, maxLength: 12 },
)

describe('statementFor: properties', () => {
  it('always adds up to the pool exactly, party by party and stem by stem', () => {
    fc.assert(
      fc.property(
        splitsArb,
        exportsArb,
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.oneof(
          fc.integer({ min: 0, max: 1000 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        ),
        (splits, exports, picks, pool) => {
          const contributions = Object.fromEntries(
            exports.map((e, i) => [
              `x${i}`,
              Object.fromEntries(STEMS.map((s, k) => [s, e.bps[k]!]).filter(([, v]) => v !== 0)),
            ]),
          )
          const plays = picks.map((k) =>
            play(`x${k % exports.length}`, exports[k % exports.length]!.fan),
          )
          const s = statementFor({
            ...INPUT,
            pool: { amount: pool, currency: 'JPY' },
            plays,
            contributions,
            splits,
          })
          const total = s.parties.reduce((sum, p) => sum + p.amount, 0)
          expect(total).toBe(plays.length > 0 ? pool : 0)
          expect(s.totalPlays).toBe(plays.length)
          for (const p of s.parties) {
            expect(Number.isInteger(p.amount) && p.amount >= 0).toBe(true)
            expect(p.stems.reduce((sum, x) => sum + x.amount, 0)).toBe(p.amount)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('gives everyone the same part, give or take one unit, when nothing differs', () => {
    const splits: Splits = {
      fanCreatorBps: 0,
      stems: [{ stem: 's1', shares: PARTIES.map((party) => ({ party, bps: 2500 })) }],
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (pool) => {
        const s = statementFor({
          ...INPUT,
          pool: { amount: pool, currency: 'EUR' },
          plays: [play('e', 'Fan')],
          contributions: { e: { s1: 10_000 } },
          splits,
        })
        // The leftover units go to the first names.
        expect(s.parties.map((p) => p.party)).toEqual(PARTIES)
        expect(s.parties.map((p) => p.amount)).toEqual(
          PARTIES.map((_, i) => Math.floor(pool / 4) + (i < pool % 4 ? 1 : 0)),
        )
      }),
    )
  })
})
