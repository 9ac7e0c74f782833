import { describe, expect, it } from 'vitest'
import { detectWatermark, MIN_DETECT_SECONDS } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { resampledLength } from '../lib/dsp/resample.ts'
import { resampleBand } from './band.ts'
import { musicLike } from './testing/audio.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'test-key'
const ID = '0123456789abcdef'

function snrDb(original: readonly Float32Array[], marked: readonly Float32Array[]): number {
  let signal = 0
  let noise = 0
  original.forEach((c, i) =>
    c.forEach((v, j) => {
      signal += v * v
      noise += (marked[i]![j]! - v) ** 2
    }),
  )
  return 10 * Math.log10(signal / noise)
}

// 25 s at load 3: each unmarked read pays for the whole speed and tempo search.
describe('embedWatermark', { timeout: 120_000 }, () => {
  it('round-trips mono and stereo at 22.05, 44.1, 48 and 96 kHz, inaudibly and without touching the input', () => {
    const cases: [number, number][] = [
      [22050, 1],
      [44100, 2],
      [48000, 2],
      [96000, 1],
    ]
    for (const [rate, count] of cases) {
      const input = Array.from({ length: count }, (_, c) => musicLike(16, rate, 3 + c))
      const copies = input.map((c) => Float32Array.from(c))
      const marked = embedWatermark(input, rate, ID, KEY)
      expect(input).toEqual(copies)
      expect(marked).toHaveLength(count)
      expect(snrDb(input, marked)).toBeGreaterThan(30)
      expect(detectWatermark(marked, rate, KEY)).toMatchObject({ found: true, payload: ID })
      expect(detectWatermark(input, rate, KEY).found).toBe(false)
    }
  })

  it('answers where the first whole block starts, reads 16 kHz copies, and refuses the wrong key', () => {
    const input = [musicLike(20, 44100, 9)]
    const marked = embedWatermark(input, 44100, 'ffffffff00000000', KEY)
    const found = detectWatermark(marked, 44100, KEY)
    expect(found).toMatchObject({ found: true, payload: 'ffffffff00000000', offsetSeconds: 0 })
    if (found.found) expect(found.confidence).toBeGreaterThan(0.5)
    const narrow = new Float32Array(resampledLength(marked[0]!.length, 44100, 16000))
    resampleBand(marked[0]!, 44100, 16000, narrow)
    expect(detectWatermark([narrow], 16000, KEY)).toMatchObject({ found: true })
    expect(() => detectWatermark([narrow], 8000, KEY)).toThrow(/sample rate/)
    expect(detectWatermark(marked, 44100, 'test-kez').found).toBe(false)
    expect(detectWatermark(marked, 44100, 'another key entirely').found).toBe(false)
  })

  it('adds nothing to silence, and scales with the signal (no fixed noise floor)', () => {
    const silent = new Float32Array(44100 * 3)
    expect(embedWatermark([silent], 48000, ID, KEY)).toEqual([silent])
    expect(embedWatermark([silent, silent], 44100, ID, KEY)).toEqual([silent, silent])
    const loud = musicLike(10, 44100, 5)
    const quiet = loud.map((v) => v * 0.001)
    const [markedLoud] = embedWatermark([loud], 44100, ID, KEY)
    const [markedQuiet] = embedWatermark([quiet], 44100, ID, KEY)
    const rms = (a: Float32Array, b: Float32Array) =>
      Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length)
    expect(rms(markedQuiet!, quiet) / rms(markedLoud!, loud)).toBeCloseTo(0.001, 4)
  })

  it('says how short a clip it can read', () => {
    expect(MIN_DETECT_SECONDS).toBeGreaterThan(7.4)
    expect(MIN_DETECT_SECONDS).toBeLessThanOrEqual(10)
    expect(detectWatermark([new Float32Array(1000)], 44100, KEY)).toEqual({
      found: false,
      confidence: 0,
    })
  })

  it('refuses a payload that is not 64 bits of hex', () => {
    for (const payload of ['', '0123456789abcde', '0123456789ABCDEF', '0123456789abcdefa', 'xyz'])
      expect(() => embedWatermark([new Float32Array(8)], 44100, payload, KEY)).toThrow(
        /16 lowercase/,
      )
  })

  it('refuses ragged channels, no channels, a bad sample rate and no key', () => {
    expect(() => embedWatermark([], 44100, ID, KEY)).toThrow(RangeError)
    expect(() =>
      embedWatermark([new Float32Array(4), new Float32Array(5)], 44100, ID, KEY),
    ).toThrow(/same length/)
    expect(() => embedWatermark([new Float32Array(4)], 0, ID, KEY)).toThrow(/sample rate/)
    expect(() => embedWatermark([new Float32Array(4)], 8000, ID, KEY)).toThrow(/sample rate/)
    expect(() => embedWatermark([new Float32Array(4)], 44100, ID, '')).toThrow(/key/)
  })
})
