import { describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { TruePeakMeter, truePeakOf } from './true-peak.ts'

/** Every point of the 4× windowed-sinc interpolation, computed without skipping any (the definition). */
function bruteForceDbtp(pcm: Float32Array): number {
  let peak = 0
  for (const x of pcm) peak = Math.max(peak, Math.abs(x))
  for (let p = 1; p < 4; p++)
    for (let i = 0; i < pcm.length; i++) {
      let y = 0
      for (let k = 0; k < 24; k++) {
        const t = k - 11 - p / 4
        const w = (t + 12) / 24
        const blackman = 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w)
        const at = i - 11 + k
        if (at >= 0 && at < pcm.length)
          y += (Math.sin(Math.PI * t) / (Math.PI * t)) * blackman * pcm[at]!
      }
      peak = Math.max(peak, Math.abs(y))
    }
  return 20 * Math.log10(peak)
}

const uniform = seededRandom(11)
const random = () => uniform() * 2 - 1

describe('TruePeakMeter', () => {
  const signals: [string, Float32Array][] = [
    ['noise', Float32Array.from({ length: 20000 }, () => 0.8 * random())],
    // A quarter of the sample rate at 45°: every sample at 0.707 of the true peak (+3 dB between).
    [
      'fs/4',
      Float32Array.from(
        { length: 5000 },
        (_, i) => 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4),
      ),
    ],
    [
      'alternating',
      Float32Array.from({ length: 3001 }, (_, i) => (i % 2 ? 0.3 : -0.3) + 0.01 * random()),
    ],
    ['short', Float32Array.from({ length: 7 }, () => random())],
    // Whole blocks under the peak found so far, then a burst at a quarter of the rate whose
    // samples stay under it (0.28) but whose true peak (0.40) is over it: only its points count.
    [
      'a bass note with a quieter burst that peaks between samples',
      Float32Array.from({ length: 96000 }, (_, i) => {
        const bass = 0.3 * Math.sin((2 * Math.PI * 60 * i) / 48000) + 0.005 * random()
        return i >= 70000 && i < 70040 ? 0.4 * Math.sin((Math.PI / 2) * i + Math.PI / 4) : bass
      }),
    ],
    [
      'a crescendo of noise over a tone',
      Float32Array.from(
        { length: 48000 },
        (_, i) => (i / 48000) * (0.5 * Math.sin((2 * Math.PI * 997 * i) / 48000) + 0.3 * random()),
      ),
    ],
  ]

  it.each(signals)('finds every inter-sample peak of %s, in any block sizes', (_, pcm) => {
    const expected = bruteForceDbtp(pcm)
    expect(truePeakOf(pcm, 48000)).toBeCloseTo(expected, 9)
    const meter = new TruePeakMeter(48000)
    for (let at = 0; at < pcm.length;) {
      const n = 1 + Math.floor(Math.abs(random()) * 700)
      meter.add(pcm.subarray(at, Math.min(pcm.length, at + n)))
      at += n
    }
    expect(meter.finish()).toBeCloseTo(expected, 9)
  })

  it('reads a sine at a quarter of the rate 3 dB over its samples, and silence as no peak', () => {
    const pcm = signals[1]![1]
    expect(20 * Math.log10(0.5 * Math.SQRT1_2)).toBeCloseTo(-9.03, 2) // the sample peak
    // The true peak, −6.02 dBTP, to within the interpolator's ripple.
    expect(Math.abs(truePeakOf(pcm, 48000) + 6.02)).toBeLessThan(0.15)
    expect(truePeakOf(new Float32Array(1000), 48000)).toBe(-Infinity)
  })
})
