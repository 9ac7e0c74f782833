import * as Tone from 'tone'
import { afterEach, expect, test, vi } from 'vitest'
import { PREFIX_BYTES } from '../../web/api.ts'
import { DECODES, LONGER_PREFIX_BYTES, StudioEngine } from '../../web/audio/engine.ts'
import { decodedStem, headsResponse, isHeads, STEM } from './prefix-stem.ts'
import { recipeOf, wholeRegion } from './signals.ts'

let engine: StudioEngine | undefined
afterEach(() => {
  engine?.dispose()
  vi.restoreAllMocks()
})

test("a stem's first bytes decode to the whole stem's first samples", async () => {
  const { bytes, whole, head } = await decodedStem()
  expect(bytes.byteLength).toBeGreaterThan(4 * PREFIX_BYTES)
  // about 4.9 s at this bitrate; the cut frame at the end is the only difference
  expect(head.duration).toBeGreaterThan(4.5)
  const compared = head.length - 4 * 1152
  let worst = 0
  let energy = 0
  for (let c = 0; c < whole.numberOfChannels; c++) {
    const a = whole.getChannelData(c)
    const b = head.getChannelData(c)
    for (let i = 0; i < compared; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
      energy += a[i]! * a[i]!
    }
  }
  expect(energy).toBeGreaterThan(1) // the stem is not silent there: the comparison means something
  expect(worst).toBeLessThan(1e-6)
})

// No heads here (nothing answers /api/stems/heads): the stem streams whole, its first bytes
// decoded as they come.
test('the engine can play a long stem before it is decoded whole, then holds the whole stem', async () => {
  engine = new StudioEngine([{ id: 'pads', url: STEM }])
  engine.setRecipe(
    recipeOf({ length: 96, tracks: [{ id: 't', stem: 'pads', regions: [wholeRegion('r', 96)] }] }),
  )
  const live = engine
  let playableWhileDecoding = false
  engine.on(() => {
    if (live.playable && !live.ready) playableWhileDecoding = true
  })
  await engine.load()
  expect(playableWhileDecoding).toBe(true)
  expect(engine.ready).toBe(true)
  expect(engine.playable).toBe(true)
  // renders and transcription see only the whole stem
  expect(engine.buffers().get('pads')?.duration).toBeGreaterThan(95)
})

/** `fetch` answering the heads (from `urls`) and holding back STEM's rest until `release()`. */
function holdingTheRest(urls: Record<string, string> = { pads: STEM }): {
  release: () => void
  held: () => boolean
} {
  const real = globalThis.fetch
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let held = false
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (isHeads(input)) return headsResponse(String(input), urls, real)
    if (String(input).endsWith(STEM)) {
      held = true
      await released
    }
    return real(input, init)
  })
  return { release, held: () => held }
}

const WAIT = { timeout: 20_000, interval: 20 }

test('the engine sounds from a stem whose rest has not arrived, and keeps sounding once it has', async () => {
  const { head, loud } = await decodedStem()
  expect(loud + 2).toBeLessThan(head.duration)
  const rest = holdingTheRest()
  engine = new StudioEngine([{ id: 'pads', url: STEM }])
  engine.setRecipe(
    recipeOf({ length: 96, tracks: [{ id: 't', stem: 'pads', regions: [wholeRegion('r', 96)] }] }),
  )
  const live = engine
  const loaded = engine.load()
  await vi.waitFor(() => expect(live.playable).toBe(true), WAIT)
  live.seek(loud)
  await live.play()
  // a level well above silence is the prefix playing
  await vi.waitFor(() => expect(live.masterLevel()).toBeGreaterThan(-40), WAIT)
  expect(rest.held()).toBe(true)
  expect(live.ready).toBe(false)
  expect(live.buffers().size).toBe(0) // nothing whole yet: renders wait for it
  rest.release()
  await loaded
  expect(live.ready).toBe(true)
  expect(live.playing).toBe(true)
  await vi.waitFor(() => expect(live.masterLevel()).toBeGreaterThan(-40), WAIT)
  vi.restoreAllMocks()
})

test('after every first seconds, longer prefixes then whole stems decode, DECODES at a time', async () => {
  const context = Tone.getContext()
  const real = context.decodeAudioData.bind(context)
  const decodes: { bytes: number; seconds: number }[] = []
  const started: number[] = []
  let running = 0
  let most = 0
  vi.spyOn(context, 'decodeAudioData').mockImplementation(async (bytes) => {
    const size = bytes.byteLength
    started.push(size)
    const first = size === PREFIX_BYTES // the first seconds decode at once, side by side
    if (!first) most = Math.max(most, ++running)
    try {
      const buffer = await real(bytes)
      decodes.push({ bytes: size, seconds: buffer.duration })
      return buffer
    } finally {
      if (!first) running--
    }
  })
  const fetcher = globalThis.fetch
  const urls: Record<string, string> = { a: STEM, b: `${STEM}?again` }
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) =>
    isHeads(input) ? headsResponse(String(input), urls, fetcher) : fetcher(input, init),
  )
  engine = new StudioEngine(Object.entries(urls).map(([id, url]) => ({ id, url })))
  await engine.load()
  expect(engine.ready).toBe(true)
  const whole = (await (await fetch(STEM)).arrayBuffer()).byteLength
  expect(whole).toBeGreaterThan(LONGER_PREFIX_BYTES)
  // every stem's first seconds first; then each stem's first 1 MiB and itself whole
  const sizes = decodes.map((d) => d.bytes)
  expect(sizes.slice(0, 2)).toEqual([PREFIX_BYTES, PREFIX_BYTES])
  expect(started[2]).toBe(LONGER_PREFIX_BYTES) // no whole decode before a longer prefix is in
  expect(sizes.slice(2).sort((a, b) => a - b)).toEqual([
    LONGER_PREFIX_BYTES,
    LONGER_PREFIX_BYTES,
    whole,
    whole,
  ])
  const longer = decodes.find((d) => d.bytes === LONGER_PREFIX_BYTES)!
  expect(longer.seconds).toBeGreaterThan(decodes[0]!.seconds * 4) // 1 MiB is ~10× 96 KiB
  expect(most).toBe(DECODES) // both cores busy, never more
  expect(engine.buffers().get('a')?.duration).toBe(decodes.at(-1)!.seconds)
})
