import { describe, expect, it } from 'vitest'
import { SILENCE_FLOOR_DB, levelsFrom } from './levels.ts'

describe('levelsFrom', () => {
  it('measures a full-scale sine at 0 dBFS peak and -3.01 dBFS RMS', () => {
    const pcm = new Float32Array(48000)
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.sin((2 * Math.PI * 1000 * i) / 48000)
    const { peakDbfs, rmsDbfs } = levelsFrom([pcm, pcm])
    expect(peakDbfs).toBeCloseTo(0, 2)
    expect(rmsDbfs).toBeCloseTo(-3.01, 1)
  })

  it('halving the amplitude lowers both by 6.02 dB', () => {
    const pcm = new Float32Array(1000).fill(0.5)
    expect(levelsFrom([pcm])).toEqual({ peakDbfs: -6.02, rmsDbfs: -6.02 })
  })

  it('reports silence at the floor', () => {
    expect(levelsFrom([new Float32Array(10)])).toEqual({
      peakDbfs: SILENCE_FLOOR_DB,
      rmsDbfs: SILENCE_FLOOR_DB,
    })
  })
})
