import { describe, expect, test } from 'vitest'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import type { StemBuffers } from '../../web/audio/graph.ts'
import { renderRecipe } from '../../web/audio/render.ts'
import { RATE, rmsOf, sine, toneAmplitude } from './signals.ts'

// A quiet 100 Hz stem for 2 s, and an A4 (440 Hz) generated part on beats 2..4 at 120 BPM (1..2 s).
const stems: StemBuffers = new Map([['a', sine(100, 0.1, 2)]])

const recipeWith = (part: Record<string, unknown>, track: Record<string, unknown> = {}) =>
  RecipeSchema.parse({
    version: 2,
    campaign: 'test',
    tempo: 120,
    timeSignature: [4, 4],
    length: 2,
    tracks: [
      { id: 't', stem: 'a', regions: [{ id: 'r', start: 0, offset: 0, duration: 2 }], ...track },
    ],
    aiActions: [
      {
        id: 'ai-1',
        tool: 'stemfair/generate-part',
        version: '1',
        provider: 'local',
        parameters: { seed: 1 },
        appliedAt: '2026-06-01T12:00:00Z',
      },
    ],
    generatedParts: [
      {
        id: 'g',
        kind: 'counterMelody',
        instrument: 'lead',
        notes: [{ time: 2, duration: 1.8, midi: 69, velocity: 0.9 }],
        gainDb: 0,
        sourceStems: ['a'],
        aiAction: 'ai-1',
        ...part,
      },
    ],
  })

const render = async (part: Record<string, unknown>, track?: Record<string, unknown>) =>
  (await renderRecipe(recipeWith(part, track), stems, { sampleRate: RATE })).getChannelData(0)

describe('generated parts in the offline render', () => {
  test.each(['pluck', 'pad', 'bell', 'lead', 'bass'])(
    'the %s part is heard at its note, when the notes say, and not before',
    async (instrument) => {
      const out = await render({ instrument })
      const before = [Math.round(0.1 * RATE), Math.round(0.9 * RATE)] as const
      const during = [Math.round(1.05 * RATE), Math.round(1.5 * RATE)] as const
      expect(toneAmplitude(out, 440, RATE, ...during)).toBeGreaterThan(0.01)
      expect(toneAmplitude(out, 440, RATE, ...before)).toBeLessThan(0.001)
      expect(rmsOf(out, ...during)).toBeGreaterThan(rmsOf(out, ...before) * 1.2)
    },
  )

  test('a muted part, or one under a soloed track, is silent', async () => {
    const during = [Math.round(1.05 * RATE), Math.round(1.5 * RATE)] as const
    for (const out of [await render({ muted: true }), await render({}, { soloed: true })])
      expect(toneAmplitude(out, 440, RATE, ...during)).toBeLessThan(0.001)
  })
})
