import { describe, expect, test } from 'vitest'
import { Biquad, biquadCoefficients, biquadMagnitude } from './biquad.ts'
import { FeedbackDelay, delaySecondsFrom } from './delay.ts'
import { DistortionKernel } from './distortion.ts'
import { CompressorKernel } from './dynamics.ts'
import { EQ3Kernel } from './effects.ts'
import { Fft } from '../lib/dsp/fft.ts'
import { PitchShiftKernel } from './pitch-shift.ts'
import { Convolver, reverbImpulse } from './reverb.ts'
import { RATE, amplitudeAt, sineOf } from './testing/signals.ts'

/** Runs a mono in-place processor over `input` in blocks of `block`. */
function runMono(
  p: { process(l: Float32Array, r: Float32Array, c: 1 | 2, n: number): 1 | 2 },
  input: Float32Array,
  block = 128,
): Float32Array {
  const out = new Float32Array(input.length)
  const l = new Float32Array(block)
  const r = new Float32Array(block)
  for (let at = 0; at < input.length; at += block) {
    const n = Math.min(block, input.length - at)
    l.set(input.subarray(at, at + n))
    p.process(l, r, 1, n)
    out.set(l.subarray(0, n), at)
  }
  return out
}

const impulse = (frames: number, at = 0) => {
  const a = new Float32Array(frames)
  a[at] = 1
  return a
}

function filterOf(mode: 'lowpass' | 'highpass' | 'bandpass', hz: number, q: number) {
  const b = new Biquad(biquadCoefficients(mode, hz, q, RATE))
  return {
    process(l: Float32Array, _r: Float32Array, c: 1 | 2, n: number): 1 | 2 {
      b.run(l, l, 0, n)
      return c
    },
  }
}

describe('biquad (Web Audio formulas)', () => {
  test('coefficients by hand: lowpass at fs/4, Q 0 dB', () => {
    // w0 = π/2: cos 0, sin 1, α = 1/2, a0 = 3/2
    const k = biquadCoefficients('lowpass', RATE / 4, 0, RATE)
    ;[1 / 3, 2 / 3, 1 / 3, 0, 1 / 3].forEach((v, i) => expect(k[i]).toBeCloseTo(v, 12))
    const bp = biquadCoefficients('bandpass', RATE / 4, 2, RATE)
    // α = 1/4, a0 = 5/4
    ;[0.2, 0, -0.2, 0, 0.6].forEach((v, i) => expect(bp[i]).toBeCloseTo(v, 12))
  })

  test('impulse response is the recursion of the coefficients; steps settle at the DC gain', () => {
    const k = biquadCoefficients('lowpass', 1000, 3, RATE)
    const h = runMono(filterOf('lowpass', 1000, 3), impulse(8))
    const [b0, b1, b2, a1, a2] = k
    const y0 = b0
    const y1 = b1 - a1 * y0
    const y2 = b2 - a1 * y1 - a2 * y0
    const y3 = -a1 * y2 - a2 * y1
    ;[y0, y1, y2, y3].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 7))
    const step = new Float32Array(RATE / 4).fill(1)
    expect(runMono(filterOf('lowpass', 1000, 3), step).at(-1)).toBeCloseTo(1, 5)
    expect(runMono(filterOf('highpass', 1000, 3), step).at(-1)).toBeCloseTo(0, 5)
    expect(runMono(filterOf('bandpass', 1000, 1), step).at(-1)).toBeCloseTo(0, 5)
  })

  test('a sine through each filter has the analytic magnitude response', () => {
    const cases = [
      ['lowpass', 1000, 6, 1000], // at cutoff: 10^(Q/20) = 2
      ['lowpass', 1000, 0, 4000],
      ['highpass', 2000, 1, 500],
      ['highpass', 2000, 1, 2000],
      ['bandpass', 1500, 4, 1500], // centre: unity
      ['bandpass', 1500, 4, 3000],
    ] as const
    for (const [mode, hz, q, probe] of cases) {
      const out = runMono(filterOf(mode, hz, q), sineOf(probe, 0.25, RATE / 2))
      const measured = amplitudeAt(out, probe, RATE / 4, RATE / 2) / 0.25
      const expected = biquadMagnitude(biquadCoefficients(mode, hz, q, RATE), probe, RATE)
      expect(measured / expected).toBeCloseTo(1, 3)
    }
    expect(biquadMagnitude(biquadCoefficients('lowpass', 1000, 6, RATE), 1000, RATE)).toBeCloseTo(
      10 ** (6 / 20),
      6,
    )
    expect(biquadMagnitude(biquadCoefficients('bandpass', 1500, 4, RATE), 1500, RATE)).toBeCloseTo(
      1,
      9,
    )
  })
})

