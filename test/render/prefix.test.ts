import { afterEach, expect, test } from 'vitest'
import { PREFIX_BYTES, StudioEngine } from '../../web/audio/engine.ts'
import { recipeOf, wholeRegion } from './signals.ts'

// A demo stem (1.6 minutes of 160 kbit/s MP3, about 1.9 MB: several prefixes long).
const STEM = '/stems/audio/drums.mp3'

let engine: StudioEngine | undefined
afterEach(() => engine?.dispose())

test("a stem's first bytes decode to the whole stem's first samples", async () => {
  const bytes = await (await fetch(STEM)).arrayBuffer()
  expect(bytes.byteLength).toBeGreaterThan(4 * PREFIX_BYTES)
  const context = new OfflineAudioContext(2, 1, 44_100)
  const whole = await context.decodeAudioData(bytes.slice(0))
  const head = await context.decodeAudioData(bytes.slice(0, PREFIX_BYTES))
  // about 13 s at this bitrate; the cut frame at the end is the only difference
  expect(head.duration).toBeGreaterThan(10)
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

test('the engine can play a long stem before it is decoded whole, then holds the whole stem', async () => {
  engine = new StudioEngine([{ id: 'drums', url: STEM }])
  engine.setRecipe(
    recipeOf({ length: 96, tracks: [{ id: 't', stem: 'drums', regions: [wholeRegion('r', 96)] }] }),
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
  expect(engine.buffers().get('drums')?.duration).toBeGreaterThan(95)
})
