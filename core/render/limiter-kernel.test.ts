import { describe, expect, test } from 'vitest'
import { LimiterKernel } from './limiter-kernel.ts'

const RATE = 48_000
const CEILING = 10 ** (-1 / 20)

function run(kernel: LimiterKernel, left: Float32Array, right: Float32Array, enabled = true) {
  const outL = new Float32Array(left.length)
  const outR = new Float32Array(right.length)
  for (let from = 0; from < left.length; from += 128) {
    const to = Math.min(left.length, from + 128)
    kernel.processBlock(left, right, outL, outR, from, to, CEILING, enabled)
  }
  return [outL, outR] as const
}

function noise(length: number, amplitude: number, seed: number): Float32Array {
  let s = seed
  return Float32Array.from({ length }, () => {
    s = (s * 16807) % 2147483647
    return (s / 2147483647 - 0.5) * 2 * amplitude
  })
}

const peak = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)

describe('LimiterKernel', () => {
  test('keeps every sample at or under the ceiling, whatever the input', () => {
    const length = RATE
    const left = noise(length, 8, 1)
    const right = noise(length, 3, 2)
    left.set([40, -40, 0, 25], 5000) // isolated spikes
    const [outL, outR] = run(new LimiterKernel(RATE, 0.005), left, right)
    expect(peak(outL)).toBeLessThanOrEqual(CEILING)
    expect(peak(outR)).toBeLessThanOrEqual(CEILING)
  })

  test('under the ceiling it is a pure delay of `lookahead` samples', () => {
    const kernel = new LimiterKernel(RATE, 0.005)
    const left = noise(RATE / 4, 0.5, 3)
    const right = noise(RATE / 4, 0.5, 4)
    const [outL, outR] = run(kernel, left, right)
    const n = kernel.lookahead
    expect(n).toBe(240)
    expect(outL.subarray(n)).toEqual(left.subarray(0, left.length - n))
    expect(outR.subarray(n)).toEqual(right.subarray(0, right.length - n))
    expect(peak(outL.subarray(0, n))).toBe(0)
  })

  test('gain reduction is gradual: a step is ramped over the lookahead, not clipped', () => {
    const kernel = new LimiterKernel(RATE, 0.005)
    const step = Float32Array.from({ length: 4800 }, (_, i) => (i < 2400 ? 0.5 : 2))
    const [out] = run(kernel, step, step)
    const n = kernel.lookahead
    // quiet input is untouched until the gain starts ramping, one lookahead before the step
    expect(out[2399]).toBe(0.5)
    // halfway down the ramp: the gain is the mean of 1 and the needed 0.446
    expect(out[2400 + n / 2]!).toBeCloseTo((0.5 * (1 + CEILING / 2)) / 2, 2)
    // the loud half comes out at the ceiling
    expect(out[2400 + n + 100]).toBeCloseTo(CEILING, 5)
  })

  test('disabled, it passes loud audio delayed and untouched', () => {
    const kernel = new LimiterKernel(RATE, 0.005)
    const loud = noise(2048, 4, 5)
    const [out] = run(kernel, loud, loud, false)
    expect(out.subarray(kernel.lookahead)).toEqual(loud.subarray(0, loud.length - kernel.lookahead))
  })
})