describe('EQ3 (Tone.EQ3 topology)', () => {
  test('a sine comes out as the complex sum of the three bands times their gains', () => {
    const gains = { low: -12, mid: 6, high: -3 }
    const eq = new EQ3Kernel({ id: 'e', type: 'eq3', bypass: false, ...gains }, RATE)
    // the complex response of each biquad at f
    const response = (mode: 'lowpass' | 'highpass', hz: number, f: number) => {
      const [b0, b1, b2, a1, a2] = biquadCoefficients(mode, hz, 1, RATE)
      const w = (2 * Math.PI * f) / RATE
      const nr = b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w)
      const ni = -b1 * Math.sin(w) - b2 * Math.sin(2 * w)
      const dr = 1 + a1 * Math.cos(w) + a2 * Math.cos(2 * w)
      const di = -a1 * Math.sin(w) - a2 * Math.sin(2 * w)
      const d = dr * dr + di * di
      return [(nr * dr + ni * di) / d, (ni * dr - nr * di) / d] as const
    }
    const mul = (a: readonly [number, number], b: readonly [number, number]) =>
      [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]] as const
    for (const f of [100, 400, 1000, 2500, 8000]) {
      const g = (db: number) => 10 ** (db / 20)
      const lo = response('lowpass', 400, f)
      const mid = mul(response('highpass', 400, f), response('lowpass', 2500, f))
      const hi = response('highpass', 2500, f)
      const re = lo[0] * g(gains.low) + mid[0] * g(gains.mid) + hi[0] * g(gains.high)
      const im = lo[1] * g(gains.low) + mid[1] * g(gains.mid) + hi[1] * g(gains.high)
      const out = runMono(eq, sineOf(f, 0.2, RATE / 2))
      expect(amplitudeAt(out, f, RATE / 4, RATE / 2) / 0.2 / Math.hypot(re, im)).toBeCloseTo(1, 3)
    }
  })
})

describe('EQ3 folded into two sections', () => {
  test('its impulse response is the four filters of Tone.EQ3 summed', () => {
    const gains = { low: 6, mid: -9, high: 3 }
    const eq = new EQ3Kernel({ id: 'e', type: 'eq3', bypass: false, ...gains }, RATE)
    const frames = 4096
    const h = runMono(eq, impulse(frames))
    // the four filters of the topology, each run on its own, summed with the gains
    const run = (mode: 'lowpass' | 'highpass', hz: number, input: Float32Array) => {
      const out = new Float32Array(input.length)
      new Biquad(biquadCoefficients(mode, hz, 1, RATE)).run(input, out, 0, input.length)
      return out
    }
    const x = impulse(frames)
    const low = run('lowpass', 400, x)
    const mid = run('lowpass', 2500, run('highpass', 400, x))
    const high = run('highpass', 2500, x)
    const g = (db: number) => 10 ** (db / 20)
    let error = 0
    for (let i = 0; i < frames; i++) {
      const want = low[i]! * g(gains.low) + mid[i]! * g(gains.mid) + high[i]! * g(gains.high)
      error = Math.max(error, Math.abs(h[i]! - want))
    }
    expect(h[0]).not.toBe(0)
    expect(error).toBeLessThan(1e-6)
  })
})

describe('feedback delay', () => {
  test('a 1/8 at 120 BPM taps an impulse every 11025 frames, fading by the feedback', () => {
    const seconds = delaySecondsFrom('1/8', 120)
    expect(seconds).toBe(0.25)
    expect(delaySecondsFrom('1/8t', 100)).toBeCloseTo(0.2, 12)
    expect(delaySecondsFrom('1/4d', 60)).toBe(1.5)
    const wet = 0.4
    const d = new FeedbackDelay(seconds, 0.5, wet, RATE)
    const out = runMono(d, impulse(RATE))
    const dry = Math.cos((wet * Math.PI) / 2)
    const w = Math.sin((wet * Math.PI) / 2)
    expect(out[0]).toBeCloseTo(dry, 6)
    for (let k = 1; k <= 3; k++) expect(out[k * 11025]).toBeCloseTo(w * 0.5 ** (k - 1), 6)
    const others = out.filter((v, i) => i % 11025 !== 0 && v !== 0)
    expect(others.length).toBe(0)
  })

  test('a fractional delay interpolates linearly between the neighbouring frames', () => {
    const d = new FeedbackDelay(100.25 / RATE, 0, 1, RATE)
    const out = runMono(d, impulse(400))
    expect(out[100]).toBeCloseTo(0.75, 5)
    expect(out[101]).toBeCloseTo(0.25, 5)
  })
})

