import { describe, expect, it } from 'vitest'
import { resampleInto } from './resample.ts'

describe('resampleInto', () => {
  it('keeps a 3 kHz tone’s level and phase from 48 kHz to 22.05 kHz', () => {
    const input = Float32Array.from({ length: 48000 }, (_, i) =>
      Math.sin((2 * Math.PI * 3000 * i) / 48000),
    )
    const out = resampleInto(input, 48000, 22050, 11000, 9000, new Float32Array(22050))
    for (let n = 1000; n < 21000; n += 97)
      expect(out[n]).toBeCloseTo(Math.sin((2 * Math.PI * 3000 * n) / 22050), 2)
  })
})

describe('resampleInto upwards', () => {
  it('keeps a 1 kHz tone’s level and phase from 22.05 kHz to 48 kHz', () => {
    const input = Float32Array.from({ length: 22050 }, (_, i) =>
      Math.sin((2 * Math.PI * 1000 * i) / 22050),
    )
    const out = resampleInto(input, 22050, 48000, 9000, 4000, new Float32Array(48000))
    for (let n = 2000; n < 46000; n += 101)
      expect(out[n]).toBeCloseTo(Math.sin((2 * Math.PI * 1000 * n) / 48000), 2)
  })
})
