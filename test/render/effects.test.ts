import { describe, expect, test } from 'vitest'
import type { Effect } from '../../core/recipe/schema.ts'
import type { StemBuffers } from '../../web/audio/graph.ts'
import { renderRecipe } from '../../web/audio/render.ts'
import { RATE, bufferOf, maxDifference, onsetsOf, recipeOf, sine } from './signals.ts'

// Half a second of 440 Hz, then silence, so that delay and reverb tails show.
const stems: StemBuffers = new Map([['a', sine(440, 0.5, 0.5)]])
const region = { id: 'r', start: 0, offset: 0, duration: 0.5 }

const renderWith = async (effects: unknown[], stem = 'a', buffers = stems, tempo = 120) => {
  const recipe = recipeOf({
    tempo,
    length: 1.5,
    tracks: [{ id: 't', stem, effects, regions: [region] }],
  })
  const out = await renderRecipe(recipe, buffers, { sampleRate: RATE })
  return out.getChannelData(0)
}

const EFFECTS: Record<Effect['type'], Record<string, unknown>> = {
  filter: { mode: 'lowpass', frequency: 200, q: 1 },
  eq3: { low: 0, mid: -12, high: 0 },
  compressor: { threshold: -30, ratio: 10, attack: 0.003, release: 0.1 },
  delay: { division: '1/8', feedback: 0.4, wet: 0.5 },
  reverb: { decay: 1, wet: 0.5 },
  distortion: { amount: 0.8, wet: 1 },
  pitchShift: { semitones: 7, wet: 1 },
}

describe('effects', () => {
  test.each(Object.keys(EFFECTS) as Effect['type'][])(
    '%s renders, changes the signal, and bypassed is identical to dry',
    async (type) => {
      const effect = { id: 'fx', type, ...EFFECTS[type] }
      const dry = await renderWith([])
      const wet = await renderWith([effect])
      const bypassed = await renderWith([{ ...effect, bypass: true }])
      expect(wet.every(Number.isFinite)).toBe(true)
      expect(maxDifference(wet, dry)).toBeGreaterThan(0.02)
      expect(maxDifference(bypassed, dry)).toBe(0)
    },
  )

  test('a chain runs in order on the master too', async () => {
    const effects = [
      { id: 'f', type: 'filter', mode: 'highpass', frequency: 2000, q: 0.7 },
      { id: 'e', type: 'eq3', low: 0, mid: 0, high: -24 },
    ]
    const recipe = recipeOf({
      length: 1.5,
      master: { effects },
      tracks: [{ id: 't', stem: 'a', regions: [region] }],
    })
    const out = (await renderRecipe(recipe, stems, { sampleRate: RATE })).getChannelData(0)
    const dry = await renderWith([])
    expect(maxDifference(out, dry)).toBeGreaterThan(0.1)
  })

  test('the delay follows the tempo: 1/4d at 100 BPM echoes after 0.9 s', async () => {
    const click = new Map([['c', bufferOf(0.5, (t) => (t < 0.005 ? 0.5 : 0))]])
    const delay = { id: 'd', type: 'delay', division: '1/4d', feedback: 0, wet: 0.5 }
    const out = await renderWith([delay], 'c', click, 100)
    const onsets = onsetsOf(out)
    expect(onsets.length).toBe(2)
    expect(Math.abs(onsets[1]! - onsets[0]! - 0.9 * RATE)).toBeLessThanOrEqual(RATE / 1000)
  })
})
