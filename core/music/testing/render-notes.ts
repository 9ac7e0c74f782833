import type { Hertz, Seconds } from '../../units.ts'
import type { NoteEvent } from '../notes.ts'

/** Notes as a bright tone (four harmonics, short attack and release), mono at `rate`. */
export function renderNotes(
  notes: readonly NoteEvent[],
  rate: Hertz,
  seconds: Seconds,
): Float32Array {
  const out = new Float32Array(Math.ceil(seconds * rate))
  const ramp = Math.round(0.01 * rate)
  for (const n of notes) {
    const f = 440 * 2 ** ((n.midi - 69) / 12)
    const from = Math.round(n.time * rate)
    const length = Math.min(out.length - from, Math.round(n.duration * rate))
    for (let i = 0; i < length; i++) {
      const env = Math.min(1, i / ramp, (length - i) / ramp) * 0.2 * n.velocity
      const w = (2 * Math.PI * f * i) / rate
      let v = 0
      for (let h = 1; h <= 4; h++) if (f * h < rate / 2) v += Math.sin(h * w) / h
      out[from + i]! += env * v
    }
  }
  return out
}
