import { describe, expect, test } from 'vitest'
import { RecipeRenderer, type StemSource } from './index.ts'
import { RATE, mono, recipeOf, render, sineOf } from './testing/signals.ts'

/** Renders with the stems' contributions too, in blocks of `block`: [mix, stems by id]. */
async function renderStems(
  recipe: Parameters<typeof render>[0],
  sources: Record<string, StemSource>,
  block = 1000,
) {
  const renderer = new RecipeRenderer(recipe, new Map(Object.entries(sources)), {
    sampleRate: RATE,
    blockFrames: block,
    stems: true,
  })
  const frames = renderer.frames
  const mix = [new Float32Array(frames), new Float32Array(frames)]
  const stems = renderer.stemIds.map(() => [new Float32Array(frames), new Float32Array(frames)])
  const out: [Float32Array, Float32Array] = [new Float32Array(block), new Float32Array(block)]
  const taps = renderer.stemIds.map(
    () => [new Float32Array(block), new Float32Array(block)] as const,
  )
  for (let n = await renderer.next(out, taps); n > 0; n = await renderer.next(out, taps)) {
    const at = renderer.rendered - n
    for (let ch = 0; ch < 2; ch++) {
      mix[ch]!.set(out[ch]!.subarray(0, n), at)
      taps.forEach((t, i) => stems[i]![ch]!.set(t[ch]!.subarray(0, n), at))
    }
  }
  return { mix, stems, ids: renderer.stemIds }
}

const tracks = [
  {
    id: 'a',
    stem: 'low',
    gainDb: -3,
    pan: -0.5,
    regions: [{ id: 'r1', start: 0, offset: 0, duration: 1 }],
  },
  {
    id: 'b',
    stem: 'high',
    pan: 0.4,
    regions: [{ id: 'r2', start: 0.2, offset: 0, duration: 0.6 }],
  },
  // a second track of the same stem adds to that stem's file
  { id: 'c', stem: 'low', regions: [{ id: 'r3', start: 0.5, offset: 0.1, duration: 0.3 }] },
  {
    id: 'd',
    stem: 'muted',
    muted: true,
    regions: [{ id: 'r4', start: 0, offset: 0, duration: 1 }],
  },
]
const sources = () => ({
  low: mono(sineOf(110, 0.4, RATE)),
  high: mono(sineOf(1760, 0.3, RATE)),
  muted: mono(sineOf(440, 0.5, RATE)),
})

describe('the stems of a mix', () => {
  test('one per audible stem; with the master transparent they add up to the mix', async () => {
    const recipe = recipeOf({ tracks, length: 1 })
    const { mix, stems, ids } = await renderStems(recipe, sources())
    expect(ids).toEqual(['low', 'high'])
    for (let ch = 0; ch < 2; ch++)
      for (let i = 0; i < mix[0]!.length; i++)
        expect(stems[0]![ch]![i]! + stems[1]![ch]![i]!).toBeCloseTo(mix[ch]![i]!, 6)
    // the high stem is silent before its region and after it
    expect(stems[1]![0]![Math.round(0.1 * RATE)]).toBe(0)
    expect(Math.max(...stems[1]![1]!.subarray(0.3 * RATE, 0.4 * RATE))).toBeGreaterThan(0.1)
  })

  test('are taken before the master: its gain and limiter change the mix, not the stems', async () => {
    const master = { gainDb: -12, limiter: { enabled: true, ceilingDb: -6 } }
    const plain = await renderStems(recipeOf({ tracks, length: 1 }), sources())
    const mastered = await renderStems(recipeOf({ tracks, length: 1, master }), sources(), 777)
    expect(mastered.stems).toEqual(plain.stems)
    expect(mastered.mix[0]).not.toEqual(plain.mix[0])
  })

  test('asking for stems leaves the mix bit for bit the same', async () => {
    const master = { gainDb: -2, limiter: { enabled: true, ceilingDb: -1 } }
    const recipe = recipeOf({ tracks, length: 1, master })
    const [left, right] = await render(recipe, sources(), 1000)
    const { mix } = await renderStems(recipe, sources())
    expect(mix[0]).toEqual(left)
    expect(mix[1]).toEqual(right)
  })
})
