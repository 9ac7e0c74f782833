// Unmarked audio must never read as marked: 290 clips of raw stems, noise, silence and audio marked
// under other keys, each checked with the test key.
import { describe, expect, it } from 'vitest'
import { crop, decodeFile } from './testing/audio.ts'
import {
  CLIP_RATE as RATE,
  falsePositivesIn,
  sweepClips,
  unmarkedClips,
  type Clip,
} from './testing/unmarked.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'false-positive-key'

function clips(): Clip[] {
  const out: Clip[] = []
  for (const name of ['bass', 'drums', 'lead', 'pads', 'vox']) {
    const stem = decodeFile(`stems/audio/${name}.mp3`, 1, RATE)
    for (let i = 0; i < 9; i++) out.push({ kind: `stem ${name}`, pcm: crop(stem, 2 + i * 10, 9) })
  }
  const others = { keys: 5, perKey: 10, seconds: 40 }
  return [
    ...out,
    ...unmarkedClips({ white: 40, pink: 40, silence: 10, nearSilence: 15, otherKeys: others }),
    // Generated pieces of every style (bench:watermark-sweep runs 2 000 of these and the stems).
    ...sweepClips(90),
  ]
}

// A generous timeout: about 3 minutes of CPU with the speed search on every clip, more when shared.
describe('detectWatermark on unmarked audio', { timeout: 1_200_000 }, () => {
  it('finds nothing in 290 clips of raw stems, generated pieces, noise, silence and other keys', () => {
    const all = clips()
    expect(all.length).toBeGreaterThanOrEqual(200)
    expect(falsePositivesIn(all, KEY)).toEqual([])
  })
})
