import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CSV_HEADER,
  DSR_VERSION,
  parseCsv,
  parseDsr,
  statementCsv,
  statementDsr,
} from './report.ts'
import type { Statement } from './statement.ts'

const STATEMENT: Statement = {
  campaign: 'copper-moons',
  period: { from: '2026-03-01', to: '2026-03-31' },
  currency: 'EUR',
  pool: 10_000,
  totalPlays: 4,
  parties: [
    {
      party: 'Halcyon Drift',
      kind: 'rights-holder',
      amount: 4781,
      plays: 4,
      stems: [
        { stem: 'drums', name: 'Drums', amount: 3937 },
        { stem: 'vox', name: 'Voice', amount: 844 },
      ],
      topRemixes: [],
    },
    {
      party: 'Records, "Demo" Ltd',
      kind: 'rights-holder',
      amount: 4469,
      plays: 4,
      stems: [{ stem: 'drums', name: 'Drums\nand more', amount: 4469 }],
      topRemixes: [],
    },
    {
      party: '=cmd|calc',
      kind: 'fan-creator',
      amount: 750,
      plays: 3,
      stems: [{ stem: 'drums', name: 'Drums', amount: 750 }],
      topRemixes: [],
    },
  ],
  heldPlays: 0,
  held: [],
}

describe('statementCsv', () => {
  it('writes a header, a row per party and stem, and a TOTAL, quoting as RFC 4180 says', () => {
    const csv = statementCsv(STATEMENT)
    expect(csv.split('\r\n')[0]).toBe(CSV_HEADER.join(','))
    expect(csv).toContain(
      '"Records, ""Demo"" Ltd",rights-holder,drums,"Drums\nand more",4,4469,EUR',
    )
    expect(csv.endsWith('TOTAL,,,,4,10000,EUR\r\n')).toBe(true)
    const rows = parseCsv(csv)
    expect(rows).toHaveLength(1 + 4 + 1)
    expect(rows[2]).toEqual(['Halcyon Drift', 'rights-holder', 'vox', 'Voice', '4', '844', 'EUR'])
    expect(rows[3]![0]).toBe('Records, "Demo" Ltd')
    expect(rows[3]![3]).toBe('Drums\nand more')
  })

  it('keeps a name a spreadsheet would run as a formula as text', () => {
    expect(parseCsv(statementCsv(STATEMENT))[4]![0]).toBe("'=cmd|calc")
  })

  it('parses back to the same totals', () => {
    const rows = parseCsv(statementCsv(STATEMENT)).slice(1)
    const total = rows.pop()!
    expect(rows.reduce((s, r) => s + Number(r[5]), 0)).toBe(STATEMENT.pool)
    expect(Number(total[5])).toBe(STATEMENT.pool)
  })

  it('round-trips any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        (cells) => {
          const safe = cells.map((r) => r.map((c) => c.replace(/^[=+\-@\t\r]/, 'x')))
          const s: Statement = {
            ...STATEMENT,
            parties: safe.map((r, i) => ({
              party: r[0]!,
              kind: 'rights-holder',
              amount: i,
              plays: 0,
              stems: r.slice(1).map((name) => ({ stem: 's', name, amount: 0 })),
              topRemixes: [],
            })),
          }
          const rows = parseCsv(statementCsv(s))
          const names = rows.slice(1, -1).map((row) => [row[0], row[3]])
          const expected = s.parties.flatMap((p) =>
            p.stems.length ? p.stems.map((x) => [p.party, x.name]) : [[p.party, '']],
          )
          expect(names).toEqual(expected)
        },
      ),
    )
  })
})

describe('statementDsr', () => {
  const dsr = statementDsr(STATEMENT, {
    recipient: 'Test Artist',
    isrcs: { drums: 'QZSF12600001', vox: null },
  })

  it('writes HEAD, SU01 per party, RU01 per party and stem, FOOT', () => {
    const lines = dsr.trimEnd().split('\n')
    expect(lines[0]).toBe(
      `HEAD\t${DSR_VERSION}\tStemfair\tTest Artist\t2026-03-01\t2026-03-31\tEUR`,
    )
    expect(lines[1]).toBe('SU01\tS1\tHalcyon Drift\trights-holder\t4\t4781\tEUR')
    expect(lines[2]).toBe('RU01\tS1\tcopper-moons\tdrums\tDrums\tQZSF12600001\t3937\tEUR')
    expect(lines[3]).toBe('RU01\tS1\tcopper-moons\tvox\tVoice\t\t844\tEUR')
    expect(lines.at(-1)).toBe('FOOT\t3\t4\t4\t10000\t9')
    for (const line of lines) expect(line.split('\t')[0]).toMatch(/^(HEAD|SU01|RU01|FOOT)$/)
  })

  it('parses back to the same totals and counts', () => {
    const parsed = parseDsr(dsr)
    expect(parsed.head).toMatchObject({ sender: 'Stemfair', currency: 'EUR', from: '2026-03-01' })
    expect(parsed.summaries.reduce((s, x) => s + x.amount, 0)).toBe(STATEMENT.pool)
    expect(parsed.usages.reduce((s, x) => s + x.amount, 0)).toBe(STATEMENT.pool)
    expect(parsed.foot).toEqual({ summaries: 3, usages: 4, plays: 4, amount: 10_000, lines: 9 })
    expect(parsed.lines).toBe(parsed.foot.lines)
    expect(parsed.usages[2]).toMatchObject({ name: 'Drums and more', summary: 'S2' })
  })

  it('refuses an unknown record', () => {
    expect(() => parseDsr(`${dsr}XX01\tnope\n`)).toThrow(/unknown DSR record XX01/)
  })
})
