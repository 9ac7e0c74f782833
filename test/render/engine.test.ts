import { afterEach, expect, test, vi } from 'vitest'
import { formatBarsBeats } from '../../core/recipe/grid.ts'
import { StudioEngine } from '../../web/audio/engine.ts'
import { recipeOf, sine, wavOf, wholeRegion } from './signals.ts'

const WAIT = { timeout: 10_000, interval: 50 }
let engine: StudioEngine | undefined
afterEach(() => engine?.dispose())

test('the studio engine loads stems, plays, seeks, loops and renders', async () => {
  const url = URL.createObjectURL(new Blob([wavOf(sine(440, 0.5, 2))], { type: 'audio/wav' }))
  engine = new StudioEngine([
    { id: 'a', url },
    { id: 'gone', url: 'blob:http://127.0.0.1/missing' },
  ])
  let changes = 0
  engine.on(() => changes++)
  const recipe = recipeOf({
    length: 2,
    tracks: [{ id: 't', stem: 'a', regions: [wholeRegion('r', 2)] }],
  })
  engine.setRecipe(recipe) // before load: tracks join as their stems decode
  await engine.load()
  expect(engine.status('a')).toEqual({ state: 'ready', progress: 1 })
  expect(engine.status('gone').state).toBe('error')
  expect(engine.ready).toBe(false)
  expect(engine.buffers().get('a')?.duration).toBeCloseTo(2, 2)
  expect(changes).toBeGreaterThan(0)

  // loop the whole remix while the meters are read: on a starved machine the first pass can end
  // before a meter reading lands, and a remix that has ended reads -Infinity for ever
  engine.setLoop({ start: 0, end: 2 })
  await engine.play()
  expect(engine.playing).toBe(true)
  // real time from here on: poll rather than sleep, so a busy machine does not fail the test
  const live = engine
  await vi.waitFor(() => expect(live.position).toBeGreaterThan(0.1), WAIT)
  await vi.waitFor(() => expect(live.trackLevel('t')).toBeGreaterThan(-20), WAIT)
  await vi.waitFor(() => expect(live.masterLevel()).toBeGreaterThan(-20), WAIT)
  engine.setRecipe({ ...recipe, tracks: [{ ...recipe.tracks[0]!, muted: true }] })
  await vi.waitFor(() => expect(live.trackLevel('t')).toBe(-Infinity), WAIT)
  engine.setLoop(null)

  engine.pause()
  expect(engine.playing).toBe(false)
  engine.seek(1.5)
  expect(engine.position).toBe(1.5) // exactly, though the Transport counts in ticks
  // 1.8 s is beat 4 at 100 BPM; the Transport's ticks alone would read 1.7995 s ("1:3.998")
  engine.seek(1.8)
  expect(formatBarsBeats(engine.position, 100, [4, 4])).toBe('1:4')
  engine.seek(99)
  expect(engine.position).toBeCloseTo(2, 2)
  engine.setLoop({ start: 0.5, end: 1 })
  engine.stop()
  expect(engine.position).toBeCloseTo(0, 6)

  const progress: number[] = []
  const out = await engine.render(recipe, (f) => progress.push(f))
  expect(out.duration).toBeCloseTo(2, 3)
  expect(out.numberOfChannels).toBe(2)
  expect(progress.at(-1)).toBe(1)
})
