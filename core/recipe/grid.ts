import type { BPM, Seconds } from '../units.ts'

/** Beats per bar and the note value of a beat, as in [6, 8]. */
export type TimeSignature = readonly [number, number]

/** What the timeline snaps to. */
export type SnapUnit = 'off' | 'beat' | 'bar'

/** Within this many units of a whole number, a position counts as on it (float noise). */
const EPSILON = 1e-6

const nearInteger = (x: number) => (Math.abs(x - Math.round(x)) < EPSILON ? Math.round(x) : x)

/** Seconds per quarter note, the note that tempo counts. */
export function secondsPerBeat(tempo: BPM): Seconds {
  return 60 / tempo
}

/** Seconds per bar: `timeSignature[0]` beats of a quarter note scaled by 4 / `timeSignature[1]`. */
export function secondsPerBar(tempo: BPM, timeSignature: TimeSignature): Seconds {
  return timeOfBeats(timeSignature[0], tempo, timeSignature)
}

/** The nearest grid line to `t`, never below 0. */
export function snapTime(
  t: Seconds,
  unit: SnapUnit,
  tempo: BPM,
  timeSignature: TimeSignature,
): Seconds {
  if (unit === 'off') return Math.max(0, t)
  const per = beatsPer(unit, timeSignature)
  const n = Math.round(beatsAt(t, tempo, timeSignature) / per)
  return Math.max(0, timeOfBeats(n * per, tempo, timeSignature))
}

/** Musical position of `t`: 1-based bar and beat, and thousandths of a beat (0..999). */
export function barsBeatsFrom(
  t: Seconds,
  tempo: BPM,
  timeSignature: TimeSignature,
): { bar: number; beat: number; tick: number } {
  const ticks = Math.floor(nearInteger(beatsAt(Math.max(0, t), tempo, timeSignature) * 1000))
  const beats = Math.floor(ticks / 1000)
  return {
    bar: Math.floor(beats / timeSignature[0]) + 1,
    beat: (beats % timeSignature[0]) + 1,
    tick: ticks % 1000,
  }
}

/** "3:2" on a beat, "3:2.250" between beats. */
export function formatBarsBeats(t: Seconds, tempo: BPM, timeSignature: TimeSignature): string {
  const { bar, beat, tick } = barsBeatsFrom(t, tempo, timeSignature)
  return tick === 0 ? `${bar}:${beat}` : `${bar}:${beat}.${String(tick).padStart(3, '0')}`
}

/** The times of the grid lines in [from, to], from 0 on. */
export function gridLines(
  from: Seconds,
  to: Seconds,
  unit: 'beat' | 'bar',
  tempo: BPM,
  timeSignature: TimeSignature,
): Seconds[] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return []
  const per = beatsPer(unit, timeSignature)
  const first = Math.max(0, Math.ceil(nearInteger(beatsAt(from, tempo, timeSignature) / per)))
  const last = Math.floor(nearInteger(beatsAt(to, tempo, timeSignature) / per))
  const lines: Seconds[] = []
  for (let n = first; n <= last; n++) lines.push(timeOfBeats(n * per, tempo, timeSignature))
  return lines
}

function beatsPer(unit: 'beat' | 'bar', timeSignature: TimeSignature): number {
  return unit === 'bar' ? timeSignature[0] : 1
}

/** Beats (of the signature's note value) elapsed at `t`. */
function beatsAt(t: Seconds, tempo: BPM, timeSignature: TimeSignature): number {
  return (t * tempo * timeSignature[1]) / 240
}

/** When `beats` beats have elapsed; one division of exact products, so whole beats land exactly. */
function timeOfBeats(beats: number, tempo: BPM, timeSignature: TimeSignature): Seconds {
  return (beats * 240) / (tempo * timeSignature[1])
}
