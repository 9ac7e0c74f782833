import { readFileSync } from 'node:fs'
import { MPEGDecoder } from 'mpg123-decoder'
import { describe, expect, it } from 'vitest'
import { StemNotesFile } from '../api/notes.ts'
import { AnalysisCopy } from '../audio/ingest.ts'
import { seededRandom } from '../lib/random.ts'
import { chromaOf, MIN_FIT, notesFit } from './notes-fit.ts'
import type { NoteEvent } from './notes.ts'
import { testMelody } from './testing/melody.ts'
import { renderNotes } from './testing/render-notes.ts'

const shifted = (notes: readonly NoteEvent[], semitones: number) =>
  notes.map((n) => ({ ...n, midi: n.midi + semitones }))

/** A file's audio as ingest's analysis copy: mono, low-passed, about 11 kHz. */
async function analysisCopyOf(file: string) {
  const decoder = new MPEGDecoder()
  await decoder.ready
  try {
    const { channelData, samplesDecoded, sampleRate } = decoder.decode(readFileSync(file))
    const block = 8192
    const copy = new AnalysisCopy(channelData.length, sampleRate, samplesDecoded, block)
    for (let at = 0; at < samplesDecoded; at += block) {
      const n = Math.min(block, samplesDecoded - at)
      copy.add(
        channelData.map((c) => c.subarray(at, at + n)),
        n,
      )
    }
    return chromaOf(copy.pcm.subarray(0, copy.length), copy.rate)
  } finally {
    decoder.free()
  }
}

describe('notesFit', () => {
  const rate = 11025
  const melody = testMelody()
  const chroma = chromaOf(renderNotes(melody, rate, 32), rate)

  it('finds a melody’s own notes in its audio', () => {
    const fit = notesFit(melody, chroma)
    expect(fit.notes).toBe(melody.length)
    expect(fit.share).toBeGreaterThan(0.9)
  })

  it('refuses the same notes shifted, made up, or where the stem is silent', () => {
    for (const semitones of [1, 5, 6])
      expect(notesFit(shifted(melody, semitones), chroma).share, `${semitones}`).toBeLessThan(
        MIN_FIT,
      )
    const random = seededRandom(7)
    const madeUp = melody.map((n) => ({ ...n, midi: 40 + Math.floor(random() * 40) }))
    expect(notesFit(madeUp, chroma).share).toBeLessThan(MIN_FIT)
    const late = melody.map((n) => ({ ...n, time: n.time + 40 }))
    expect(notesFit(late, chromaOf(renderNotes(melody, rate, 80), rate)).share).toBe(0)
  })

  it('passes the demo’s stored notes on their own stems, not on another stem', async () => {
    const stems = ['lead', 'bass', 'pads'] as const
    const notes = Object.fromEntries(
      stems.map((s) => [
        s,
        StemNotesFile.parse(JSON.parse(readFileSync(`stems/notes/${s}.json`, 'utf8'))).notes,
      ]),
    )
    for (const stem of stems) {
      const own = await analysisCopyOf(`stems/audio/${stem}.mp3`)
      expect(notesFit(notes[stem]!, own).share, stem).toBeGreaterThanOrEqual(MIN_FIT)
      expect(notesFit(shifted(notes[stem]!, 6), own).share, `${stem} +6`).toBeLessThan(MIN_FIT)
    }
  })
})
