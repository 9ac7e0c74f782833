import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { audibleFrom, presenceFrom, usedStemsFrom, useSecondsFor } from './audibility.ts'
import { RecipeSchema, type Recipe } from './schema.ts'

const t = (muted: boolean, soloed: boolean) => ({ muted, soloed })

describe('audibleFrom', () => {
  it('plays everything unmuted when nothing is soloed', () => {
    expect(audibleFrom([t(false, false), t(true, false), t(false, false)])).toEqual([
      true,
      false,
      true,
    ])
  })

  it('plays only soloed tracks once any is soloed', () => {
    expect(audibleFrom([t(false, true), t(false, false), t(false, true)])).toEqual([
      true,
      false,
      true,
    ])
  })

  it('lets mute win over solo', () => {
    expect(audibleFrom([t(true, true), t(false, false)])).toEqual([false, false])
  })

  it('handles no tracks', () => {
    expect(audibleFrom([])).toEqual([])
  })
})

const action = {
  id: 'ai',
  tool: 'stemfair/generate-part',
  version: '1',
  provider: 'local',
  parameters: {},
  appliedAt: '2026-06-01T12:00:00Z',
}
const STEMS = ['drums', 'bass', 'lead'].map((id) => ({ id }))

type Input = { length?: number; masterDb?: number; tracks: object[]; parts?: object[] }

// 120 BPM: a beat is half a second.
function recipeOf({ length = 120, masterDb = 0, tracks, parts = [] }: Input): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 120,
    timeSignature: [4, 4],
    length,
    master: { gainDb: masterDb },
    tracks: tracks.map((t: { regions?: object[] }, i) => ({
      stem: 'drums',
      ...t,
      id: `t${i}`,
      regions: (t.regions ?? []).map((r, j) => ({ start: 0, offset: 0, ...r, id: `t${i}r${j}` })),
    })),
    aiActions: parts.length ? [action] : [],
    generatedParts: parts.map((p, i) => ({
      id: `g${i}`,
      kind: 'arpeggio',
      instrument: 'pluck',
      aiAction: 'ai',
      gainDb: 0,
      ...p,
    })),
  })
}

const used = (input: Input) => [...usedStemsFrom(recipeOf(input), STEMS)].sort()

describe('usedStemsFrom: heard above -40 dB for min(8 s, 10 % of the remix)', () => {
  const drums = { stem: 'drums', regions: [{ duration: 60 }] }

  it('does not count a microsecond region or a stem at -59.99 dB', () => {
    const blip = { stem: 'bass', regions: [{ duration: 1e-6 }] }
    expect(used({ tracks: [drums, blip] })).toEqual(['drums'])
    const faint = { stem: 'bass', gainDb: -59.99, regions: [{ duration: 60 }] }
    expect(used({ tracks: [drums, faint] })).toEqual(['drums'])
    // -40 dB is the floor itself, not above it; a hair over counts.
    const at = (gainDb: number) => ({ stem: 'bass', gainDb, regions: [{ duration: 60 }] })
    expect(used({ tracks: [drums, at(-40)] })).toEqual(['drums'])
    expect(used({ tracks: [drums, at(-39.9)] })).toEqual(['bass', 'drums'])
  })

  it('sums master, track and region gain', () => {
    const bass = (gainDb: number, masterDb: number) => ({
      masterDb,
      tracks: [{ stem: 'bass', gainDb: -20, regions: [{ duration: 60, gainDb }] }],
    })
    expect(used(bass(-10, 0))).toEqual(['bass'])
    expect(used(bass(-10, -10))).toEqual([])
    expect(used(bass(-27, 6))).toEqual([])
  })

  it('needs 8 s in a long remix: 7.9 s does not count, 8 s does', () => {
    const bass = (duration: number) => ({ stem: 'bass', regions: [{ duration }] })
    expect(used({ tracks: [drums, bass(7.9)] })).toEqual(['drums'])
    expect(used({ tracks: [drums, bass(8)] })).toEqual(['bass', 'drums'])
    // Loops and regions add up; a region past the end counts only up to it.
    const looped = { stem: 'bass', regions: [{ duration: 2, loops: 4 }] }
    expect(used({ tracks: [looped] })).toEqual(['bass'])
    const late = { stem: 'bass', regions: [{ start: 115, duration: 20 }] }
    expect(useSecondsFor(120)).toBe(8)
    expect(used({ tracks: [late] })).toEqual([])
  })

  it('needs only 10 % of a short remix', () => {
    expect(useSecondsFor(30)).toBe(3)
    const bass = (duration: number) => ({ stem: 'bass', regions: [{ duration }] })
    expect(used({ length: 30, tracks: [bass(2.9)] })).toEqual([])
    expect(used({ length: 30, tracks: [bass(3)] })).toEqual(['bass'])
  })

  it('counts fades down to where they meet the floor', () => {
    // At 0 dB a linear fade is under -40 dB for its first hundredth: 4 s of fades lose 0.04 s.
    const faded = recipeOf({
      tracks: [{ stem: 'bass', regions: [{ duration: 10, fadeIn: 2, fadeOut: 2 }] }],
    })
    expect(presenceFrom(faded, STEMS).get('bass')).toBeCloseTo(9.96, 9)
    // 8 s with a fade is just under 8 s heard; at -34 dB half of each fade is under the floor.
    const bass = (gainDb: number, fadeIn: number) => ({
      stem: 'bass',
      gainDb,
      regions: [{ duration: 9, fadeIn, fadeOut: fadeIn }],
    })
    expect(used({ tracks: [bass(0, 0)] })).toEqual(['bass'])
    expect(used({ tracks: [bass(-34, 0)] })).toEqual(['bass'])
    expect(used({ tracks: [bass(0, 4.5)] })).toEqual(['bass'])
    expect(used({ tracks: [bass(-34, 1.5)] })).toEqual([])
    expect(
      presenceFrom(recipeOf({ tracks: [bass(-34, 1.5)] }), STEMS).get('bass')! -
        (9 - 3 * 10 ** (-6 / 20)),
    ).toBeCloseTo(0, 9)
  })

  it('follows mute and solo, and counts one stem on two tracks once', () => {
    const bass = { stem: 'bass', regions: [{ duration: 60 }] }
    expect(used({ tracks: [drums, { ...bass, muted: true }] })).toEqual(['drums'])
    expect(used({ tracks: [drums, { ...bass, soloed: true }] })).toEqual(['bass'])
    expect(used({ tracks: [drums, { ...bass, muted: true, soloed: true }] })).toEqual([])
    const half = (start: number) => ({ stem: 'bass', regions: [{ start, duration: 5 }] })
    expect(presenceFrom(recipeOf({ tracks: [half(0), half(2)] }), STEMS).get('bass')).toBe(7)
    expect(used({ tracks: [half(0), half(2)] })).toEqual([])
    expect(used({ tracks: [half(0), half(3)] })).toEqual(['bass'])
  })

  it('counts a generated part for the stems it derives from, as the credits do', () => {
    const part = (p: object) => ({
      sourceStems: ['lead', 'kazoo'],
      notes: [{ time: 0, duration: 16, midi: 60, velocity: 1 }], // 8 s
      ...p,
    })
    expect(used({ tracks: [drums], parts: [part({})] })).toEqual(['drums', 'lead'])
    expect(used({ tracks: [drums], parts: [part({ muted: true })] })).toEqual(['drums'])
    expect(used({ tracks: [drums], parts: [part({ gainDb: -45 })] })).toEqual(['drums'])
    const short = [{ time: 0, duration: 15.8, midi: 60, velocity: 1 }]
    expect(used({ tracks: [drums], parts: [part({ notes: short })] })).toEqual(['drums'])
    const soloed = [{ ...drums, soloed: true }]
    expect(used({ tracks: soloed, parts: [part({})] })).toEqual(['drums'])
  })
})

