import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generatePart, type GenerateInput } from './generate.ts'
import { chordsFrom, keyFrom } from './harmony.ts'
import { TEST_MELODY_TEMPO, testMelody } from './testing/melody.ts'
import { GeneratedPartSchema, PartKind } from './part.ts'

const melody = testMelody(TEST_MELODY_TEMPO, 0)
const key = keyFrom(melody)
const grid = { tempo: TEST_MELODY_TEMPO, beatsPerBar: 4, offset: 0, bars: 13 }
const chords = chordsFrom(melody, key, grid)
const input = (kind: PartKind, seed: number): GenerateInput => ({
  kind,
  notes: melody,
  key,
  chords,
  tempo: TEST_MELODY_TEMPO,
  bars: 13,
  seed,
  sourceStems: ['keys'],
  aiAction: 'ai-1',
})
const pc = (m: number) => m % 12

describe('generatePart', () => {
  it('gives the same part for the same seed and another for another seed', () => {
    for (const kind of PartKind.options) {
      expect(generatePart(input(kind, 7))).toEqual(generatePart(input(kind, 7)))
      expect(generatePart(input(kind, 7)).notes).not.toEqual(generatePart(input(kind, 8)).notes)
    }
  })

  it('writes every kind in the key, on a 16th-note grid, inside the bars, valid by the schema', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PartKind.options),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (kind, seed) => {
          const part = generatePart(input(kind, seed))
          expect(GeneratedPartSchema.parse(part)).toEqual(part)
          for (const n of part.notes) {
            expect(key.scale).toContain(pc(n.midi))
            expect(Number.isInteger(n.time * 4) && Number.isInteger(n.duration * 4)).toBe(true)
            expect(n.time + n.duration).toBeLessThanOrEqual(13 * 4 + 1e-9)
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('plays chord tones: every arpeggio note, and the bass and counter-melody on strong beats', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const kind of PartKind.options) {
        for (const n of generatePart(input(kind, seed)).notes) {
          const chord = chords[Math.floor(n.time / 4)]!
          const strong = n.time % 4 === 0 || (kind === 'counterMelody' && n.time % 4 === 2)
          if (kind === 'arpeggio' || strong) expect(chord.tones).toContain(pc(n.midi))
          if (kind === 'bassVariation' && n.time % 4 === 0) expect(pc(n.midi)).toBe(chord.root)
        }
      }
    }
  })

  it('keeps each kind in its register and the counter-melody off the melody’s pitch class', () => {
    const bass = generatePart(input('bassVariation', 3)).notes.map((n) => n.midi)
    expect(Math.max(...bass)).toBeLessThan(60)
    const counter = generatePart(input('counterMelody', 3)).notes
    const beat = 60 / TEST_MELODY_TEMPO
    const clashes = counter.filter((c) =>
      melody.some(
        (m) =>
          m.time <= c.time * beat &&
          m.time + m.duration > c.time * beat &&
          pc(m.midi) === pc(c.midi),
      ),
    )
    expect(clashes.length / counter.length).toBeLessThan(0.15)
  })

  it('writes every kind without a transcription, from the key and chords alone', () => {
    for (const kind of PartKind.options) {
      const part = generatePart({ ...input(kind, 5), notes: [] })
      expect(part.notes.length).toBeGreaterThan(13)
      for (const n of part.notes) expect(key.scale).toContain(pc(n.midi))
    }
  })

  it('starts at startBeat and aligns the source by offset', () => {
    const part = generatePart({ ...input('arpeggio', 1), startBeat: 8, bars: 2 })
    expect(part.notes[0]!.time).toBe(8)
    expect(Math.max(...part.notes.map((n) => n.time))).toBeLessThan(16)
  })
})
