import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { DomainError } from '../errors.ts'
import { defaultRecipeFrom } from './default.ts'
import { applyEdit } from './edits.ts'
import { RecipeV1Schema, recipeFrom } from './migrate.ts'
import { RecipeSchema } from './schema.ts'

const v1 = {
  version: 1,
  campaign: 'copper-moons',
  tempo: 100,
  tracks: [
    {
      stem: 'drums',
      gain: 1,
      muted: false,
      regions: [
        { start: 0, offset: 0, duration: 8 },
        { start: 8, offset: 0, duration: 8 },
      ],
    },
    { stem: 'bass', gain: 0.5, muted: true, regions: [{ start: 4, offset: 2, duration: 10 }] },
    { stem: 'vox', gain: 0, muted: false, regions: [] },
    { stem: 'pads', gain: 4, muted: false, regions: [] },
  ],
}

const region = (id: string, start: number, offset: number, duration: number) => ({
  id,
  start,
  offset,
  duration,
  loops: 1,
  fadeIn: 0,
  fadeOut: 0,
  gainDb: 0,
  rate: 1,
  pitch: 0,
})

describe('recipeFrom a version 1 recipe', () => {
  it('accepts the draft format', () => {
    expect(RecipeV1Schema.parse(v1)).toEqual(v1)
  })

  it('migrates ids, gains in dB, metre and length', () => {
    const recipe = recipeFrom(v1)
    expect(RecipeSchema.parse(recipe)).toEqual(recipe)
    expect(recipe).toMatchObject({
      version: 2,
      campaign: 'copper-moons',
      tempo: 100,
      timeSignature: [4, 4],
      length: 16,
      master: { gainDb: 0, effects: [], limiter: { enabled: true, ceilingDb: -1 } },
      aiActions: [],
    })
    expect(recipe.tracks.map((t) => [t.id, t.stem, t.muted])).toEqual([
      ['t1', 'drums', false],
      ['t2', 'bass', true],
      ['t3', 'vox', false],
      ['t4', 'pads', false],
    ])
    const [drums, bass, vox, pads] = recipe.tracks
    expect(drums!.gainDb).toBe(0)
    expect(bass!.gainDb).toBeCloseTo(-6.0206, 4)
    expect(vox!.gainDb).toBe(-60)
    expect(pads!.gainDb).toBe(12) // 20·log10(4) is 12.04 dB, above the recipe's ceiling
    expect(drums!.regions).toEqual([region('r1-1', 0, 0, 8), region('r1-2', 8, 0, 8)])
    expect(bass!.regions).toEqual([region('r2-1', 4, 2, 10)])
    expect(drums).toMatchObject({ pan: 0, soloed: false, effects: [] })
  })

  it('lasts at least a second', () => {
    const empty = { ...v1, tracks: [{ stem: 'drums', gain: 1, muted: false, regions: [] }] }
    expect(recipeFrom(empty).length).toBe(1)
    const short = {
      ...v1,
      tracks: [{ ...empty.tracks[0]!, regions: [{ start: 0, offset: 0, duration: 0.5 }] }],
    }
    expect(recipeFrom(short).length).toBe(1)
  })

  it('makes a recipe the editor can work on', () => {
    const recipe = recipeFrom(v1)
    const ctx = { stemSeconds: { drums: 48, bass: 48, vox: 24, pads: 60 } }
    const edit = { type: 'moveRegion', trackId: 't1', regionId: 'r1-2', start: 10 } as const
    expect(applyEdit(recipe, edit, ctx).tracks[0]!.regions[1]!.start).toBe(10)
  })

  it('rejects a broken version 1 recipe with the ZodError', () => {
    expect(() => recipeFrom({ ...v1, tracks: [{ ...v1.tracks[0], gain: 5 }] })).toThrow(ZodError)
    expect(() => recipeFrom({ ...v1, tracks: 'none' })).toThrow(ZodError)
    expect(() => recipeFrom({ ...v1, tempo: 5 })).toThrow(ZodError)
  })
})

describe('recipeFrom a version 2 recipe', () => {
  const campaign = {
    slug: 'copper-moons',
    tempo: 90,
    timeSignature: [6, 8] as [number, number],
    stems: [{ id: 'drums', lengthSamples: 441_000, sampleRate: 44_100 }],
  }

  it('round-trips through JSON', () => {
    const recipe = defaultRecipeFrom(campaign)
    expect(recipeFrom(JSON.parse(JSON.stringify(recipe)))).toEqual(recipe)
  })

  it('fills in defaults', () => {
    const minimal = {
      version: 2,
      campaign: 'copper-moons',
      tempo: 90,
      timeSignature: [6, 8],
      length: 10,
      tracks: [
        { id: 't1', stem: 'drums', regions: [{ id: 'r1', start: 0, offset: 0, duration: 2 }] },
      ],
    }
    const recipe = recipeFrom(minimal)
    expect(recipe.master.limiter).toEqual({ enabled: true, ceilingDb: -1 })
    expect(recipe.tracks[0]!.regions[0]).toEqual(region('r1', 0, 0, 2))
  })
})

describe('recipeFrom anything else', () => {
  it('refuses a recipe from a newer Stemfair with a DomainError', () => {
    const newer = {
      ...defaultRecipeFrom({ slug: 'x', tempo: 100, timeSignature: [4, 4], stems: [] }),
      version: 3,
    }
    expect(() => recipeFrom(newer)).toThrow(DomainError)
    try {
      recipeFrom(newer)
    } catch (error) {
      expect(error).toMatchObject({ code: 'bad_request' })
      expect((error as Error).message).toMatch(
        /^This remix was saved by a newer version of Stemfair/,
      )
    }
  })

  it('rejects garbage with the ZodError', () => {
    for (const raw of [null, undefined, 'recipe', 42, [], {}, { version: 0 }, { version: '2' }]) {
      expect(() => recipeFrom(raw)).toThrow(ZodError)
    }
    expect(() => recipeFrom({ version: 2, campaign: 'x', tempo: 100 })).toThrow(ZodError)
  })
})
