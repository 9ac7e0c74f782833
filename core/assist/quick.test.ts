import { describe, expect, it } from 'vitest'
import { DomainError } from '../errors.ts'
import { licencePresets } from '../licence/presets.ts'
import { RecipeSchema } from '../recipe/schema.ts'
import { exportViolations } from './licence-fit.ts'
import { intentFrom, quickRemix, rateFrom } from './quick.ts'
import { testCampaign } from './testing/campaign.ts'

const AT = '2026-06-01T12:00:00Z'
const { campaign, stems, recipe } = testCampaign(5, 128)
const policy = licencePresets({})[1]!.policy
const quick = (mood: number, tempo: number, seed = 3) =>
  quickRemix({ recipe, stems, campaign, policy, mood, tempo, seed, at: AT })

describe('quickRemix', () => {
  it('maps the sliders: chill is ambient, high energy is club, very slow is half-time', () => {
    expect(intentFrom(0, 0.5)).toBe('ambient')
    expect(intentFrom(0.3, 0.5)).toBe('strippedBack')
    expect(intentFrom(0.6, 0.5)).toBe('extended')
    expect(intentFrom(1, 0.5)).toBe('club')
    expect(intentFrom(0.3, 0)).toBe('halfTime')
    expect(rateFrom(0)).toBeLessThan(1)
    expect(rateFrom(0.5)).toBe(1)
    expect(rateFrom(1)).toBeGreaterThan(1)
  })

  it('makes one whole licensed recipe that records the quick-mode AI action', () => {
    const { recipe: made, proposal } = quick(0.9, 0.7)
    expect(RecipeSchema.parse(made)).toEqual(made)
    expect(exportViolations(policy, made, stems, AT)).toEqual([])
    expect(proposal.intent).toBe('club')
    expect(made.tempo).toBeGreaterThan(campaign.tempo)
    expect(made.aiActions.at(-1)).toMatchObject({
      tool: 'stemfair-assistant',
      provider: 'local',
      parameters: { mode: 'quick', mood: 0.9, tempo: 0.7, intent: 'club', seed: 3 },
      appliedAt: AT,
    })
  })

  it('keeps the key when it changes the tempo, within the licence’s ±2 semitones on the voice', () => {
    const { recipe: made } = quick(0.6, 1)
    for (const r of made.tracks.flatMap((t) => t.regions))
      expect(r.pitch).toBeCloseTo(-12 * Math.log2(r.rate), 5)
  })

  it('is deterministic by seed, and chill and high-energy remixes differ', () => {
    expect(quick(0.1, 0.5, 8)).toEqual(quick(0.1, 0.5, 8))
    const chill = quick(0.05, 0.5).recipe
    const loud = quick(0.95, 0.5).recipe
    expect(chill.tracks.length).toBeLessThan(loud.tracks.length)
  })

  it('refuses sliders out of range', () => {
    expect(() => quick(1.5, 0.5)).toThrow(DomainError)
    expect(() => quick(0.5, -0.1)).toThrow(DomainError)
  })
})
