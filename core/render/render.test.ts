import { describe, expect, test } from 'vitest'
import { BufferSource, RecipeRenderer, RENDER_QUANTUM, limiterLatency } from './index.ts'
import { monoPanGains } from './pan.ts'
import { RegionSchema } from '../recipe/schema.ts'
import { passStarts, renderPass } from './region.ts'
import {
  RATE,
  RecordingSource,
  amplitudeAt,
  maxAbsDiff,
  mono,
  recipeOf,
  render,
  sineOf,
} from './testing/signals.ts'

const ones = (frames: number) => new Float32Array(frames).fill(1)
const click = (frames: number) => {
  const a = new Float32Array(frames)
  a[0] = 1
  return a
}

describe('regions', () => {
  test('a region plays its source from offset at start, for duration, nowhere else', async () => {
    const ramp = Float32Array.from({ length: RATE }, (_, i) => i / RATE)
    const region = { id: 'r', start: 0.25, offset: 0.5, duration: 0.2 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', regions: [region] }] })
    const [left] = await render(recipe, { s: mono(ramp) })
    const [gl] = monoPanGains(0)
    const s0 = 0.25 * RATE
    const n = 0.2 * RATE
    expect(left[s0 - 1]).toBe(0)
    for (const k of [0, 1, 100, n - 1])
      expect(left[s0 + k]).toBeCloseTo(ramp[0.5 * RATE + k]! * gl, 6)
    expect(left[s0 + n]).toBe(0)
  })

  test('loops start sample-exactly at start + k·duration', async () => {
    const region = { id: 'r', start: 0.1, offset: 0, duration: 0.2, loops: 4 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', regions: [region] }] })
    const [left] = await render(recipe, { s: mono(click(RATE)) })
    const onsets = [...left.keys()].filter((i) => left[i] !== 0)
    expect(onsets).toEqual([0, 1, 2, 3].map((k) => Math.round((0.1 + k * 0.2) * RATE)))
  })

  test('fades are linear: 0 at the start, 1 after fadeIn, falling to 0 at the end', async () => {
    const region = { id: 'r', start: 0, offset: 0, duration: 0.5, fadeIn: 0.1, fadeOut: 0.2 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', regions: [region] }] })
    const [left] = await render(recipe, { s: mono(ones(RATE)) })
    const [gl] = monoPanGains(0)
    const fi = 0.1 * RATE
    const end = 0.5 * RATE
    const fo = 0.2 * RATE
    expect(left[0]).toBe(0)
    expect(left[fi / 2]! / gl).toBeCloseTo(0.5, 6)
    expect(left[fi]! / gl).toBeCloseTo(1, 6)
    expect(left[end - fo]! / gl).toBeCloseTo(1, 6)
    expect(left[end - fo / 4]! / gl).toBeCloseTo(0.25, 6)
    expect(left[end]).toBe(0)
  })

  test('region and track gains in dB multiply', async () => {
    const region = { id: 'r', start: 0, offset: 0, duration: 0.5, gainDb: -6 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', gainDb: -12, regions: [region] }] })
    const [left] = await render(recipe, { s: mono(ones(RATE)) })
    expect(left[1000]).toBeCloseTo(10 ** (-18 / 20) * Math.SQRT1_2, 6)
  })

  test('rate 1.5 plays a sine 1.5× higher, sinc-interpolated to within −90 dB', async () => {
    const hz = 1000
    const region = { id: 'r', start: 0, offset: 0.01, duration: 0.5, rate: 1.5 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan: -1, regions: [region] }] })
    const [left] = await render(recipe, { s: mono(sineOf(hz, 0.5, RATE)) })
    let worst = 0
    for (let i = 100; i < 0.49 * RATE; i++) {
      const expected = 0.5 * Math.sin((2 * Math.PI * hz * (0.01 * RATE + i * 1.5)) / RATE)
      worst = Math.max(worst, Math.abs(left[i]! - expected))
    }
    expect(20 * Math.log10(worst / 0.5)).toBeLessThan(-90)
  })

  test('rate 0.5 at a fractional offset stays band-limited and exact', async () => {
    const hz = 3000
    const region = { id: 'r', start: 0, offset: 0.1 + 0.3 / RATE, duration: 0.5, rate: 0.5 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan: -1, regions: [region] }] })
    const [left] = await render(recipe, { s: mono(sineOf(hz, 0.5, RATE)) })
    let worst = 0
    for (let i = 0; i < 0.49 * RATE; i++) {
      const p = 0.1 * RATE + 0.3 + i * 0.5
      worst = Math.max(worst, Math.abs(left[i]! - 0.5 * Math.sin((2 * Math.PI * hz * p) / RATE)))
    }
    expect(20 * Math.log10(worst / 0.5)).toBeLessThan(-90)
  })

  test('a pass rendered alone from a window of its stem is the frames the mix plays', async () => {
    const source = sineOf(2500, 0.5, RATE)
    const region = {
      id: 'r',
      start: 0.3 + 0.25 / RATE,
      offset: 0.2,
      duration: 0.25,
      rate: 0.8,
      fadeIn: 0.01,
      fadeOut: 0.05,
    }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan: -1, regions: [region] }] })
    const [left] = await render(recipe, { s: mono(source) })
    const [gl] = monoPanGains(-1)
    const start = passStarts(RegionSchema.parse(region), RATE)[0]!
    const frame = Math.floor(start) - 1
    const origin = 0.2 * RATE - 40
    const window = new BufferSource([source.slice(origin, origin + 0.25 * RATE + 80)], origin)
    const [pass] = await renderPass(RegionSchema.parse(region), window, RATE, start - frame)
    expect(pass!.length).toBe(Math.ceil(start - frame + 0.25 * RATE))
    expect(pass![0]).toBe(0)
    const played = left.subarray(frame, frame + pass!.length).map((x) => x / gl)
    expect(maxAbsDiff(played, pass!)).toBeLessThan(1e-7)
    expect(left[frame + pass!.length + 1]).toBe(0)
  })

  test('rate 4 band-limits: a tone that would alias above Nyquist is removed', async () => {
    // 8 kHz read 4× faster would be 32 kHz: above Nyquist, so it must not fold back to 12.1 kHz
    const region = { id: 'r', start: 0, offset: 0, duration: 0.2, rate: 4 }
    const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan: -1, regions: [region] }] })
    const [left] = await render(recipe, { s: mono(sineOf(8000, 0.5, RATE)) })
    expect(amplitudeAt(left, RATE - 32000, 1000, 8000)).toBeLessThan(1e-3)
  })
})

