import { describe, expect, it } from 'vitest'
import { PeaksSchema, peaksFrom } from './peaks.ts'

describe('peaksFrom', () => {
  it('takes the largest absolute sample of each bucket, per channel', () => {
    const left = new Float32Array([0.1, -0.5, 0.2, 0.3, -0.9, 0.05, 0.25])
    const right = new Float32Array([0, 0, 0, 0, 0, 0, 1])
    const peaks = peaksFrom([left, right], 44100, 3)
    expect(peaks.length).toBe(7)
    expect(peaks.channels[0]).toEqual([0.5, 0.9, 0.25])
    expect(peaks.channels[1]).toEqual([0, 0, 1])
    expect(PeaksSchema.parse(peaks)).toEqual(peaks)
  })

  it('clamps overs to 1 and rounds to thousandths', () => {
    const peaks = peaksFrom([new Float32Array([1.7, 0.12345])], 48000, 1)
    expect(peaks.channels[0]).toEqual([1, 0.123])
  })

  it('follows the envelope of a sine burst', () => {
    const rate = 8000
    const pcm = new Float32Array(rate)
    for (let i = rate / 2; i < rate; i++) pcm[i] = 0.8 * Math.sin((2 * Math.PI * 440 * i) / rate)
    const { channels } = peaksFrom([pcm], rate, 400)
    expect(channels[0]!.slice(0, 10).every((p) => p === 0)).toBe(true)
    expect(channels[0]!.slice(10).every((p) => p > 0.79 && p <= 0.8)).toBe(true)
  })

  it('rejects channels of different lengths and bad bucket sizes', () => {
    expect(() => peaksFrom([new Float32Array(4), new Float32Array(5)], 44100, 2)).toThrow(
      RangeError,
    )
    expect(() => peaksFrom([new Float32Array(4)], 44100, 0)).toThrow(RangeError)
    expect(() => peaksFrom([], 44100)).toThrow(RangeError)
  })
})
