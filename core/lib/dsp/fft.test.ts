import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random.ts'
import { Fft, RealFft } from './fft.ts'

function naivePower(x: Float32Array): Float64Array {
  const n = x.length
  const out = new Float64Array(n / 2 + 1)
  for (let k = 0; k <= n / 2; k++) {
    let re = 0
    let im = 0
    for (let t = 0; t < n; t++) {
      re += x[t]! * Math.cos((2 * Math.PI * k * t) / n)
      im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n)
    }
    out[k] = re * re + im * im
  }
  return out
}

describe('RealFft', () => {
  it('matches a direct DFT on random input', () => {
    for (const size of [8, 64, 512]) {
      const x = new Float32Array(size)
      const random = seededRandom(7)
      for (let i = 0; i < size; i++) x[i] = random() - 0.5
      const out = new Float32Array(size / 2 + 1)
      new RealFft(size).power(x, 0, new Float32Array(size).fill(1), out)
      const want = naivePower(x)
      for (let k = 0; k <= size / 2; k++) expect(out[k]!).toBeCloseTo(want[k]!, 2)
    }
  })

  it('zero-pads past either end of the input', () => {
    const x = Float32Array.from([1, 2, 3])
    const out = new Float32Array(5)
    new RealFft(8).power(x, -2, new Float32Array(8).fill(1), out)
    expect(out[0]).toBeCloseTo(36, 4)
  })
})

describe('Fft', () => {
  it('matches a direct DFT and inverts exactly', () => {
    for (const n of [2, 4, 8, 64, 512]) {
      const random = seededRandom(n)
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