describe('mix', () => {
  test('mono pans equal-power: −3 dB each side at centre, all to one side at ±1', async () => {
    const at = async (pan: number) => {
      const region = { id: 'r', start: 0, offset: 0, duration: 0.1 }
      const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan, regions: [region] }] })
      const [l, r] = await render(recipe, { s: mono(ones(RATE)) })
      return [l[100]!, r[100]!]
    }
    expect((await at(0))[0]).toBeCloseTo(Math.SQRT1_2, 6)
    expect((await at(0))[1]).toBeCloseTo(Math.SQRT1_2, 6)
    expect(await at(-1)).toEqual([1, expect.closeTo(0, 6)])
    const [l, r] = await at(0.5)
    expect(l).toBeCloseTo(Math.cos(0.75 * (Math.PI / 2)), 6)
    expect(r).toBeCloseTo(Math.sin(0.75 * (Math.PI / 2)), 6)
  })

  test('stereo balances as StereoPannerNode: unity at centre, the far side folds in', async () => {
    const left = new Float32Array(RATE).fill(0.5)
    const right = new Float32Array(RATE).fill(0.25)
    const at = async (pan: number) => {
      const region = { id: 'r', start: 0, offset: 0, duration: 0.1 }
      const recipe = recipeOf({ tracks: [{ id: 't', stem: 's', pan, regions: [region] }] })
      const [l, r] = await render(recipe, { s: new BufferSource([left, right]) })
      return [l[100]!, r[100]!]
    }
    expect(await at(0)).toEqual([0.5, 0.25])
    const x = (-0.5 + 1) * (Math.PI / 2)
    const [l, r] = await at(-0.5)
    expect(l).toBeCloseTo(0.5 + 0.25 * Math.cos(x), 6)
    expect(r).toBeCloseTo(0.25 * Math.sin(x), 6)
    const [l2, r2] = await at(1)
    expect(l2).toBeCloseTo(0, 6)
    expect(r2).toBeCloseTo(0.75, 6)
  })

  test('mute removes a track; solo plays only soloed tracks, never muted ones', async () => {
    const a = { id: 'a', stem: 'a', regions: [{ id: 'ra', start: 0, offset: 0, duration: 1 }] }
    const b = { id: 'b', stem: 'b', regions: [{ id: 'rb', start: 0, offset: 0, duration: 1 }] }
    const stems = { a: mono(sineOf(440, 0.3, RATE)), b: mono(sineOf(660, 0.3, RATE)) }
    const level = (out: Float32Array, hz: number) => amplitudeAt(out, hz, 0, RATE)
    const [muted] = await render(recipeOf({ tracks: [a, { ...b, muted: true }] }), stems)
    expect(level(muted, 660)).toBeLessThan(1e-6)
    expect(level(muted, 440)).toBeCloseTo(0.3 * Math.SQRT1_2, 4)
    const [solo] = await render(recipeOf({ tracks: [a, { ...b, soloed: true }] }), stems)
    expect(level(solo, 440)).toBeLessThan(1e-6)
    expect(level(solo, 660)).toBeCloseTo(0.3 * Math.SQRT1_2, 4)
    const both = [
      { ...a, soloed: true, muted: true },
      { ...b, soloed: true },
    ]
    const [s2] = await render(recipeOf({ tracks: both }), stems)
    expect(level(s2, 440)).toBeLessThan(1e-6)
  })

  test('master gain scales; the limiter holds the ceiling and its latency is removed', async () => {
    const region = { id: 'r', start: 0.1, offset: 0, duration: 0.5 }
    const tracks = [{ id: 't', stem: 's', pan: -1, regions: [region] }]
    const stems = { s: mono(sineOf(100, 0.9, RATE)) }
    const master = { gainDb: 12, limiter: { enabled: true, ceilingDb: -1 } }
    const [limited] = await render(recipeOf({ tracks, master }), stems)
    const peak = limited.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    expect(peak).toBeLessThanOrEqual(10 ** (-1 / 20) + 1e-7)
    expect(peak).toBeGreaterThan(0.85)
    // latency removed: nothing before the region's start, sound right at it
    const start = 0.1 * RATE
    expect(limited.subarray(0, start).every((v) => v === 0)).toBe(true)
    expect(limited[start + 20]).not.toBe(0)
    expect(limiterLatency(RATE)).toBe(Math.round(0.005 * RATE))
    const quiet = { gainDb: -6, limiter: { enabled: true, ceilingDb: -1 } }
    const [q] = await render(recipeOf({ tracks, master: quiet }), stems)
    expect(amplitudeAt(q, 100, start, start + RATE / 4)).toBeCloseTo(0.9 * 10 ** (-6 / 20), 4)
  })
})

