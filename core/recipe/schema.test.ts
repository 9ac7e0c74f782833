import { describe, expect, it } from 'vitest'
import { RecipeSchema } from './schema.ts'

const minimal = {
  version: 2,
  campaign: 'demo',
  tempo: 100,
  timeSignature: [4, 4],
  length: 10,
  tracks: [{ id: 't1', stem: 'drums' }],
}

describe('RecipeSchema', () => {
  it('fills defaults without sharing objects between parses', () => {
    const a = RecipeSchema.parse(minimal)
    const b = RecipeSchema.parse(minimal)
    expect(a.master).toEqual({ gainDb: 0, effects: [], limiter: { enabled: true, ceilingDb: -1 } })
    expect(a.master).not.toBe(b.master)
    expect(a.master.effects).not.toBe(b.master.effects)
    expect(a.tracks[0]!.regions).not.toBe(b.tracks[0]!.regions)
  })

  it('rejects duplicate ids, fades longer than the region and out-of-range values, with paths', () => {
    const bad = {
      ...minimal,
      tracks: [
        {
          id: 't1',
          stem: 'drums',
          gainDb: 40,
          regions: [{ id: 'r1', start: 0, offset: 0, duration: 1, fadeIn: 1, fadeOut: 1 }],
        },
        { id: 't1', stem: 'bass', regions: [{ id: 'r2', start: -1, offset: 0, duration: 1 }] },
      ],
    }
    const result = RecipeSchema.safeParse(bad)
    expect(result.success).toBe(false)
    const paths = result.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(
      expect.arrayContaining([
        'tracks.0.gainDb',
        'tracks.0.regions.0.fadeOut',
        'tracks.1.regions.0.start',
      ]),
    )
  })
})