const regionArb = fc
  .record({
    start: fc.double({ min: 0, max: 40, noNaN: true }),
    duration: fc.double({ min: 1e-6, max: 20, noNaN: true }),
    loops: fc.integer({ min: 1, max: 6 }),
    gainDb: fc.double({ min: -60, max: 6, noNaN: true }),
    fadeIn: fc.double({ min: 0, max: 0.5, noNaN: true }),
    fadeOut: fc.double({ min: 0, max: 0.5, noNaN: true }),
  })
  .map((r) => ({ ...r, fadeIn: r.fadeIn * r.duration, fadeOut: r.fadeOut * r.duration }))

const inputArb = fc.record({
  length: fc.double({ min: 1, max: 60, noNaN: true }),
  masterDb: fc.double({ min: -30, max: 6, noNaN: true }),
  tracks: fc.array(
    fc.record({
      stem: fc.constantFrom('drums', 'bass', 'lead'),
      gainDb: fc.double({ min: -60, max: 6, noNaN: true }),
      muted: fc.boolean(),
      soloed: fc.boolean(),
      regions: fc.array(regionArb, { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
})

type Change = (r: Recipe, track: number, region: number, by: number) => void
const CHANGES: Record<string, Change> = {
  'raise the track': (r, t, _, by) =>
    (r.tracks[t]!.gainDb = Math.min(12, r.tracks[t]!.gainDb + by)),
  'raise the region': (r, t, g, by) => {
    const region = r.tracks[t]!.regions[g]!
    region.gainDb = Math.min(12, region.gainDb + by)
  },
  'raise the master': (r, _, __, by) => (r.master.gainDb = Math.min(12, r.master.gainDb + by)),
  'loop once more': (r, t, g) => (r.tracks[t]!.regions[g]!.loops += 1),
  'lengthen a one-pass region': (r, t, g, by) => {
    const region = r.tracks[t]!.regions[g]!
    if (region.loops === 1) region.duration += by
  },
  'shorten its fades': (r, t, g, by) => {
    const region = r.tracks[t]!.regions[g]!
    region.fadeIn = Math.max(0, region.fadeIn - by)
    region.fadeOut = Math.max(0, region.fadeOut - by)
  },
}

describe('usedStemsFrom: properties', () => {
  it('is monotone: raising a gain or lengthening what plays never removes a stem', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom(...Object.keys(CHANGES)),
        fc.nat(),
        fc.nat(),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (input, change, t, g, by) => {
          const before = recipeOf(input)
          const after = structuredClone(before)
          const ti = t % after.tracks.length
          CHANGES[change]!(after, ti, g % after.tracks[ti]!.regions.length, by)
          const was = usedStemsFrom(before, STEMS)
          const now = usedStemsFrom(RecipeSchema.parse(after), STEMS)
          for (const stem of was) expect(now.has(stem), `${change} removed ${stem}`).toBe(true)
          for (const [stem, s] of presenceFrom(before, STEMS))
            expect(presenceFrom(after, STEMS).get(stem)).toBeGreaterThanOrEqual(s - 1e-9)
        },
      ),
      { numRuns: 500 },
    )
  })
})
