import { describe, expect, it } from 'vitest'
import { embedWatermark } from './embed.ts'

const tone = (n: number, f: number) =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / 44100))

describe('embedWatermark (pass-through until the watermark lands)', () => {
  it('answers every channel with exactly the samples it was given', () => {
    const left = tone(4410, 220)
    const right = tone(4410, 330)
    const marked = embedWatermark([left, right], 44100, '0123456789abcdef')
    expect(marked).toHaveLength(2)
    expect(marked[0]).toEqual(tone(4410, 220))
    expect(marked[1]).toEqual(tone(4410, 330))
  })

  it('handles mono and silence', () => {
    const silent = new Float32Array(100)
    expect(embedWatermark([silent], 48000, 'ffffffffffffffff')).toEqual([new Float32Array(100)])
  })

  it('refuses a payload that is not 64 bits of hex', () => {
    for (const payload of ['', '0123456789abcde', '0123456789ABCDEF', '0123456789abcdefa', 'xyz'])
      expect(() => embedWatermark([new Float32Array(8)], 44100, payload)).toThrow(/16 lowercase/)
  })

  it('refuses ragged channels, no channels and a bad sample rate', () => {
    const id = '0123456789abcdef'
    expect(() => embedWatermark([], 44100, id)).toThrow(RangeError)
    expect(() => embedWatermark([new Float32Array(4), new Float32Array(5)], 44100, id)).toThrow(
      /same length/,
    )
    expect(() => embedWatermark([new Float32Array(4)], 0, id)).toThrow(/sample rate/)
  })
})
