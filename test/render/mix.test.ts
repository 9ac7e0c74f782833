import { describe, expect, test } from 'vitest'
import { renderRecipe } from '../../web/audio/render.ts'
import type { StemBuffers } from '../../web/audio/graph.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import {
  RATE,
  bufferOf,
  dbOf,
  dc,
  maxDifference,
  onsetsOf,
  peakOf,
  recipeOf,
  rmsOf,
  sine,
  toneAmplitude,
  wholeRegion,
} from './signals.ts'

const render = (recipe: Recipe, buffers: StemBuffers) =>
  renderRecipe(recipe, buffers, { sampleRate: RATE })

const stems: StemBuffers = new Map([
  ['a440', sine(440, 0.5, 1)],
  ['b660', sine(660, 0.5, 1)],
])
const MS = RATE / 1000

describe('mix', () => {
  test('a muted track adds nothing', async () => {
    const a = { id: 'a', stem: 'a440', regions: [wholeRegion('ra', 1)] }
    const b = { id: 'b', stem: 'b660', muted: true, regions: [wholeRegion('rb', 1)] }
    const withMuted = await render(recipeOf({ tracks: [a, b] }), stems)
    const without = await render(recipeOf({ tracks: [a] }), stems)
    for (const ch of [0, 1])
      expect(maxDifference(withMuted.getChannelData(ch), without.getChannelData(ch))).toBe(0)
    expect(toneAmplitude(withMuted.getChannelData(0), 660)).toBeLessThan(1e-5)
    expect(toneAmplitude(withMuted.getChannelData(0), 440)).toBeGreaterThan(0.3)
  })

  test('−6 dB on a track halves its amplitude', async () => {
    const at = (gainDb: number) =>
      recipeOf({ tracks: [{ id: 'a', stem: 'a440', gainDb, regions: [wholeRegion('r', 1)] }] })
    const unity = (await render(at(0), stems)).getChannelData(0)
    const cut = (await render(at(-6), stems)).getChannelData(0)
    const from = 0.2 * RATE
    const to = 0.8 * RATE
    expect(dbOf(rmsOf(cut, from, to) / rmsOf(unity, from, to))).toBeCloseTo(-6, 0)
    expect(Math.abs(dbOf(rmsOf(cut, from, to) / rmsOf(unity, from, to)) + 6)).toBeLessThan(0.5)
  })

  test('a region at bar 3 (100 BPM, 4/4) starts at 4.8 s, within 1 ms', async () => {
    const barStart = (bar: number, tempo: number, beats: number) => ((bar - 1) * beats * 60) / tempo
    const start = barStart(3, 100, 4)
    expect(start).toBeCloseTo(4.8, 9)
    const recipe = recipeOf({
      tempo: 100,
      length: 6,
      tracks: [{ id: 'a', stem: 'dc', regions: [{ id: 'r', start, offset: 0, duration: 0.5 }] }],
    })
    const out = (await render(recipe, new Map([['dc', dc(0.5, 1)]]))).getChannelData(0)
    const onsets = onsetsOf(out)
    expect(onsets.length).toBe(1)
    expect(Math.abs(onsets[0]! - start * RATE)).toBeLessThanOrEqual(1 * MS)
  })

  test('a region with loops = 3 starts three times, at start + k·duration', async () => {
    const click = bufferOf(0.25, (t) => (t < 0.01 ? 0.5 : 0))
    const region = { id: 'r', start: 0.5, offset: 0, duration: 0.25, loops: 3 }
    const recipe = recipeOf({ length: 1.5, tracks: [{ id: 'a', stem: 'c', regions: [region] }] })
    const out = (await render(recipe, new Map([['c', click]]))).getChannelData(0)
    const onsets = onsetsOf(out)
    expect(onsets.length).toBe(3)
    onsets.forEach((at, k) =>
      expect(Math.abs(at - (region.start + k * region.duration) * RATE)).toBeLessThanOrEqual(
        1 * MS,
      ),
    )
  })

  test('pan hard left leaves the right channel silent', async () => {
    const recipe = recipeOf({
      tracks: [{ id: 'a', stem: 'a440', pan: -1, regions: [wholeRegion('r', 1)] }],
    })
    const out = await render(recipe, stems)
    expect(peakOf(out.getChannelData(1))).toBeLessThan(10 ** (-90 / 20))
    expect(peakOf(out.getChannelData(0))).toBeCloseTo(0.5, 3)
  })

  test('a mono stem pans equal-power: −3 dB per side at centre', async () => {
    const recipe = recipeOf({ tracks: [{ id: 'a', stem: 'a440', regions: [wholeRegion('r', 1)] }] })
    const out = await render(recipe, stems)
    for (const ch of [0, 1])
      expect(peakOf(out.getChannelData(ch))).toBeCloseTo(0.5 * Math.SQRT1_2, 3)
  })

  test('solo isolates the soloed track', async () => {
    const recipe = recipeOf({
      tracks: [
        { id: 'a', stem: 'a440', regions: [wholeRegion('ra', 1)] },
        { id: 'b', stem: 'b660', soloed: true, regions: [wholeRegion('rb', 1)] },
      ],
    })
    const out = (await render(recipe, stems)).getChannelData(0)
    expect(toneAmplitude(out, 660)).toBeGreaterThan(0.3)
    expect(toneAmplitude(out, 440)).toBeLessThan(1e-5)
  })

  test('the master limiter keeps sample peaks at or under its ceiling', async () => {
    const hot = recipeOf({
      master: { limiter: { enabled: true, ceilingDb: -1 } },
      tracks: [
        { id: 'a', stem: 'a440', gainDb: 12, regions: [wholeRegion('ra', 1)] },
        { id: 'b', stem: 'b660', gainDb: 12, regions: [wholeRegion('rb', 1)] },
        {
          id: 'c',
          stem: 'step',
          gainDb: 12,
          regions: [{ id: 'rc', start: 0.5, offset: 0, duration: 0.2 }],
        },
      ],
    })
    const buffers = new Map([...stems, ['step', dc(1, 0.2)]])
    const out = await render(hot, buffers)
    const ceiling = 10 ** (-1 / 20)
    for (const ch of [0, 1]) {
      const peak = peakOf(out.getChannelData(ch))
      expect(peak).toBeLessThanOrEqual(ceiling)
      expect(peak).toBeGreaterThan(ceiling * 0.95)
    }
    const open = await render(
      { ...hot, master: { ...hot.master, limiter: { enabled: false, ceilingDb: -1 } } },
      buffers,
    )
    expect(peakOf(open.getChannelData(0))).toBeGreaterThan(2)
  })

  test('the limiter is transparent under its ceiling, and its delay is compensated', async () => {
    const tracks = [{ id: 'a', stem: 'a440', regions: [wholeRegion('r', 1)] }]
    const limited = await render(
      recipeOf({ tracks, master: { limiter: { enabled: true } } }),
      stems,
    )
    const open = await render(recipeOf({ tracks, master: { limiter: { enabled: false } } }), stems)
    expect(maxDifference(limited.getChannelData(0), open.getChannelData(0))).toBeLessThan(1e-6)
    expect(limited.length).toBe(RATE)
  })

  test('rate and pitch: rate 2 plays an octave up for the region duration, pitch +12 too', async () => {
    const rate = recipeOf({
      length: 1,
      tracks: [
        {
          id: 'a',
          stem: 'a440',
          regions: [{ id: 'r', start: 0, offset: 0, duration: 0.5, rate: 2 }],
        },
      ],
    })
    const fast = (await render(rate, stems)).getChannelData(0)
    expect(toneAmplitude(fast, 880, RATE, 0, 0.45 * RATE)).toBeGreaterThan(0.3)
    expect(peakOf(fast, 0.51 * RATE)).toBeLessThan(1e-4)
    const pitch = recipeOf({
      tracks: [
        {
          id: 'a',
          stem: 'a440',
          regions: [{ id: 'r', start: 0, offset: 0, duration: 1, pitch: 12 }],
        },
      ],
    })
    const up = (await render(pitch, stems)).getChannelData(0)
    const from = 0.2 * RATE
    expect(toneAmplitude(up, 880, RATE, from)).toBeGreaterThan(
      4 * toneAmplitude(up, 440, RATE, from),
    )
  })

  test('progress is reported while rendering and ends at 1', async () => {
    const seen: number[] = []
    const recipe = recipeOf({
      length: 3,
      tracks: [{ id: 'a', stem: 'a440', regions: [wholeRegion('r', 1)] }],
    })
    await renderRecipe(recipe, stems, { sampleRate: RATE, onProgress: (f) => seen.push(f) })
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)).toBe(1)
    expect([...seen].sort((x, y) => x - y)).toEqual(seen)
  })
})
