import { describe, expect, it } from 'vitest'
import { TpdfDither } from './dither.ts'

const LSB = 1 / 32768

function dithered(seed: number, input: Float32Array[], block: number): Float32Array[] {
  const d = new TpdfDither(seed)
  const out = input.map((c) => new Float32Array(c.length))
  for (let at = 0; at < input[0]!.length; at += block) {
    const n = Math.min(block, input[0]!.length - at)
    d.process(
      input.map((c) => c.subarray(at, at + n)),
      out.map((c) => c.subarray(at, at + n)),
      n,
    )
  }
  return out
}

describe('TpdfDither', () => {
  const silence = [new Float32Array(40_000), new Float32Array(40_000)]

  it('adds triangular noise of at most ±1 LSB with mean 0 and variance LSB²/6', () => {
    const [left] = dithered(7, silence, 4096)
    let sum = 0
    let squares = 0
    for (const v of left!) {
      expect(Math.abs(v)).toBeLessThanOrEqual(LSB)
      sum += v
      squares += v * v
    }
    expect(Math.abs(sum / left!.length)).toBeLessThan(0.02 * LSB)
    expect(squares / left!.length / (LSB * LSB)).toBeCloseTo(1 / 6, 1)
  })

  it('is the same for a seed whatever the block size, and differs for another seed', () => {
    const a = dithered(7, silence, 4096)
    expect(dithered(7, silence, 1000)).toEqual(a)
    expect(dithered(8, silence, 4096)[0]).not.toEqual(a[0])
  })

  it('turns a level between two 16-bit steps into a mix of both that averages to it', () => {
    const level = 0.25 * LSB
    const input = [new Float32Array(40_000).fill(level)]
    const [out] = dithered(3, input, 4096)
    const steps = out!.map((v) => Math.round(v * 32768))
    const mean = steps.reduce((n, v) => n + v, 0) / steps.length
    expect(new Set(steps).size).toBeGreaterThan(1)
    expect(mean).toBeCloseTo(0.25, 1)
  })
})
