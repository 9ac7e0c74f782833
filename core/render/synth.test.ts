import { describe, expect, test } from 'vitest'
import type { GeneratedPart } from '../music/part.ts'
import { PartVoice } from './synth.ts'
import { RATE, amplitudeAt, recipeOf, render } from './testing/signals.ts'

const partOf = (instrument: GeneratedPart['instrument'], notes: GeneratedPart['notes']) =>
  ({
    id: 'g',
    kind: 'counterMelody',
    instrument,
    notes,
    gainDb: 0,
    pan: 0,
    muted: false,
    sourceStems: ['a'],
    aiAction: 'ai',
  }) satisfies GeneratedPart

const play = (part: GeneratedPart, seconds: number, block = 4096) => {
  const voice = new PartVoice(part, 120, RATE)
  const out = new Float32Array(Math.round(seconds * RATE))
  const tmp = new Float32Array(block)
  for (let at = 0; at < out.length; at += block) {
    const n = Math.min(block, out.length - at)
    tmp.fill(0)
    voice.render(at, n, tmp)
    out.set(tmp.subarray(0, n), at)
  }
  return out
}

describe('generated part instruments', () => {
  test('a pluck A4 at beat 1 (120 BPM) starts at 0.5 s, is 440 Hz, envelope as Tone’s', () => {
    const out = play(partOf('pluck', [{ time: 1, duration: 2, midi: 69, velocity: 0.8 }]), 2.5)
    const start = 0.5 * RATE
    expect(out.subarray(0, start).every((v) => v === 0)).toBe(true)
    expect(out[start + 10]).not.toBe(0)
    // a triangle: the fundamental is 8/π² of the (unit) peak; at sustain 0.15 × velocity
    const sustain = amplitudeAt(out, 440, start + 0.6 * RATE, start + 0.9 * RATE)
    expect(sustain / (0.8 * 0.15 * (8 / Math.PI ** 2))).toBeCloseTo(1, 1)
    expect(amplitudeAt(out, 880, start + 0.6 * RATE, start + 0.9 * RATE)).toBeLessThan(1e-3)
    // released at 1.5 s, silent 0.3 s later
    expect(out.subarray(1.81 * RATE).every((v) => v === 0)).toBe(true)
  })

  test('a bass square is band-limited: odd harmonics only, none folded back', () => {
    const out = play(partOf('bass', [{ time: 0, duration: 2, midi: 45, velocity: 1 }]), 1)
    const f = 110
    const a1 = amplitudeAt(out, f, 0.3 * RATE, 0.9 * RATE)
    expect(amplitudeAt(out, 3 * f, 0.3 * RATE, 0.9 * RATE) / a1).toBeCloseTo(1 / 3, 2)
    expect(amplitudeAt(out, 2 * f, 0.3 * RATE, 0.9 * RATE) / a1).toBeLessThan(1e-3)
    // 201 × 110 Hz = 22110 Hz is above Nyquist and must be absent (it would alias to 21990 Hz)
    expect(amplitudeAt(out, RATE - 201 * f, 0.3 * RATE, 0.9 * RATE)).toBeLessThan(1e-4)
  })

  test('every instrument renders the same at any block size', () => {
    for (const instrument of ['pluck', 'pad', 'bell', 'lead', 'bass'] as const) {
      const part = partOf(instrument, [
        { time: 0, duration: 0.5, midi: 60, velocity: 0.7 },
        { time: 0.5, duration: 1, midi: 64, velocity: 0.5 },
      ])
      const a = play(part, 1.5, 4096)
      const b = play(part, 1.5, 128)
      expect(a).toEqual(b)
      expect(a.some((v) => v !== 0)).toBe(true)
      expect(a.every(Number.isFinite)).toBe(true)
    }
  })

  test('the renderer mixes a part in, unless muted or a track is soloed', async () => {
    const part = partOf('lead', [{ time: 0, duration: 1, midi: 69, velocity: 1 }])
    const aiActions = [
      {
        id: 'ai',
        tool: 't',
        version: '1',
        provider: 'p',
        parameters: {},
        appliedAt: '2026-12-01T00:00:00Z',
      },
    ]
    const tracks = [{ id: 't', stem: 'none', regions: [] }]
    const [heard] = await render(recipeOf({ tracks, generatedParts: [part], aiActions }), {})
    expect(amplitudeAt(heard, 440, 0.1 * RATE, 0.4 * RATE)).toBeGreaterThan(0.1)
    const muted = { ...part, muted: true }
    const [m] = await render(recipeOf({ tracks, generatedParts: [muted], aiActions }), {})
    expect(m.every((v) => v === 0)).toBe(true)
    const solo = [{ ...tracks[0]!, soloed: true }]
    const [s] = await render(recipeOf({ tracks: solo, generatedParts: [part], aiActions }), {})
    expect(s.every((v) => v === 0)).toBe(true)
  })
})
