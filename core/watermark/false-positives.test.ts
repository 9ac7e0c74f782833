// A sample of the false-positive sweep (false-positives.soak.test.ts, in the soak project, checks
// 290 clips including the raw stems): 10 clips of noise, silence and audio marked under another
// key, 4 clips shorter than a block and 18 generated pieces. Every unmarked clip pays for the whole
// speed and tempo search.
import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { musicLike } from './testing/audio.ts'
import {
  CLIP_RATE,
  SWEEP_KINDS,
  falsePositivesIn,
  sweepClips,
  unmarkedClips,
} from './testing/unmarked.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'false-positive-key'

const clips = () =>
  unmarkedClips({
    white: 2,
    pink: 2,
    silence: 1,
    nearSilence: 2,
    otherKeys: { keys: 1, perKey: 3, seconds: 25 },
  })

describe('detectWatermark on unmarked audio (sample)', { timeout: 300_000 }, () => {
  it('finds nothing in 10 clips of white and pink noise, silence and another key', () => {
    const all = clips()
    expect(all.length).toBe(10)
    expect(falsePositivesIn(all, KEY)).toEqual([])
  })

  // Clips shorter than a block (2–639 frames) are searched over speed and tempo on fewer frames
  // than a block, and a faster tempo reads more of them.
  it('finds nothing, and does not throw, in unmarked clips of 0.1 to 5 s', () => {
    for (const seconds of [0.1, 1, 3, 5]) {
      const clip = musicLike(seconds, CLIP_RATE, 77)
      expect(detectWatermark([clip], CLIP_RATE, KEY).found).toBe(false)
    }
  })

  // A sample of bench:watermark-sweep (2 000 clips): two of each generated kind, speed and tempo search on.
  it('finds nothing in 18 clips of music-like, piano, guitar and sub-bass pieces, noise and silence', () => {
    const all = [...sweepClips(2 * SWEEP_KINDS.length)]
    expect(new Set(all.map((c) => c.kind)).size).toBe(SWEEP_KINDS.length)
    expect(falsePositivesIn(all, KEY)).toEqual([])
  })
})
