import { describe, expect, it } from 'vitest'
import { GeneratedPartSchema, partEnd, secondsFromBeats } from './part.ts'

const part = {
  id: 'gen-1',
  kind: 'arpeggio',
  instrument: 'pluck',
  notes: [{ time: 0, duration: 0.5, midi: 60, velocity: 0.7 }],
  sourceStems: ['keys'],
  aiAction: 'ai-1',
}

describe('GeneratedPartSchema', () => {
  it('fills mix defaults and keeps the notes', () => {
    expect(GeneratedPartSchema.parse(part)).toEqual({ ...part, gainDb: -6, pan: 0, muted: false })
  })

  it.each([
    ['an unknown kind', { kind: 'drums' }],
    ['an unknown instrument', { instrument: 'theremin' }],
    ['no notes', { notes: [] }],
    ['a MIDI pitch out of range', { notes: [{ time: 0, duration: 1, midi: 128, velocity: 1 }] }],
    ['a negative time', { notes: [{ time: -1, duration: 1, midi: 60, velocity: 1 }] }],
    ['no source stems', { sourceStems: [] }],
    ['a bad AI action id', { aiAction: 'a b' }],
  ])('refuses %s', (_, change) => {
    expect(GeneratedPartSchema.safeParse({ ...part, ...change }).success).toBe(false)
  })

  it('converts beats and finds the end', () => {
    expect(secondsFromBeats(8, 120)).toBe(4)
    expect(
      partEnd({
        notes: [
          { time: 2, duration: 1.5, midi: 60, velocity: 1 },
          { time: 1, duration: 1, midi: 62, velocity: 1 },
        ],
      }),
    ).toBe(3.5)
  })
})
