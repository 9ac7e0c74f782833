import { describe, expect, it } from 'vitest'
import { blackman, hannInto, hannWindow, lowpassTap } from './window.ts'

describe('hannWindow', () => {
  it('is periodic: zero at the start, one at the middle, symmetric about it', () => {
    const w = hannWindow(8)
    const expected = [0, 0.1464466, 0.5, 0.8535534, 1, 0.8535534, 0.5, 0.1464466]
    expect(w).toHaveLength(8)
    expected.forEach((v, i) => expect(w[i]).toBeCloseTo(v, 6))
  })

  it('fills a Float64Array with the values the Float32 window rounds', () => {
    const wide = hannInto(new Float64Array(1024))
    expect(wide[256]).toBeCloseTo(0.5, 15)
    expect(Float32Array.from(wide)).toEqual(hannWindow(1024))
  })
})

describe('lowpassTap', () => {
  it('windows with Blackman: one at the centre, zero from one half-width out', () => {
    expect(blackman(0)).toBeCloseTo(1, 12)
    expect([blackman(1), blackman(-1), blackman(1.5)]).toEqual([0, 0, 0])
    expect(blackman(0.5)).toBeCloseTo(0.34, 12)
    expect(lowpassTap(10, 0.5, 10)).toBe(0)
  })

  it('gives a normalised low-pass that passes DC and stops the band above its cutoff', () => {
    const half = 40
    const taps = Array.from({ length: 2 * half + 1 }, (_, i) => lowpassTap(i - half, 0.5, half))
    const sum = taps.reduce((a, b) => a + b, 0)
    const gain = (f: number) =>
      Math.abs(taps.reduce((a, c, i) => a + c * Math.cos(Math.PI * f * (i - half)), 0) / sum)
    expect(gain(0)).toBeCloseTo(1, 12)
    expect(gain(0.2)).toBeCloseTo(1, 3)
    expect(gain(0.5)).toBeCloseTo(0.5, 2)
    expect(gain(0.8)).toBeLessThan(1e-4)
  })
})
