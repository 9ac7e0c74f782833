import type { Seconds } from '../units.ts'

/** A transcribed note: onset and length in seconds of the source audio, MIDI pitch, level 0..1. */
export type NoteEvent = { time: Seconds; duration: Seconds; midi: number; velocity: number }

/** How `cleanNotes` decides what is a real note. */
export type CleanOptions = {
  minDuration: Seconds // shorter notes are blips of the onset detector
  minVelocity: number
  ghostOnset: Seconds // a harmonic ghost starts this close to its fundamental
  ghostOverlap: number // and sounds at least this share of its length together with it
}

/** Thresholds measured on synthetic melodies of bright tones (test/render/transcribe.test.ts). */
export const CLEAN_DEFAULTS: CleanOptions = {
  minDuration: 0.06,
  minVelocity: 0.15,
  ghostOnset: 0.08,
  ghostOverlap: 0.5,
}

// Partials of a bright tone that land near a semitone: 2nd, 3rd, 4th, 5th, 6th and 8th harmonics.
const OCTAVES = [12, 24, 36]
const PARTIALS = [12, 19, 24, 28, 31, 36]

/**
 * Notes without blips and without harmonic ghosts. A note a harmonic above another (+12, +19, +24,
 * +28, +31, +36 semitones) is a ghost when it starts with it and sounds through most of it, or when
 * it sounds entirely inside it; either way quieter than its fundamental, except two and three octaves
 * up starting together, which basic-pitch often reports louder. Sorted by onset, then pitch.
 */
export function cleanNotes(
  notes: readonly NoteEvent[],
  options: Partial<CleanOptions> = {},
): NoteEvent[] {
  const o = { ...CLEAN_DEFAULTS, ...options }
  const kept = notes
    .filter((n) => n.duration >= o.minDuration && n.velocity >= o.minVelocity)
    .sort((a, b) => a.time - b.time || a.midi - b.midi)
  return kept.filter((n) => !kept.some((f) => isGhostOf(n, f, o)))
}

function isGhostOf(n: NoteEvent, f: NoteEvent, o: CleanOptions): boolean {
  const interval = n.midi - f.midi
  if (!PARTIALS.includes(interval)) return false
  const end = n.time + n.duration
  const overlap = Math.min(end, f.time + f.duration) - Math.max(n.time, f.time)
  const together =
    Math.abs(n.time - f.time) <= o.ghostOnset && overlap >= o.ghostOverlap * n.duration
  const inside = n.time >= f.time - o.ghostOnset && end <= f.time + f.duration + o.ghostOnset
  if (!together && !inside) return false
  return (together && OCTAVES.includes(interval) && interval > 12) || n.velocity < f.velocity
}

/** A transcription's notes from basic-pitch's `noteFramesToTime` output. */
export function notesFromBasicPitch(
  events: readonly {
    startTimeSeconds: number
    durationSeconds: number
    pitchMidi: number
    amplitude: number
  }[],
): NoteEvent[] {
  return events.map((e) => ({
    time: e.startTimeSeconds,
    duration: e.durationSeconds,
    midi: e.pitchMidi,
    velocity: Math.min(1, Math.max(0, e.amplitude)),
  }))
}

/** The share of `expected` notes found in `found`: same pitch, onset within `tolerance` seconds. */
export function recoveredShare(
  expected: readonly NoteEvent[],
  found: readonly NoteEvent[],
  tolerance: Seconds = 0.05,
): number {
  if (expected.length === 0) return 1
  const used = new Set<number>()
  let hits = 0
  for (const e of expected) {
    const i = found.findIndex(
      (f, j) => !used.has(j) && f.midi === e.midi && Math.abs(f.time - e.time) <= tolerance,
    )
    if (i >= 0) {
      used.add(i)
      hits++
    }
  }
  return hits / expected.length
}
