// The FFT ranking of block shifts (sync.ts) must find what scoring every shift exactly finds: the
// same shift and z-score, on marked clips (any phase of the block, short and long) and on unmarked audio.
import { describe, expect, it } from 'vitest'
import { syncShiftOf } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { crop, gaussianNoise, musicLike } from './testing/audio.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const RATE = 22050
const KEY = 'sync-ranking-key'

describe('sync search by FFT ranking', () => {
  it('agrees with the exhaustive search on marked and unmarked clips', () => {
    const [marked] = embedWatermark([musicLike(30, RATE, 5)], RATE, 'c0ffee0123456789', KEY)
    const pcm = { channels: [marked!], sampleRate: RATE }
    const clips = [
      ...[0, 1, 2, 3, 4, 5].map((i) => crop(pcm, i * 2.3, 5 + 2 * i).channels[0]!),
      gaussianNoise(9 * RATE, 0.1, 1),
      musicLike(9, RATE, 50),
    ]
    const fast = clips.map((c) => syncShiftOf(c, KEY, false))
    const exact = clips.map((c) => syncShiftOf(c, KEY, true))
    for (let i = 0; i < clips.length; i++) {
      expect(fast[i]!.shift).toBe(exact[i]!.shift)
      expect(fast[i]!.z).toBeCloseTo(exact[i]!.z, 9)
    }
    // The marked clips are found (not a comparison of two failures).
    for (const f of fast.slice(0, 6)) expect(f.z).toBeGreaterThan(5.5)
  })
})
