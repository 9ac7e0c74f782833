import { describe, expect, it } from 'vitest'
import { measureMarkability } from './markability.ts'
import {
  crop,
  decodeFile,
  guitarLike,
  musicLike,
  noiseBursts,
  pianoLike,
  sineBass,
  sineChord,
} from './test-audio.ts'

const RATE = 44100

describe('measureMarkability', { timeout: 300_000 }, () => {
  it('passes music with energy in the watermark band: the demo mix, music-like, piano and guitar', () => {
    const names = ['bass', 'drums', 'lead', 'pads', 'vox']
    const stems = names.map((n) => crop(decodeFile(`stems/audio/${n}.mp3`, 1), 30, 30))
    const mix = new Float32Array(stems[0]!.channels[0]!.length)
    for (const s of stems) s.channels[0]!.forEach((v, i) => (mix[i]! += 0.5 * v))
    for (const [name, audio] of [
      ['demo mix', mix],
      ['music-like', musicLike(30, RATE, 2)],
      ['piano-like', pianoLike(30, RATE, 3)],
      ['guitar-like', guitarLike(30, RATE, 4)],
    ] as const) {
      const verdict = measureMarkability([audio], RATE)
      expect(verdict, name).toMatchObject({ markable: true, excerpts: 3, readBack: 3 })
      expect(verdict.reason).toBeUndefined()
    }
  })

  it('flags a sine bass, a held chord of pure tones and silence, with a reason in words', () => {
    for (const [name, audio] of [
      ['sine bass', sineBass(30, RATE, 5)],
      ['chord', sineChord(30, RATE)],
    ] as const) {
      const verdict = measureMarkability([audio], RATE)
      expect(verdict.markable, name).toBe(false)
      expect(verdict.reason).toMatch(/too little energy/)
    }
    const silent = measureMarkability([new Float32Array(30 * RATE)], RATE)
    expect(silent).toMatchObject({
      markable: false,
      excerpts: 0,
      reason: expect.stringMatching(/silent/),
    })
  })

  it('gives a verdict on noise bursts either way, consistently for the same audio', () => {
    const bursts = noiseBursts(30, RATE, 6)
    const first = measureMarkability([bursts], RATE)
    expect(measureMarkability([bursts], RATE)).toEqual(first)
    expect(first.excerpts).toBe(3)
  })
})
