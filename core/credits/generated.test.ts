import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { contributionsFrom } from './contributions.ts'

const STEMS = ['drums', 'bass', 'pads', 'lead', 'vox'].map((id) => ({ id }))
const action = {
  id: 'ai-gen',
  tool: 'stemfair/generate-part',
  version: '1',
  provider: 'local',
  parameters: {},
  appliedAt: '2026-06-01T12:00:00Z',
}

type PartInput = { sourceStems: string[]; gainDb?: number; muted?: boolean; notes: number[][] }

// 120 BPM: a beat is half a second.
function recipeOf(
  parts: PartInput[],
  tracks: { stem: string; soloed?: boolean }[],
  length = 10,
): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 120,
    timeSignature: [4, 4],
    length,
    tracks: tracks.map((t, i) => ({
      ...t,
      id: `t${i}`,
      regions: [{ id: `t${i}r`, start: 0, offset: 0, duration: 4 }],
    })),
    aiActions: [action],
    generatedParts: parts.map((p, i) => ({
      id: `g${i}`,
      kind: 'arpeggio',
      instrument: 'pluck',
      aiAction: 'ai-gen',
      gainDb: 0,
      ...p,
      notes: p.notes.map(([time, duration]) => ({ time, duration, midi: 60, velocity: 0.7 })),
    })),
  })
}

describe('contributionsFrom: generated parts', () => {
  it('credits a part to its source stems, shared equally, by the time its notes sound', () => {
    // drums 4 s; the part sounds 4 s (beats 0..8, overlapping notes counted once) from lead and pads.
    const recipe = recipeOf(
      [
        {
          sourceStems: ['lead', 'pads'],
          notes: [
            [0, 4],
            [2, 6],
            [4, 2],
          ],
        },
      ],
      [{ stem: 'drums' }],
    )
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 5000, lead: 2500, pads: 2500 })
  })

  it('counts nothing of a muted part, a part under a solo, or a source outside the campaign', () => {
    const parts = (p: Partial<PartInput>) => [{ sourceStems: ['lead'], notes: [[0, 8]], ...p }]
    const drums = [{ stem: 'drums' }]
    expect(contributionsFrom(recipeOf(parts({ muted: true }), drums), STEMS)).toEqual({
      drums: 10_000,
    })
    expect(
      contributionsFrom(recipeOf(parts({}), [{ stem: 'drums', soloed: true }]), STEMS),
    ).toEqual({ drums: 10_000 })
    expect(contributionsFrom(recipeOf(parts({ sourceStems: ['kazoo'] }), drums), STEMS)).toEqual({
      drums: 10_000,
    })
    expect(contributionsFrom(recipeOf(parts({}), drums, 2), STEMS)).toEqual({
      drums: 5000,
      lead: 5000,
    })
  })

  it('credits a part only when it is heard long and loud enough for its stems to count', () => {
    // 30 s: a stem counts from 3 s heard above -40 dB; drums play 4 s.
    const drums = [{ stem: 'drums' }]
    const part = (p: Partial<PartInput>) => [{ sourceStems: ['lead'], notes: [[0, 16]], ...p }]
    const credits = (p: Partial<PartInput>) =>
      contributionsFrom(recipeOf(part(p), drums, 30), STEMS)
    expect(credits({})).toEqual({ drums: 3333, lead: 6667 })
    expect(credits({ gainDb: -45 })).toEqual({ drums: 10_000 })
    expect(credits({ notes: [[0, 5.8]] })).toEqual({ drums: 10_000 })
    expect(credits({ notes: [[0, 6]] })).toEqual({ drums: 5714, lead: 4286 })
  })

  it('always sums to 10 000 in non-negative integers with generated parts', () => {
    const part = fc.record({
      sourceStems: fc.uniqueArray(
        fc.constantFrom('drums', 'bass', 'pads', 'lead', 'vox', 'kazoo'),
        { minLength: 1, maxLength: 3 },
      ),
      gainDb: fc.double({ min: -60, max: 12, noNaN: true }),
      muted: fc.boolean(),
      notes: fc.array(
        fc.tuple(
          fc.double({ min: 0, max: 60, noNaN: true }),
          fc.double({ min: 0.01, max: 8, noNaN: true }),
        ),
        { minLength: 1, maxLength: 12 },
      ),
    })
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 4 }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        (parts, length) => {
          const bps = contributionsFrom(recipeOf(parts, [{ stem: 'drums' }], length), STEMS)
          const values = Object.values(bps)
          expect(values.reduce((a, b) => a + b, 0)).toBe(10_000)
          for (const v of values) expect(Number.isInteger(v) && v >= 0).toBe(true)
          expect(Object.keys(bps).every((s) => STEMS.some((x) => x.id === s))).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