describe('the renderer', () => {
  const recipe = recipeOf({
    length: 2,
    tracks: [
      {
        id: 'a',
        stem: 'a',
        pan: 0.3,
        regions: [
          { id: 'r1', start: 0.05, offset: 0.2, duration: 0.3, loops: 3, fadeIn: 0.01, rate: 1.3 },
          { id: 'r2', start: 1.1, offset: 0, duration: 0.7, fadeOut: 0.2, gainDb: -3 },
        ],
      },
      { id: 'b', stem: 'b', regions: [{ id: 'r3', start: 0.3, offset: 0, duration: 1.5 }] },
    ],
    master: { gainDb: 6, limiter: { enabled: true, ceilingDb: -1 } },
  })
  const stems = () => ({
    a: mono(sineOf(330, 0.7, 2 * RATE)),
    b: new BufferSource([sineOf(220, 0.6, 2 * RATE), sineOf(550, 0.6, 2 * RATE)]),
  })

  test('is deterministic and independent of the block size (128 vs 4096)', async () => {
    const [l1, r1] = await render(recipe, stems(), 4096)
    const [l2, r2] = await render(recipe, stems(), 4096)
    const [l3, r3] = await render(recipe, stems(), 128)
    const [l4] = await render(recipe, stems(), 1000)
    expect(maxAbsDiff(l1, l2)).toBe(0)
    expect(maxAbsDiff(r1, r2)).toBe(0)
    expect(maxAbsDiff(l1, l3)).toBe(0)
    expect(maxAbsDiff(r1, r3)).toBe(0)
    expect(maxAbsDiff(l1, l4)).toBe(0)
    expect(l1.some((v) => v !== 0)).toBe(true)
  })

  test('every effect kind, region pitch and bypass: deterministic at any block size', async () => {
    const fx = [
      { id: 'f', type: 'filter', mode: 'lowpass', frequency: 3000, q: 2 },
      { id: 'e', type: 'eq3', low: 3, mid: -2, high: 1 },
      { id: 'c', type: 'compressor', threshold: -20, ratio: 4, attack: 0.005, release: 0.1 },
      { id: 'd', type: 'delay', division: '1/16', feedback: 0.4, wet: 0.3 },
      { id: 'v', type: 'reverb', decay: 0.6, wet: 0.3 },
      { id: 'x', type: 'distortion', amount: 0.4, wet: 0.5 },
      { id: 'p', type: 'pitchShift', semitones: 5, wet: 0.5 },
      { id: 'hp', type: 'filter', mode: 'highpass', frequency: 8000, q: 1, bypass: true },
    ]
    const full = recipeOf({
      length: 1.5,
      tracks: [
        {
          id: 'a',
          stem: 'a',
          effects: fx,
          regions: [{ id: 'r', start: 0.1, offset: 0, duration: 1, pitch: -3 }],
        },
        {
          id: 'b',
          stem: 'b',
          pan: -0.4,
          regions: [{ id: 's', start: 0, offset: 0, duration: 1.4 }],
        },
      ],
      master: {
        effects: [
          { id: 'me', type: 'eq3', low: 1, mid: 0, high: 2 },
          { id: 'mv', type: 'reverb', decay: 1.2, wet: 0.2 },
        ],
        limiter: { enabled: true, ceilingDb: -1 },
      },
    })
    const [l1, r1] = await render(full, stems(), 4096)
    const [l2, r2] = await render(full, stems(), 128)
    const [l3, r3] = await render(full, stems(), 4096)
    expect(maxAbsDiff(l1, l2)).toBe(0)
    expect(maxAbsDiff(r1, r2)).toBe(0)
    expect(maxAbsDiff(l1, l3)).toBe(0)
    expect(maxAbsDiff(r1, r3)).toBe(0)
    expect(l1.every(Number.isFinite)).toBe(true)
    // the bypassed high-pass does nothing: without it the render is the same
    const without = JSON.parse(JSON.stringify(full)) as typeof full
    without.tracks[0]!.effects.pop()
    const [l4] = await render(without, stems(), 4096)
    expect(maxAbsDiff(l1, l4)).toBe(0)
  })

  test('streams: reads sources in blocks, never whole, and delivers recipe.length', async () => {
    const a = new RecordingSource([sineOf(330, 0.7, 2 * RATE)])
    const renderer = new RecipeRenderer(
      recipe,
      new Map([
        ['a', a],
        ['b', stems().b],
      ]),
      {
        sampleRate: RATE,
        blockFrames: 512,
      },
    )
    expect(renderer.frames).toBe(2 * RATE)
    const out: [Float32Array, Float32Array] = [new Float32Array(512), new Float32Array(512)]
    let total = 0
    for (let n = await renderer.next(out); n > 0; n = await renderer.next(out)) total += n
    expect(total).toBe(2 * RATE)
    expect(renderer.rendered).toBe(2 * RATE)
    // the render runs in quanta whatever block is asked for: a read is about one quantum
    expect(a.reads.length).toBeGreaterThan((2 * RATE) / RENDER_QUANTUM - 1)
    expect(Math.max(...a.reads.map((r) => r.length))).toBeLessThan(2 * RENDER_QUANTUM)
    expect(await renderer.next(out)).toBe(0)
  })

  test('is sample-rate agnostic: the same recipe at 48 kHz places regions in seconds', async () => {
    const region = { id: 'r', start: 0.5, offset: 0, duration: 0.1 }
    const r = recipeOf({ tracks: [{ id: 't', stem: 's', regions: [region] }] })
    const [left] = await render(r, { s: mono(click(48_000)) }, 4096, 48_000)
    expect(left.length).toBe(48_000)
    expect([...left.keys()].filter((i) => left[i] !== 0)).toEqual([24_000])
  })
})
