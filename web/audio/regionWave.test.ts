import { describe, expect, it } from 'vitest'
import { regionPeaksFrom } from './regionWave.ts'

const peaks = {
  version: 1 as const,
  sampleRate: 100,
  samplesPerPeak: 10,
  length: 100,
  channels: [[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]],
}

describe('regionPeaksFrom', () => {
  it('slices the source span of the region', () => {
    expect(regionPeaksFrom(peaks, { offset: 0.2, duration: 0.3, rate: 1, loops: 1 })).toEqual([
      [0.2, 0.3, 0.4],
    ])
  })

  it('reads duration × rate source seconds and repeats per loop', () => {
    expect(regionPeaksFrom(peaks, { offset: 0.5, duration: 0.1, rate: 2, loops: 2 })).toEqual([
      [0.5, 0.6, 0.5, 0.6],
    ])
  })
})
