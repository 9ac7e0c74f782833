// The API's stem notes: a melodic stem's basic-pitch transcription, made once ahead of time and
// served with the stem (GET /api/stems/:id/notes), so the studio's generated parts need no wait.
import { z } from 'zod'
import { cleanNotes, type NoteEvent } from '../music/notes.ts'

const Note = z.object({
  time: z.number().min(0),
  duration: z.number().positive(),
  midi: z.number().int().min(0).max(127),
  velocity: z.number().min(0).max(1),
})

/** What is stored (and served) for one stem: cleaned notes and how they were made. */
export const StemNotesFile = z.object({
  version: z.literal(1),
  model: z.literal('basic-pitch'),
  thresholds: z.object({
    onset: z.number(),
    frame: z.number(),
    minFrames: z.number().int(),
  }),
  /** Length of the audio transcribed, in seconds. */
  seconds: z.number().positive(),
  /** Notes basic-pitch reported before cleaning (core/music/notes.ts's cleanNotes). */
  rawCount: z.number().int().min(0),
  notes: z.array(Note).max(20_000),
})
export type StemNotesFile = z.infer<typeof StemNotesFile>

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits

/** A transcription's stored form: raw basic-pitch notes cleaned, times to the millisecond. */
export function notesFileFrom(
  raw: readonly NoteEvent[],
  thresholds: StemNotesFile['thresholds'],
  seconds: number,
): StemNotesFile {
  return {
    version: 1,
    model: 'basic-pitch',
    thresholds,
    seconds: round(seconds, 3),
    rawCount: raw.length,
    notes: cleanNotes(raw).map((n) => ({
      time: round(n.time, 3),
      duration: Math.max(0.001, round(n.duration, 3)),
      midi: n.midi,
      velocity: round(n.velocity, 3),
    })),
  }
}
