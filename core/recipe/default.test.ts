import { describe, expect, it } from 'vitest'
import { defaultRecipeFrom, stemSecondsFrom, type CampaignForRecipe } from './default.ts'
import { RecipeSchema, regionSourceSpan } from './schema.ts'

const stem = (id: string, seconds: number) => ({
  id,
  lengthSamples: seconds * 44_100,
  sampleRate: 44_100,
})

const campaign: CampaignForRecipe = {
  slug: 'copper-moons',
  tempo: 100,
  timeSignature: [4, 4],
  stems: [stem('drums', 48), stem('bass', 48), stem('pads', 60), stem('lead', 30), stem('vox', 24)],
}

describe('stemSecondsFrom', () => {
  it('divides samples by the sample rate', () => {
    expect(stemSecondsFrom(campaign)).toEqual({ drums: 48, bass: 48, pads: 60, lead: 30, vox: 24 })
    const odd = { ...campaign, stems: [{ id: 'x', lengthSamples: 1_000_000, sampleRate: 48_000 }] }
    expect(stemSecondsFrom(odd).x).toBeCloseTo(20.8333, 4)
  })
})

describe('defaultRecipeFrom', () => {
  it('puts each stem whole on its own track', () => {
    const recipe = defaultRecipeFrom(campaign)
    expect(RecipeSchema.parse(recipe)).toEqual(recipe)
    expect(recipe.tracks.map((t) => [t.id, t.stem])).toEqual([
      ['t-drums', 'drums'],
      ['t-bass', 'bass'],
      ['t-pads', 'pads'],
      ['t-lead', 'lead'],
      ['t-vox', 'vox'],
    ])
    expect(recipe.tracks[3]).toEqual({
      id: 't-lead',
      stem: 'lead',
      gainDb: 0,
      pan: 0,
      muted: false,
      soloed: false,
      effects: [],
      regions: [
        {
          id: 'r-lead',
          start: 0,
          offset: 0,
          duration: 30,
          loops: 1,
          fadeIn: 0,
          fadeOut: 0,
          gainDb: 0,
          rate: 1,
          pitch: 0,
        },
      ],
    })
    const seconds = stemSecondsFrom(campaign)
    for (const track of recipe.tracks) {
      expect(track.regions).toHaveLength(1)
      expect(regionSourceSpan(track.regions[0]!)).toBe(seconds[track.stem])
    }
  })

  it('copies campaign, tempo and metre; lasts as long as the longest stem', () => {
    const recipe = defaultRecipeFrom(campaign)
    expect(recipe).toMatchObject({
      version: 2,
      campaign: 'copper-moons',
      tempo: 100,
      timeSignature: [4, 4],
      length: 60,
      master: { gainDb: 0, effects: [], limiter: { enabled: true, ceilingDb: -1 } },
      aiActions: [],
    })
  })

  it('does not share the campaign time signature array', () => {
    const recipe = defaultRecipeFrom(campaign)
    expect(recipe.timeSignature).not.toBe(campaign.timeSignature)
  })
})
