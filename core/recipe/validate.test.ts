import { describe, expect, it } from 'vitest'
import { RecipeSchema, type Recipe } from './schema.ts'
import { checkRecipeForCampaign } from './validate.ts'

const campaign = {
  slug: 'copper-moons',
  stems: [
    { id: 'copper-moons-drums', lengthSeconds: 10 },
    { id: 'copper-moons-bass', lengthSeconds: 8 },
  ],
}

type RegionInput = { id: string; start: number; offset: number; duration: number; rate?: number }

function recipeWith(
  tracks: { stem: string; regions?: RegionInput[] }[],
  slug = 'copper-moons',
): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: slug,
    tempo: 100,
    timeSignature: [4, 4],
    length: 60,
    tracks: tracks.map((t, i) => ({ id: `t${i}`, ...t })),
  })
}

describe('checkRecipeForCampaign', () => {
  it('accepts a recipe whose regions stay inside their stems', () => {
    const recipe = recipeWith([
      { stem: 'copper-moons-drums', regions: [{ id: 'a', start: 0, offset: 2, duration: 8 }] },
      {
        stem: 'copper-moons-bass',
        regions: [{ id: 'b', start: 4, offset: 0, duration: 2, rate: 4 }],
      },
    ])
    expect(checkRecipeForCampaign(recipe, campaign)).toEqual([])
  })

  it('accepts a region that ends on the last sample, give or take rounding', () => {
    const recipe = recipeWith([
      {
        stem: 'copper-moons-drums',
        regions: [{ id: 'a', start: 0, offset: 9.9995, duration: 0.001 }],
      },
    ])
    expect(checkRecipeForCampaign(recipe, campaign)).toEqual([])
  })

  it('refuses a recipe made for another campaign', () => {
    expect(checkRecipeForCampaign(recipeWith([], 'other'), campaign)).toEqual([
      { path: ['campaign'], message: 'this recipe is for campaign other, not copper-moons' },
    ])
  })

  it('names a stem that is not part of the campaign, and skips its regions', () => {
    const recipe = recipeWith([
      { stem: 'copper-moons-drums' },
      { stem: 'elsewhere-vox', regions: [{ id: 'a', start: 0, offset: 50, duration: 50 }] },
    ])
    expect(checkRecipeForCampaign(recipe, campaign)).toEqual([
      { path: ['tracks', 1, 'stem'], message: 'stem elsewhere-vox is not part of this campaign' },
    ])
  })

  it('refuses a region that reads past the end of its stem, counting the rate', () => {
    const recipe = recipeWith([
      {
        stem: 'copper-moons-drums',
        regions: [
          { id: 'fits', start: 0, offset: 0, duration: 5, rate: 2 },
          { id: 'r', start: 0, offset: 8.3, duration: 2, rate: 2 },
        ],
      },
    ])
    expect(checkRecipeForCampaign(recipe, campaign)).toEqual([
      {
        path: ['tracks', 0, 'regions', 1],
        message: 'region r ends at 12.3 s of the stem, which is 10 s long',
      },
    ])
  })

  it('lets loops repeat the same slice without reading further', () => {
    const recipe = recipeWith([
      { stem: 'copper-moons-bass', regions: [{ id: 'a', start: 0, offset: 0, duration: 8 }] },
    ])
    recipe.tracks[0]!.regions[0]!.loops = 10
    expect(checkRecipeForCampaign(recipe, campaign)).toEqual([])
  })

  it('reports every issue at once', () => {
    const recipe = recipeWith(
      [
        { stem: 'nope' },
        { stem: 'copper-moons-bass', regions: [{ id: 'a', start: 0, offset: 7, duration: 2 }] },
      ],
      'other',
    )
    expect(checkRecipeForCampaign(recipe, campaign).map((i) => i.path)).toEqual([
      ['campaign'],
      ['tracks', 0, 'stem'],
      ['tracks', 1, 'regions', 0],
    ])
  })
})
