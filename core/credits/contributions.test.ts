import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../errors.ts'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { apportion, contributionsFrom, passWeight } from './contributions.ts'

const STEMS = ['drums', 'bass', 'pads', 'lead', 'vox'].map((id) => ({ id }))

type TrackInput = {
  stem: string
  gainDb?: number
  muted?: boolean
  soloed?: boolean
  regions: Record<string, number>[]
}

function recipeOf(tracks: TrackInput[], length = 10, masterDb = 0): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 100,
    timeSignature: [4, 4],
    length,
    master: { gainDb: masterDb },
    tracks: tracks.map((t, i) => ({
      ...t,
      id: `t${i}`,
      regions: t.regions.map((r, j) => ({ id: `t${i}r${j}`, start: 0, offset: 0, ...r })),
    })),
  })
}

describe('contributionsFrom: worked examples', () => {
  it('gives two equal stems 5000 each', () => {
    const recipe = recipeOf([
      { stem: 'drums', regions: [{ duration: 4 }] },
      { stem: 'bass', regions: [{ duration: 4 }] },
    ])
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 5000, bass: 5000 })
  })

  it('halves the weight of a stem 6 dB down (20·log10 2 ≈ 6.02 dB exactly halves)', () => {
    const half = 20 * Math.log10(0.5)
    const recipe = recipeOf([
      { stem: 'drums', regions: [{ duration: 4 }] },
      { stem: 'bass', gainDb: half, regions: [{ duration: 4 }] },
    ])
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 6667, bass: 3333 })
    const sixDb = contributionsFrom(
      recipeOf([
        { stem: 'drums', regions: [{ duration: 4 }] },
        { stem: 'bass', regions: [{ duration: 4, gainDb: -6 }] },
      ]),
      STEMS,
    )
    expect(sixDb.bass).toBe(3339) // 10^(-6/20) = 0.5012
  })

  it('counts a muted track and unsoloed tracks as nothing', () => {
    const muted = recipeOf([
      { stem: 'drums', regions: [{ duration: 4 }] },
      { stem: 'bass', muted: true, regions: [{ duration: 4 }] },
    ])
    expect(contributionsFrom(muted, STEMS)).toEqual({ drums: 10_000 })
    const solo = recipeOf([
      { stem: 'drums', regions: [{ duration: 4 }] },
      { stem: 'bass', soloed: true, regions: [{ duration: 1 }] },
    ])
    expect(contributionsFrom(solo, STEMS)).toEqual({ bass: 10_000 })
  })

  it('counts a region past the length only up to the length, loops included', () => {
    const recipe = recipeOf(
      [
        { stem: 'drums', regions: [{ duration: 2 }] },
        { stem: 'bass', regions: [{ start: 1, duration: 1, loops: 8 }] }, // 1..9, cut at 3
      ],
      3,
    )
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 5000, bass: 5000 })
  })

  it('weighs a linear fade of f seconds as f/2', () => {
    expect(passWeight({ duration: 4, fadeIn: 2, fadeOut: 0 }, 4)).toBe(3)
    expect(passWeight({ duration: 4, fadeIn: 1, fadeOut: 3 }, 4)).toBe(2)
    expect(passWeight({ duration: 4, fadeIn: 0, fadeOut: 2 }, 3)).toBe(2.75)
    const recipe = recipeOf([
      { stem: 'drums', regions: [{ duration: 4, fadeIn: 2, fadeOut: 2 }] }, // 2
      { stem: 'bass', regions: [{ duration: 2 }] }, // 2
    ])
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 5000, bass: 5000 })
  })

  it('ignores stems outside the campaign and sums a stem over its tracks', () => {
    const recipe = recipeOf([
      { stem: 'drums', regions: [{ duration: 1 }] },
      { stem: 'drums', regions: [{ duration: 1 }] },
      { stem: 'bass', regions: [{ duration: 1 }] },
      { stem: 'elsewhere', regions: [{ duration: 9 }] },
    ])
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 6667, bass: 3333 })
  })

  it('breaks rounding ties by stem id', () => {
    const recipe = recipeOf(
      ['vox', 'bass', 'drums'].map((stem) => ({ stem, regions: [{ duration: 1 }] })),
    )
    expect(contributionsFrom(recipe, STEMS)).toEqual({ bass: 3334, drums: 3333, vox: 3333 })
  })

  it('credits only stems the remix uses: heard above -40 dB for min(8 s, 10 %)', () => {
    // 120 s: drums throughout; bass for a microsecond, pads at -59.99 dB, lead for 7.9 s.
    const recipe = recipeOf(
      [
        { stem: 'drums', regions: [{ duration: 120 }] },
        { stem: 'bass', regions: [{ duration: 1e-6 }] },
        { stem: 'pads', gainDb: -59.99, regions: [{ duration: 120 }] },
        { stem: 'lead', regions: [{ duration: 7.9 }] },
        { stem: 'vox', regions: [{ duration: 8 }] },
      ],
      120,
    )
    expect(contributionsFrom(recipe, STEMS)).toEqual({ drums: 9375, vox: 625 })
    // A remix that uses no stem, which a licence without a minimum allows, credits what is heard.
    const sparse = recipeOf(
      [
        { stem: 'drums', regions: [{ duration: 3 }] },
        { stem: 'bass', regions: [{ duration: 1 }] },
      ],
      120,
    )
    expect(contributionsFrom(sparse, STEMS)).toEqual({ drums: 7500, bass: 2500 })
  })

  it('throws bad_request when nothing is heard', () => {
    const cases = [
      recipeOf([{ stem: 'drums', muted: true, regions: [{ duration: 1 }] }]),
      recipeOf([{ stem: 'drums', regions: [{ start: 5, duration: 1 }] }], 5),
      recipeOf([{ stem: 'drums', gainDb: -60, regions: [{ duration: 1 }] }]),
      recipeOf([{ stem: 'drums', regions: [] }]),
    ]
    for (const recipe of cases) {
      expect(() => contributionsFrom(recipe, STEMS)).toThrow(DomainError)
      try {
        contributionsFrom(recipe, STEMS)
      } catch (err) {
        expect((err as DomainError).code).toBe('bad_request')
      }
    }
  })
})

