import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'

const KEY = 'test-key'

/** A music-like test signal: decaying harmonics with slow tremolo plus a little coloured noise. */
function music(seconds: number, rate: number, seed = 1): Float32Array {
  let s = seed
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296
  const out = new Float32Array(Math.floor(seconds * rate))
  const notes = [110, 220, 330, 440, 554, 660, 880, 1320, 1760, 2640]
  let noise = 0
  for (let i = 0; i < out.length; i++) {
    const t = i / rate
    let v = 0
    for (let k = 0; k < notes.length; k++)
      v +=
        (0.3 / (k + 1)) *
        Math.sin(2 * Math.PI * notes[k]! * t * (1 + 0.01 * Math.floor(t * 2 + k))) *
        (0.5 + 0.5 * Math.sin(t * (k + 1)))
    noise = 0.7 * noise + 0.3 * (random() - 0.5)
    out[i] = 0.3 * v + 0.05 * noise
  }
  return out
}

describe('embedWatermark', () => {
  it('marks a signal so that detection answers its payload, and leaves the input untouched', () => {
    const x = music(20, 44100)
    const copy = Float32Array.from(x)
    const [y] = embedWatermark([x], 44100, '0123456789abcdef', KEY)
    expect(x).toEqual(copy)
    const found = detectWatermark([y!], 44100, KEY)
    expect(found).toMatchObject({ found: true, payload: '0123456789abcdef' })
    expect(detectWatermark([y!], 44100, 'another-key').found).toBe(false)
    expect(detectWatermark([x], 44100, KEY).found).toBe(false)
  })

  it('leaves silence silent, mono and stereo', () => {
    const silent = new Float32Array(44100 * 3)
    expect(embedWatermark([silent], 48000, 'ffffffffffffffff', KEY)).toEqual([silent])
    expect(embedWatermark([silent, silent], 44100, 'ffffffffffffffff', KEY)).toEqual([
      silent,
      silent,
    ])
  })

  it('refuses a payload that is not 64 bits of hex', () => {
    for (const payload of ['', '0123456789abcde', '0123456789ABCDEF', '0123456789abcdefa', 'xyz'])
      expect(() => embedWatermark([new Float32Array(8)], 44100, payload, KEY)).toThrow(
        /16 lowercase/,
      )
  })

  it('refuses ragged channels, no channels, a bad sample rate and no key', () => {
    const id = '0123456789abcdef'
    expect(() => embedWatermark([], 44100, id, KEY)).toThrow(RangeError)
    expect(() =>
      embedWatermark([new Float32Array(4), new Float32Array(5)], 44100, id, KEY),
    ).toThrow(/same length/)
    expect(() => embedWatermark([new Float32Array(4)], 0, id, KEY)).toThrow(/sample rate/)
    expect(() => embedWatermark([new Float32Array(4)], 44100, id, '')).toThrow(/key/)
  })
})
