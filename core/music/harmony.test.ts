import { describe, expect, it } from 'vitest'
import {
  chordsFrom,
  chordNamed,
  diatonicTriads,
  keyFrom,
  keyFromName,
  type MusicalKey,
} from './harmony.ts'
import { testMelody } from './testing/melody.ts'
import type { NoteEvent } from './notes.ts'

const line = (midis: number[], beat = 0.5): NoteEvent[] =>
  midis.map((midi, i) => ({ time: i * beat, duration: beat * 0.9, midi, velocity: 0.8 }))

describe('keyFrom', () => {
  it('finds A minor in the test melody', () => {
    expect(keyFrom(testMelody()).name).toBe('A minor')
  })

  it('finds C major, G major and E♭ major from their scales and tonic chords', () => {
    const scale = (root: number, steps: number[]) => steps.map((s) => root + s)
    const major = [0, 2, 4, 5, 7, 9, 11, 12, 7, 4, 0, 4, 7, 0]
    expect(keyFrom(line(scale(60, major))).name).toBe('C major')
    expect(keyFrom(line(scale(67, major))).name).toBe('G major')
    expect(keyFrom(line(scale(63, major))).name).toBe('Eb major')
  })

  it('finds D minor from a minor line', () => {
    expect(keyFrom(line([62, 65, 69, 62, 64, 65, 67, 69, 70, 69, 65, 62, 61, 62])).name).toBe(
      'D minor',
    )
  })
})

describe('chords', () => {
  it('names keys and their diatonic triads with tonal', () => {
    const key = keyFromName('A minor') as MusicalKey
    expect(key.scale).toEqual([9, 11, 0, 2, 4, 5, 7])
    expect(diatonicTriads(key).map((t) => t.symbol)).toEqual([
      'Am',
      'Bdim',
      'C',
      'Dm',
      'Em',
      'F',
      'G',
    ])
    expect(chordNamed('F#m')).toEqual({ symbol: 'F#m', root: 6, tones: [6, 9, 1] })
    expect(keyFromName('H dorian')).toBeNull()
  })

  it('finds one chord per bar from broken chords, and holds the last through an empty bar', () => {
    const key = keyFromName('C major') as MusicalKey
    // 120 BPM 4/4: a bar is 2 s, eight 8th notes. C, Am, (empty), F, G.
    const bars = [
      [60, 64, 67, 72, 67, 64, 60, 64],
      [57, 60, 64, 69, 64, 60, 57, 60],
      [],
      [53, 57, 60, 65, 60, 57, 53, 57],
      [55, 59, 62, 67, 62, 59, 55, 59],
    ]
    const notes = bars.flatMap((b, i) => line(b, 0.25).map((n) => ({ ...n, time: n.time + 2 * i })))
    const chords = chordsFrom(notes, key, { tempo: 120, beatsPerBar: 4, offset: 0, bars: 5 })
    expect(chords.map((c) => c.symbol)).toEqual(['C', 'Am', 'Am', 'F', 'G'])
  })
})