describe('apportion', () => {
  it('gives every unit away and nothing to a zero weight', () => {
    expect(
      Object.fromEntries(
        apportion(
          new Map([
            ['a', 1],
            ['b', 0],
            ['c', 2],
          ]),
          10,
        ),
      ),
    ).toEqual({
      a: 3,
      b: 0,
      c: 7,
    })
  })
})

const region = fc
  .record({
    start: fc.double({ min: 0, max: 30, noNaN: true }),
    duration: fc.double({ min: 0.01, max: 20, noNaN: true }),
    loops: fc.integer({ min: 1, max: 8 }),
    gainDb: fc.double({ min: -60, max: 12, noNaN: true }),
    fadeIn: fc.double({ min: 0, max: 0.5, noNaN: true }),
    fadeOut: fc.double({ min: 0, max: 0.5, noNaN: true }),
  })
  .map((r) => ({ ...r, fadeIn: r.fadeIn * r.duration, fadeOut: r.fadeOut * r.duration }))

const track = fc.record({
  stem: fc.constantFrom(...STEMS.map((s) => s.id)),
  gainDb: fc.double({ min: -60, max: 12, noNaN: true }),
  muted: fc.boolean(),
  soloed: fc.boolean(),
  regions: fc.array(region, { maxLength: 4 }),
})

const recipes = fc
  .record({
    tracks: fc.array(track, { minLength: 1, maxLength: 8 }),
    length: fc.double({ min: 0.5, max: 40, noNaN: true }),
    masterDb: fc.double({ min: -12, max: 12, noNaN: true }),
  })
  .map(({ tracks, length, masterDb }) => {
    // Make sure something is heard: the first track plays, unmuted, from the start at unity.
    const first = { ...tracks[0]!, muted: false, soloed: true, gainDb: 0 }
    first.regions = [{ start: 0, duration: 1, loops: 1, gainDb: 0, fadeIn: 0, fadeOut: 0 }]
    return recipeOf([first, ...tracks.slice(1)], length, masterDb)
  })

describe('contributionsFrom: properties', () => {
  it('always sums to 10 000 in non-negative integers over heard campaign stems', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        const bps = contributionsFrom(recipe, STEMS)
        const values = Object.values(bps)
        expect(values.reduce((a, b) => a + b, 0)).toBe(10_000)
        for (const v of values) expect(Number.isInteger(v) && v >= 0).toBe(true)
        for (const stem of Object.keys(bps)) expect(STEMS.map((s) => s.id)).toContain(stem)
      }),
      { numRuns: 500 },
    )
  })

  it('is deterministic', () => {
    fc.assert(
      fc.property(recipes, (recipe) => {
        expect(contributionsFrom(JSON.parse(JSON.stringify(recipe)) as Recipe, STEMS)).toEqual(
          contributionsFrom(recipe, STEMS),
        )
      }),
      { numRuns: 200 },
    )
  })
})
