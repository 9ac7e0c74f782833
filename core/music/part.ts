import { z } from 'zod'

/** What a generated part plays against the source: a line over it, broken chords, or a new bass. */
export const PartKind = z.enum(['counterMelody', 'arpeggio', 'bassVariation'])
export type PartKind = z.infer<typeof PartKind>

/** The Tone.js synth presets a generated part can be played by (web/audio/instruments.ts). */
export const Instrument = z.enum(['pluck', 'pad', 'bell', 'lead', 'bass'])
export type Instrument = z.infer<typeof Instrument>

/** Limits that keep a generated part cheap to store, check and schedule. */
export const PART_LIMITS = { parts: 8, notes: 4096, beats: 4 * 1200 } as const

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 letters, digits, _ or -')
const beats = z.number().finite().min(0).max(PART_LIMITS.beats)

/** One note of a generated part, on the recipe's beat grid (beat 0 is the timeline's start). */
export const PartNoteSchema = z.object({
  time: beats,
  duration: z.number().finite().positive().max(64),
  midi: z.number().int().min(0).max(127),
  velocity: z.number().finite().min(0).max(1),
})
export type PartNote = z.infer<typeof PartNoteSchema>

/**
 * A part the assistant wrote from transcribed stems: its notes, the instrument that plays them, its
 * mix settings, the stems it derives from (for the licence and the credits), and the AI action
 * (an id in the recipe's `aiActions`) that made it.
 */
export const GeneratedPartSchema = z.object({
  id,
  kind: PartKind,
  instrument: Instrument,
  notes: z.array(PartNoteSchema).min(1).max(PART_LIMITS.notes),
  gainDb: z.number().finite().min(-60).max(12).default(-6),
  pan: z.number().finite().min(-1).max(1).default(0),
  muted: z.boolean().default(false),
  sourceStems: z.array(z.string().min(1).max(100)).min(1).max(32),
  aiAction: id,
})
export type GeneratedPart = z.infer<typeof GeneratedPartSchema>

/** Seconds from beats at a tempo. */
export function secondsFromBeats(beatCount: number, tempo: number): number {
  return (beatCount * 60) / tempo
}

/** Where a part's last note ends, in beats. */
export function partEnd(part: Pick<GeneratedPart, 'notes'>): number {
  return part.notes.reduce((end, n) => Math.max(end, n.time + n.duration), 0)
}
