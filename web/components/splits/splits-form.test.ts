import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SplitsSchema, WHOLE_BPS, type Contributor } from '../../../core/credits/splits.ts'
import manifest from '../../../stems/manifest.json'
import {
  bpsFromPercent,
  checkSplits,
  contributorFrom,
  draftFrom,
  evenSplit,
  percentFromBps,
  remainingBps,
  splitEvenly,
  type SplitsCampaign,
} from './splits-form.ts'

const demo: SplitsCampaign = {
  stems: manifest.stems.map((s) => ({ id: s.id, name: s.name, rightsHolders: [] })),
  splits: SplitsSchema.parse(manifest.splits),
  credits: manifest.credits as Contributor[],
}

describe('splits form', () => {
  it('reads percentages with up to two decimals as basis points, and nothing else', () => {
    expect(bpsFromPercent('70')).toBe(7000)
    expect(bpsFromPercent('33.33')).toBe(3333)
    expect(bpsFromPercent('0,5')).toBe(50)
    expect(bpsFromPercent('.25')).toBe(25)
    expect(bpsFromPercent('100')).toBe(WHOLE_BPS)
    for (const bad of ['', 'abc', '33.333', '-5', '100.01', '1e2', ' '])
      expect(bpsFromPercent(bad), bad).toBeNull()
  })

  it('writes every basis-point value as a percentage that reads back the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: WHOLE_BPS }), (bps) => {
        expect(bpsFromPercent(percentFromBps(bps))).toBe(bps)
      }),
    )
  })

  it('splits evenly into whole basis points that always sum to the whole', () => {
    expect(evenSplit(3)).toEqual([3334, 3333, 3333])
    expect(evenSplit(0)).toEqual([])
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        const parts = evenSplit(n)
        expect(parts).toHaveLength(n)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(WHOLE_BPS)
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1)
      }),
    )
    const shares = splitEvenly([
      { party: 'A', percent: '' },
      { party: 'B', percent: '90' },
      { party: 'C', percent: '1' },
    ])
    expect(shares.map((s) => s.percent)).toEqual(['33.34', '33.33', '33.33'])
    expect(remainingBps(shares)).toBe(0)
  })

  it('says what is left or over on a stem', () => {
    expect(remainingBps([{ party: 'A', percent: '70' }])).toBe(3000)
    expect(
      remainingBps([
        { party: 'A', percent: '70' },
        { party: 'B', percent: '40' },
      ]),
    ).toBe(-1000)
  })

  it('gives back the demo campaign’s splits and credits unchanged', () => {
    const check = checkSplits(draftFrom(demo))
    expect(check.ok).toBe(true)
    if (!check.ok) return
    expect(check.splits).toEqual(demo.splits)
    expect(check.credits).toEqual(demo.credits)
  })

  it('starts a new campaign from each stem’s rights holders, split evenly', () => {
    const draft = draftFrom({
      stems: [
        { id: 'a', name: 'A', rightsHolders: ['X', 'Y', 'Z'] },
        { id: 'b', name: 'B', rightsHolders: [] },
      ],
      splits: null,
      credits: [],
    })
    expect(draft.fanCreator).toBe('0')
    expect(draft.stems[0]!.shares.map((s) => s.percent)).toEqual(['33.34', '33.33', '33.33'])
    expect(draft.stems[1]!.shares).toEqual([{ party: '', percent: '100' }])
    const check = checkSplits(draft)
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.issues.get('stems.0.shares.0.party')).toEqual([
      'X is not in the credits: add them below with their role.',
    ])
    expect(check.issues.get('stems.1.shares.0.party')).toEqual(['Name the rights holder.'])
  })

  it('puts each problem next to its field', () => {
    const draft = draftFrom(demo)
    draft.fanCreator = '12.345'
    draft.stems[0]!.shares[0]!.percent = '60'
    draft.stems[1]!.shares[1]!.party = 'Halcyon Drift'
    draft.credits[0]!.ipi = '12ab'
    draft.credits[1]!.roles = ' , '
    draft.credits[2]!.isni = '000000012345678'
    const check = checkSplits(draft)
    expect(check.ok).toBe(false)
    if (check.ok) return
    expect(check.issues.get('fanCreator')).toHaveLength(1)
    expect(check.issues.get('stems.0.shares')).toEqual([
      'The shares must add up to 100%: 10% left to assign.',
    ])
    expect(check.issues.get('stems.1.shares.1.party')).toEqual([
      'Halcyon Drift is listed twice on this stem.',
    ])
    expect(check.issues.get('credits.0.ipi')).toEqual(['an IPI is 9 to 11 digits'])
    expect(check.issues.get('credits.1.roles')).toHaveLength(1)
    expect(check.issues.get('credits.2.isni')).toEqual(['an ISNI is 16 characters'])
    expect([...check.issues.keys()].sort()).toEqual(
      [
        'fanCreator',
        'stems.0.shares',
        'stems.1.shares.1.party',
        'credits.0.ipi',
        'credits.1.roles',
        'credits.2.isni',
      ].sort(),
    )
  })

  it('refuses the same contributor twice', () => {
    const draft = draftFrom(demo)
    draft.credits.push({ ...draft.credits[0]! })
    const check = checkSplits(draft)
    expect(!check.ok && check.issues.get('credits.3.name')).toEqual([
      'Halcyon Drift is already in the credits.',
    ])
  })

  it('tidies identifiers as people type them', () => {
    expect(
      contributorFrom({
        name: ' Mira Vale ',
        roles: 'voice, , featured performer',
        ipi: '123 456 789',
        isni: '0000 0001 2345 678x',
      }),
    ).toEqual({
      name: 'Mira Vale',
      roles: ['voice', 'featured performer'],
      ipi: '123456789',
      isni: '000000012345678X',
    })
    expect(contributorFrom({ name: 'L', roles: 'label', ipi: '', isni: '' })).toEqual({
      name: 'L',
      roles: ['label'],
    })
  })
})
