// A sample of the false-positive sweep (false-positives.soak.test.ts, in the soak project, checks
// 200 clips including the raw stems): 20 clips of noise, silence and audio marked under another key.
import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { unmarkedClips } from './testing/unmarked.ts'

const KEY = 'false-positive-key'

const clips = () =>
  unmarkedClips({
    white: 5,
    pink: 5,
    silence: 1,
    nearSilence: 4,
    otherKeys: { keys: 1, perKey: 5, seconds: 25 },
  })

describe('detectWatermark on unmarked audio (sample)', { timeout: 300_000 }, () => {
  it('finds nothing in 20 clips of white and pink noise, silence and another key', () => {
    const all = clips()
    expect(all.length).toBe(20)
    const falsePositives = all
      .map(({ kind, pcm }) => ({
        kind,
        result: detectWatermark(pcm.channels, pcm.sampleRate, KEY),
      }))
      .filter(({ result }) => result.found)
    expect(falsePositives).toEqual([])
  })
})
