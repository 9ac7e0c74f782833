import type { NoteEvent } from '../notes.ts'

/** A 43-note melody in A minor at 100 BPM (~30 s), for transcription and generator tests. */
export const TEST_MELODY_TEMPO = 100

// [MIDI, beats] pairs; a rest is MIDI 0.
const LINE: [number, number][] = [
  [69, 1],
  [72, 1],
  [76, 2],
  [74, 1],
  [72, 1],
  [71, 2],
  [69, 1],
  [71, 0.5],
  [72, 0.5],
  [74, 2],
  [72, 1],
  [76, 1],
  [77, 1],
  [76, 1],
  [74, 1],
  [72, 1],
  [71, 2],
  [67, 2],
  [69, 1],
  [72, 1],
  [76, 1.5],
  [79, 0.5],
  [77, 2],
  [76, 1],
  [74, 1],
  [72, 1],
  [71, 1],
  [69, 2],
  [0, 1],
  [64, 1],
  [65, 1],
  [67, 1],
  [69, 1],
  [71, 1],
  [72, 2],
  [74, 1],
  [71, 1],
  [69, 1],
  [68, 1],
  [69, 2],
  [76, 1],
  [72, 1],
  [69, 2],
  [57, 4],
]

/** The melody as notes in seconds, played legato at 90 % of each step. */
export function testMelody(tempo = TEST_MELODY_TEMPO, start = 0.5): NoteEvent[] {
  const beat = 60 / tempo
  const notes: NoteEvent[] = []
  let t = start
  for (const [midi, beats] of LINE) {
    if (midi > 0) notes.push({ time: t, duration: beats * beat * 0.9, midi, velocity: 0.8 })
    t += beats * beat
  }
  return notes
}