describe('compressor', () => {
  const settle = (kernel: CompressorKernel, level: number) => {
    const out = runMono(kernel, new Float32Array(RATE).fill(level))
    return out.at(-1)! / level
  }

  test('follows the static curve with the spec makeup gain; delays by 6 ms', () => {
    const kernel = new CompressorKernel(RATE, -24, 4, 0.003, 0.1)
    const makeup = -0.6 * kernel.curveDb(0)
    // above the knee: y = T + K(1 + 1/R)/2 + (x − T − K)/R
    expect(kernel.curveDb(12)).toBeCloseTo(-24 + 15 * 1.25 + (12 + 24 - 30) / 4, 9)
    // in the knee: x + (1/R − 1)(x − T)²/(2K)
    expect(kernel.curveDb(-14)).toBeCloseTo(-14 + (-0.75 * 100) / 60, 9)
    expect(kernel.curveDb(-30)).toBe(-30)
    const x = 20 * Math.log10(0.5)
    const expected = 10 ** ((kernel.curveDb(x) - x + makeup) / 20)
    expect(settle(kernel, 0.5)).toBeCloseTo(expected, 4)
    const quiet = new CompressorKernel(RATE, -24, 4, 0.003, 0.1)
    expect(settle(quiet, 0.01)).toBeCloseTo(10 ** (makeup / 20), 4)
    const delayed = runMono(new CompressorKernel(RATE, -24, 4, 0.003, 0.1), impulse(1000, 10))
    const at = delayed.findIndex((v) => v !== 0)
    expect(at).toBe(10 + Math.round(0.006 * RATE))
  })

  test('attacks and releases with its time constants', () => {
    const kernel = new CompressorKernel(RATE, -40, 20, 0.01, 0.2)
    const loud = new Float32Array(RATE).fill(0.5)
    loud.fill(0.001, RATE / 2)
    const out = runMono(kernel, loud)
    const lag = Math.round(0.006 * RATE)
    const g = (i: number) => out[i + lag]! / loud[i]!
    // after one attack time constant ~63 % of the reduction (in dB) is applied
    const full = Math.log10(g(RATE / 2 - 1))
    const startDb = Math.log10(g(0))
    const oneTau = Math.log10(g(Math.round(0.01 * RATE)))
    expect((oneTau - startDb) / (full - startDb)).toBeCloseTo(1 - Math.exp(-1), 1)
    // release is slower: 50 ms after the drop most of the reduction is still there
    expect(g(RATE / 2 + Math.round(0.05 * RATE))).toBeLessThan(g(RATE - 1 - lag))
  })

  test('its gain is the exponential of the smoothed dB envelope, frame by frame', () => {
    const [threshold, ratio, attack, release] = [-30, 6, 0.002, 0.15]
    const kernel = new CompressorKernel(RATE, threshold, ratio, attack, release)
    // 20 s of a swelling and fading tone, with silences: attacks, releases and long settles
    const input = new Float32Array(20 * RATE).map((_, i) => {
      const t = i / RATE
      const level = t % 5 > 4 ? 0 : 0.9 * Math.abs(Math.sin(0.7 * t))
      return level * Math.sin(2 * Math.PI * 220 * t)
    })
    const out = runMono(kernel, input, 4096)
    // the envelope as the spec's terms define it, its gain computed exactly at every frame
    const a = 1 - Math.exp(-1 / (attack * RATE))
    const r = 1 - Math.exp(-1 / (release * RATE))
    const makeup = -0.6 * kernel.curveDb(0)
    const lag = Math.round(0.006 * RATE)
    let env = 0
    let worst = 0
    for (let i = 0; i < input.length; i++) {
      const peak = Math.abs(input[i]!)
      const x = peak > 0 ? 20 * Math.log10(peak) : -Infinity
      const target = x > threshold ? kernel.curveDb(x) - x : 0
      env += (target - env) * (target < env ? a : r)
      const gain = 10 ** ((env + makeup) / 20)
      const dry = i >= lag ? input[i - lag]! : 0
      if (Math.abs(dry) > 1e-3) worst = Math.max(worst, Math.abs(out[i]! / dry / gain - 1))
    }
    expect(worst).toBeLessThan(1e-6)
  })
})

