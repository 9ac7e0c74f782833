import { describe, expect, it } from 'vitest'
import { mixEnvelope, powerFrames } from './envelope.ts'
import { RecipeSchema } from './schema.ts'

const rounded = (xs: ArrayLike<number>) => Array.from(xs, (x) => Math.round(x * 1e4) / 1e4)

describe('mixEnvelope', () => {
  // A stem whose power is 1 in its first second and 0.25 in its second (amplitude 1, then 0.5).
  const stem = new Float32Array(200).map((_, i) => (i < 100 ? 1 : 0.5))
  const power = new Map([['s', powerFrames([stem], 100, 0.5)]])
  const recipeWith = (region: Record<string, unknown>, gainDb = 0) =>
    RecipeSchema.parse({
      version: 2,
      campaign: 'c',
      tempo: 120,
      timeSignature: [4, 4],
      length: 4,
      tracks: [{ id: 't', stem: 's', gainDb, regions: [{ id: 'r', offset: 0, ...region }] }],
    })

  it('measures the stem in frames', () => {
    expect(rounded(power.get('s')!)).toEqual([1, 1, 0.25, 0.25])
  })

  it('plays the source the region reads, where it sits, with its gain', () => {
    const env = mixEnvelope(recipeWith({ start: 1, offset: 1, duration: 1 }, -6), power, 0.5)
    const g = 10 ** (-6 / 10)
    expect(rounded(env)).toEqual(rounded([0, 0, 0.25 * g, 0.25 * g, 0, 0, 0, 0]))
  })

  it('follows loops, rate and a linear fade-in', () => {
    const env = mixEnvelope(
      recipeWith({ start: 0, duration: 1, loops: 2, rate: 2, fadeIn: 0.5 }),
      power,
      0.5,
    )
    // each pass reads source 0 s then 1 s (rate 2); the fade is at 0 at the start of each pass
    expect(rounded(env)).toEqual([0, 0.25, 0, 0.25, 0, 0, 0, 0])
  })
})
