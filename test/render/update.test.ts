import * as Tone from 'tone'
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { Recipe } from '../../core/recipe/schema.ts'
import { RemixGraph, type StemBuffers } from '../../web/audio/graph.ts'
import type { JobRequest } from '../../web/audio/render.worker.ts'
import { RATE, dc, dbOf, peakOf, recipeOf, rmsOf, sine, wholeRegion } from './signals.ts'

const stems: StemBuffers = new Map([
  ['a', sine(440, 0.5, 1)],
  ['b', sine(660, 0.5, 1)],
])

/** Builds a graph offline, lets `act` touch it at time 0 with the transport started, renders. */
async function renderLive(
  recipe: Recipe,
  act: (graph: RemixGraph) => void,
  buffers = stems,
  startAt = 0,
): Promise<Float32Array> {
  let latency = 0
  const out = await Tone.Offline(
    async (context) => {
      const graph = new RemixGraph(recipe, buffers)
      latency = Math.round(graph.latency * RATE)
      context.transport.start(0, startAt)
      act(graph)
      await graph.ready
    },
    recipe.length + 0.01,
    2,
    RATE,
  )
  return out.getChannelData(0).slice(latency)
}

/** The rates of the region passes sent to the render worker from now on (spying on it). */
function passRates(): () => number[] {
  const post = vi.spyOn(Worker.prototype, 'postMessage')
  return () =>
    post.mock.calls
      .map(([message]) => (message as JobRequest).job)
      .flatMap((job) => (job.kind === 'pass' ? [job.region.rate] : []))
}

afterEach(() => {
  vi.restoreAllMocks()
})

const base = recipeOf({
  tracks: [
    {
      id: 'a',
      stem: 'a',
      effects: [{ id: 'f', type: 'filter', mode: 'lowpass', frequency: 5000, q: 1 }],
      regions: [wholeRegion('ra', 1)],
    },
    { id: 'b', stem: 'b', regions: [wholeRegion('rb', 1)] },
  ],
})

