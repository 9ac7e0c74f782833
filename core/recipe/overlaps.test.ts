import { describe, expect, it } from 'vitest'
import { overlapsIn } from './overlaps.ts'
import { RecipeSchema, type Recipe } from './schema.ts'

const recipeWith = (regions: Record<string, unknown>[]): Recipe =>
  RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 100,
    timeSignature: [4, 4],
    length: 30,
    tracks: [{ id: 't', stem: 's', regions }],
  })

describe('overlapsIn', () => {
  it('finds a loop that runs into the next region, where both play', () => {
    const recipe = recipeWith([
      { id: 'a', start: 0, offset: 0, duration: 2, loops: 3 },
      { id: 'b', start: 5, offset: 0, duration: 4 },
    ])
    expect(overlapsIn(recipe)).toEqual([{ trackId: 't', regionIds: ['a', 'b'], from: 5, to: 6 }])
  })

  it('finds a duplicate dropped on its original, whatever the order', () => {
    const recipe = recipeWith([
      { id: 'copy', start: 3, offset: 0, duration: 4 },
      { id: 'a', start: 1, offset: 0, duration: 4 },
    ])
    expect(overlapsIn(recipe)).toEqual([{ trackId: 't', regionIds: ['a', 'copy'], from: 3, to: 5 }])
  })

  it('says nothing of regions end to end, or closer than 5 ms', () => {
    const recipe = recipeWith([
      { id: 'a', start: 0, offset: 0, duration: 2, loops: 2 },
      { id: 'b', start: 4, offset: 0, duration: 2 },
      { id: 'c', start: 5.998, offset: 0, duration: 1 },
    ])
    expect(overlapsIn(recipe)).toEqual([])
  })
})