describe('reverb', () => {
  test('the convolver equals direct convolution, whatever the block size', () => {
    const ir = reverbImpulse(0.3, RATE, 7) as [Float32Array, Float32Array]
    expect(ir[0].length).toBe(Math.round(0.31 * RATE))
    const input = Float32Array.from(
      { length: 20_000 },
      (_, i) => Math.sin(i * 0.37) * (i < 300 ? 1 : 0.1),
    )
    const run = (block: number) => {
      const c = new Convolver(ir[0], ir[1])
      const l = new Float32Array(input.length)
      const r = new Float32Array(input.length)
      const tl = new Float32Array(block)
      const tr = new Float32Array(block)
      for (let at = 0; at < input.length; at += block) {
        const n = Math.min(block, input.length - at)
        const x = input.subarray(at, at + n)
        c.process(x, x, tl, tr, n)
        l.set(tl.subarray(0, n), at)
        r.set(tr.subarray(0, n), at)
      }
      return [l, r]
    }
    // whole cells (from the spectra), pieces of cells (partition 0 tap by tap), and a mix of both
    const runs = [run(4096), run(128), run(1000), run(6000)]
    for (const [l, r] of runs)
      for (const probe of [0, 31, 100, 999, 4095, 4096, 6000, 8191, 8192, 12_288, 16_000, 19_999]) {
        let yl = 0
        let yr = 0
        for (let k = 0; k <= probe && k < ir[0].length; k++) {
          yl += ir[0][k]! * input[probe - k]!
          yr += ir[1][k]! * input[probe - k]!
        }
        expect(l![probe]).toBeCloseTo(yl, 5)
        expect(r![probe]).toBeCloseTo(yr, 5)
      }
    // the block size changes only the rounding
    for (const [l] of runs.slice(1)) {
      let worst = 0
      for (let i = 0; i < input.length; i++)
        worst = Math.max(worst, Math.abs(l![i]! - runs[0]![0]![i]!))
      expect(worst).toBeLessThan(1e-6)
    }
  })

  test('the impulse response is seeded, normalized as ConvolverNode does, and decays', () => {
    const a = reverbImpulse(1, RATE, 1)
    expect(reverbImpulse(1, RATE, 1)).toEqual(a)
    expect(reverbImpulse(1, RATE, 2)[0]).not.toEqual(a[0])
    const [l, r] = a as [Float32Array, Float32Array]
    // silent pre-delay, then noise; normalized: rms · 1 = 0.00125 · 44100/rate
    expect(l.subarray(0, 0.01 * RATE - 1).every((v) => v === 0)).toBe(true)
    let power = 0
    for (const ch of [l, r]) for (const v of ch) power += v * v
    expect(Math.sqrt(power / (2 * l.length))).toBeCloseTo(0.00125, 6)
    const energy = (from: number, to: number) => l.subarray(from, to).reduce((s, v) => s + v * v, 0)
    const tenth = Math.floor(l.length / 10)
    expect(energy(l.length - tenth, l.length)).toBeLessThan(1e-3 * energy(441, 441 + tenth))
  })
})

describe('distortion', () => {
  test('amount 0 is Tone’s curve x/3 (wet), with dry and wet aligned 15 frames late', () => {
    const k = new DistortionKernel(0, 1)
    const out = runMono(k, sineOf(200, 0.5, 4000))
    const expected = sineOf(200, 0.5, 4000)
    for (const i of [500, 1234, 3000]) expect(out[i]! * 3).toBeCloseTo(expected[i - 15]!, 3)
    const dryOnly = runMono(new DistortionKernel(0.8, 0), sineOf(200, 0.5, 4000))
    for (const i of [500, 1234]) expect(dryOnly[i]).toBeCloseTo(expected[i - 15]!, 6)
  })

  test('a strong amount adds odd harmonics and no aliasing near the top', () => {
    const out = runMono(new DistortionKernel(0.9, 1), sineOf(1000, 0.8, RATE / 2))
    const f1 = amplitudeAt(out, 1000, 2000, RATE / 2)
    expect(amplitudeAt(out, 3000, 2000, RATE / 2) / f1).toBeGreaterThan(0.1)
    expect(amplitudeAt(out, 2000, 2000, RATE / 2) / f1).toBeLessThan(1e-3)
  })
})

describe('pitch shift', () => {
  test('+12 moves a 440 Hz sine to 880 Hz, −12 to 220 Hz', () => {
    for (const [semitones, target] of [
      [12, 880],
      [-12, 220],
      [7, 440 * 2 ** (7 / 12)],
    ] as const) {
      const out = runMono(new PitchShiftKernel(RATE, semitones, 1), sineOf(440, 0.5, RATE))
      const at = amplitudeAt(out, target, RATE / 4, RATE)
      expect(at).toBeGreaterThan(0.3)
      expect(amplitudeAt(out, 440, RATE / 4, RATE)).toBeLessThan(at / 5)
    }
  })
})

test('FFT round trip and a known transform', () => {
  const fft = new Fft(8)
  const re = Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0])
  const im = new Float64Array(8)
  fft.transform(re, im)
  expect([...re]).toEqual(new Array(8).fill(1))
  const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8])
  const y = new Float64Array(8)
  fft.transform(x, y)
  expect(x[0]).toBe(36)
  fft.transform(x, y, true)
  x.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 12))
})
