import { describe, expect, it } from 'vitest'
import { Fft } from './fft.ts'
import { resampleInto } from './resample.ts'
import { lcg } from './testing/audio.ts'

describe('Fft', () => {
  it('matches a direct DFT and inverts exactly', () => {
    for (const n of [4, 8, 64, 512]) {
      const random = lcg(n)
      const re = Float64Array.from({ length: n }, random)
      const im = Float64Array.from({ length: n }, random)
      const [r0, i0] = [Float64Array.from(re), Float64Array.from(im)]
      new Fft(n).transform(re, im)
      for (let k = 0; k < n; k++) {
        let sr = 0
        let si = 0
        for (let t = 0; t < n; t++) {
          const a = (-2 * Math.PI * k * t) / n
          sr += r0[t]! * Math.cos(a) - i0[t]! * Math.sin(a)
          si += r0[t]! * Math.sin(a) + i0[t]! * Math.cos(a)
        }
        expect(re[k]).toBeCloseTo(sr, 9)
        expect(im[k]).toBeCloseTo(si, 9)
      }
      new Fft(n).transform(re, im, true)
      re.forEach((v, t) => expect(v).toBeCloseTo(r0[t]!, 12))
    }
  })
})

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
