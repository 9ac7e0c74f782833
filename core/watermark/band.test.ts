import { describe, expect, it } from 'vitest'
import { halveBand, resampleBand } from './band.ts'

const tone = (hz: number, n: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 44100))
const rmsDb = (y: Float32Array) => {
  let sum = 0
  for (let i = 500; i < y.length - 500; i++) sum += y[i]! * y[i]!
  return 10 * Math.log10((2 * sum) / (y.length - 1000))
}

describe('halveBand', () => {
  it('keeps the watermark band as the general resampler does and stops what would alias into it', () => {
    for (const hz of [900, 3000, 6300]) {
      const x = tone(hz, 8820)
      const halved = halveBand(x, new Float32Array(4410))
      const general = resampleBand(x, 44100, 22050, new Float32Array(4410))
      expect(Math.abs(rmsDb(halved))).toBeLessThan(0.01)
      let diff = 0
      for (let i = 500; i < 3910; i++) diff = Math.max(diff, Math.abs(halved[i]! - general[i]!))
      expect(diff).toBeLessThan(1e-3)
    }
    // 15.75–21 kHz fold onto 6.3–1 kHz at 22.05 kHz.
    for (const hz of [15750, 18000, 21000]) {
      expect(rmsDb(halveBand(tone(hz, 8820), new Float32Array(4410)))).toBeLessThan(-70)
    }
  })

  it('reads zeros past both ends and writes ⌈n / 2⌉ samples', () => {
    const x = new Float32Array(7).fill(1)
    const out = halveBand(x, new Float32Array(4))
    expect(out[0]).toBeGreaterThan(0.5)
    expect(out[0]).toBeLessThan(1)
    expect(out[3]).toBeGreaterThan(0.5)
    expect(() => halveBand(x, new Float32Array(5))).toThrow(RangeError)
    expect(() => halveBand(x, new Float32Array(3))).toThrow(RangeError)
  })
})
