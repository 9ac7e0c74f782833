import { describe, expect, it } from 'vitest'
import { testMelody } from './testing/melody.ts'
import { cleanNotes, recoveredShare, type NoteEvent } from './notes.ts'

const note = (time: number, midi: number, velocity = 0.8, duration = 0.5): NoteEvent => ({
  time,
  duration,
  midi,
  velocity,
})

describe('cleanNotes', () => {
  it('drops +24 and +36 harmonic ghosts that start and sound with their fundamental', () => {
    const notes = [note(0, 57), note(0.02, 81, 0.9, 0.45), note(0.01, 93, 0.3, 0.4), note(1, 60)]
    expect(cleanNotes(notes).map((n) => n.midi)).toEqual([57, 60])
  })

  it('drops quieter +19 and +28 partials, and quieter harmonics sounding inside a long note', () => {
    const bright = [note(1.1, 72, 0.6, 0.54), note(1.103, 100, 0.29, 0.16), note(1.1, 91, 0.3, 0.5)]
    expect(cleanNotes(bright).map((n) => n.midi)).toEqual([72])
    const long = [note(31.7, 57, 0.6, 2.16), note(32.8, 81, 0.31, 0.95), note(32.8, 93, 0.33, 0.95)]
    expect(cleanNotes(long).map((n) => n.midi)).toEqual([57])
  })

  it('drops a quieter octave ghost but keeps a louder real octave doubling', () => {
    expect(cleanNotes([note(0, 60), note(0.03, 72, 0.4)]).map((n) => n.midi)).toEqual([60])
    expect(cleanNotes([note(0, 60, 0.5), note(0, 72, 0.9)]).map((n) => n.midi)).toEqual([60, 72])
  })

  it('keeps notes two octaves up that start later or sound apart, and other intervals', () => {
    const notes = [
      note(0, 60),
      note(0.3, 84),
      note(2, 60, 0.8, 0.2),
      note(2, 84, 0.8, 1),
      note(3, 60),
      note(3, 79),
    ]
    expect(cleanNotes(notes)).toHaveLength(6)
  })

  it('drops blips under the duration and level floors', () => {
    const notes = [note(0, 60, 0.8, 0.03), note(1, 62, 0.05), note(2, 64)]
    expect(cleanNotes(notes).map((n) => n.midi)).toEqual([64])
  })

  it('leaves a clean melody as it is', () => {
    const melody = testMelody()
    expect(cleanNotes(melody)).toEqual(melody)
  })
})

describe('recoveredShare', () => {
  it('counts exact pitches with onsets within the tolerance, each found note once', () => {
    const expected = [note(0, 60), note(1, 62), note(2, 64), note(3, 65)]
    const found = [note(0.04, 60), note(1.06, 62), note(2, 63), note(3, 65), note(3.01, 65)]
    expect(recoveredShare(expected, found)).toBe(0.5)
    expect(recoveredShare([note(0, 60), note(0.01, 60)], [note(0, 60)])).toBe(0.5)
  })
})