describe('update', () => {
  test('a gain change ramps the same nodes: nothing is rebuilt', async () => {
    let kept = false
    const out = await renderLive(base, (graph) => {
      const before = graph.nodesOf('a')!
      const [gain, player, filter, other] = [
        before.gain,
        before.lane.players[0],
        before.chain.nodes[0],
        graph.nodesOf('b')!.lane.players[0],
      ]
      const quieter = {
        ...base,
        tracks: base.tracks.map((t) => (t.id === 'a' ? { ...t, gainDb: -60 } : t)),
      }
      graph.update(quieter)
      const after = graph.nodesOf('a')!
      kept =
        after.gain === gain &&
        after.lane.players[0] === player &&
        after.chain.nodes[0] === filter &&
        graph.nodesOf('b')!.lane.players[0] === other
    })
    expect(kept).toBe(true)
    const reference = await renderLive(recipeOf({ tracks: [base.tracks[1]!] }), () => {})
    // after the ramp only track b is (nearly) left
    const from = 0.1 * RATE
    expect(dbOf(rmsOf(out, from) / rmsOf(reference, from))).toBeLessThan(0.1)
  })

  test('a new bypass rebuilds only that chain; moved regions reschedule only that track', () => {
    const graph = new RemixGraph(base, stems)
    try {
      const filter = graph.nodesOf('a')!.chain.nodes[0]
      const playersB = graph.nodesOf('b')!.lane.players[0]
      const playersA = graph.nodesOf('a')!.lane.players[0]
      const bypassed = {
        ...base,
        tracks: base.tracks.map((t) =>
          t.id === 'a' ? { ...t, effects: t.effects.map((e) => ({ ...e, bypass: true })) } : t,
        ),
      }
      graph.update(bypassed)
      expect(graph.nodesOf('a')!.chain.nodes).toHaveLength(0)
      expect(filter?.disposed).toBe(false) // still fading out
      const moved = {
        ...bypassed,
        tracks: bypassed.tracks.map((t) =>
          t.id === 'a' ? { ...t, regions: [{ ...t.regions[0]!, start: 0.25 }] } : t,
        ),
      }
      graph.update(moved)
      expect(graph.nodesOf('a')!.lane.players[0]).not.toBe(playersA)
      expect(graph.nodesOf('b')!.lane.players[0]).toBe(playersB)
    } finally {
      graph.dispose()
    }
  })

  test('starting the transport inside a rate-2 region plays only what is left of it', async () => {
    const recipe = recipeOf({
      tracks: [
        {
          id: 'a',
          stem: 'dc',
          regions: [{ id: 'r', start: 0, offset: 0, duration: 0.5, rate: 2 }],
        },
      ],
    })
    const out = await renderLive(recipe, () => {}, new Map([['dc', dc(0.5, 2)]]), 0.25)
    // 0.25 s of the region remain: sound until then, silence after
    expect(peakOf(out, 0, 0.24 * RATE)).toBeGreaterThan(0.3)
    expect(peakOf(out, 0.26 * RATE)).toBeLessThan(1e-4)
  })

  test('a rate edit plays at once at the native rate, then as core/render passes at rate 1', async () => {
    const sped = (rate: number) =>
      recipeOf({
        tracks: [{ id: 'a', stem: 'a', regions: [{ ...wholeRegion('ra', 0.4), rate }] }],
      })
    const graph = new RemixGraph(sped(1), stems)
    try {
      graph.update(sped(1.25))
      // heard immediately: the player resamples while the worker renders
      expect(graph.nodesOf('a')!.lane.players[0]!.playbackRate).toBe(1.25)
      await graph.ready
      const player = graph.nodesOf('a')!.lane.players[0]!
      expect(player.playbackRate).toBe(1)
      // the pre-rendered pass: 0.4 s of the 440 Hz sine read at 1.25×, i.e. 550 Hz
      const pass = player.buffer.getChannelData(0)
      expect(pass.length).toBe(0.4 * RATE)
      expect(peakOf(pass)).toBeCloseTo(0.5, 2)
      let crossings = 0
      for (let i = 1; i < pass.length; i++) if (pass[i - 1]! < 0 !== pass[i]! < 0) crossings++
      expect(Math.abs(crossings - 2 * 550 * 0.4)).toBeLessThanOrEqual(2)
    } finally {
      graph.dispose()
    }
  })
  test('a stem with more rate-changed passes than the studio keeps still plays every one rendered', async () => {
    // 40 regions whose starts fall between frames at 40 different phases: 40 passes of one stem
    const regions = Array.from({ length: 40 }, (_, i) => ({
      ...wholeRegion(`r${i}`, 0.01),
      start: i * 0.0113,
      rate: 1.25,
    }))
    const graph = new RemixGraph(
      recipeOf({ length: 1, tracks: [{ id: 'a', stem: 'a', regions }] }),
      stems,
    )
    try {
      await graph.ready
      const players = graph.nodesOf('a')!.lane.players
      expect(players).toHaveLength(40)
      for (const player of players) expect(player.playbackRate).toBe(1)
    } finally {
      graph.dispose()
    }
  })

  test("a stem's rate-changed passes are kept by their bytes: 40 short ones, rebuilt, render nothing again", async () => {
    // 40 regions whose starts fall between frames at 40 different phases: 40 passes of one stem
    const regions = Array.from({ length: 40 }, (_, i) => ({
      ...wholeRegion(`k${i}`, 0.02),
      start: i * 0.0117,
      rate: 1.3,
    }))
    const recipe = recipeOf({ length: 1, tracks: [{ id: 'a', stem: 'a', regions }] })
    const first = new RemixGraph(recipe, stems)
    await first.ready
    first.dispose()
    const posted = passRates()
    const again = new RemixGraph(recipe, stems) // an undo, or the studio opened anew
    try {
      await again.ready
      const players = again.nodesOf('a')!.lane.players
      expect(players).toHaveLength(40)
      for (const player of players) expect(player.playbackRate).toBe(1)
      expect(posted()).toEqual([]) // all 40 from the cache (it used to keep 32 a stem)
    } finally {
      again.dispose()
    }
  })

  /** One 0.4 s region of stem a at `rate`. */
  const sped = (rate: number) =>
    recipeOf({
      tracks: [{ id: 'a', stem: 'a', regions: [{ ...wholeRegion('ra', 0.4), rate }] }],
    })

  /** Zero crossings of a pass's first channel: twice its frequency times its length. */
  function crossingsOf(buffer: Tone.ToneAudioBuffer): number {
    const pass = buffer.getChannelData(0)
    let crossings = 0
    for (let i = 1; i < pass.length; i++) if (pass[i - 1]! < 0 !== pass[i]! < 0) crossings++
    return crossings
  }

  test('a rate drag renders the step in flight and the last one; the steps between never start', async () => {
    const posted = passRates()
    const graph = new RemixGraph(sped(1), stems)
    try {
      graph.update(sped(1.11))
      await vi.waitFor(() => expect(posted()).toEqual([1.11]), { timeout: 5000, interval: 1 })
      for (const rate of [1.22, 1.33, 1.44, 1.55, 1.66]) graph.update(sped(rate))
      await graph.ready
      expect(posted()).toEqual([1.11, 1.66])
      // what plays is the last step's pass: 0.4 s of the 440 Hz sine read at 1.66×
      const player = graph.nodesOf('a')!.lane.players[0]!
      expect(player.playbackRate).toBe(1)
      expect(Math.abs(crossingsOf(player.buffer) - 2 * 440 * 1.66 * 0.4)).toBeLessThanOrEqual(2)
    } finally {
      graph.dispose()
    }
  })

  test('a rate dragged back to a step that never rendered renders it once more and plays it', async () => {
    const posted = passRates()
    const graph = new RemixGraph(sped(1), stems)
    try {
      graph.update(sped(1.07))
      await vi.waitFor(() => expect(posted()).toEqual([1.07]), { timeout: 5000, interval: 1 })
      // 1.17 waits behind 1.07 and is superseded before its turn; the drag comes back to it (rates
      // no other test renders: passes are kept across graphs)
      for (const rate of [1.17, 1.27, 1.17]) graph.update(sped(rate))
      await vi.waitFor(
        () => {
          expect(posted()).toEqual([1.07, 1.17])
          expect(graph.nodesOf('a')!.lane.players[0]!.playbackRate).toBe(1)
        },
        { timeout: 10_000, interval: 5 },
      )
      const { buffer } = graph.nodesOf('a')!.lane.players[0]!
      expect(Math.abs(crossingsOf(buffer) - 2 * 440 * 1.17 * 0.4)).toBeLessThanOrEqual(2)
    } finally {
      graph.dispose()
    }
  })
})
