// A sample of the false-positive sweep (false-positives.soak.test.ts, in the soak project, checks
// 200 clips including the raw stems): 10 clips of noise, silence and audio marked under another key.
// Every unmarked clip pays for the whole speed and tempo search (about 0.35 s of CPU for 9 s).
import { describe, expect, it } from 'vitest'
import { SWEEP_KINDS, falsePositivesIn, sweepClips, unmarkedClips } from './testing/unmarked.ts'

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

  // A sample of bench:watermark-sweep (2 000 clips): two of each generated kind, speed and tempo search on.
  it('finds nothing in 18 clips of music-like, piano, guitar and sub-bass pieces, noise and silence', () => {
    const all = [...sweepClips(2 * SWEEP_KINDS.length)]
    expect(new Set(all.map((c) => c.kind)).size).toBe(SWEEP_KINDS.length)
    expect(falsePositivesIn(all, KEY)).toEqual([])
  })
})
