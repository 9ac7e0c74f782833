// Whether notes someone sends for a stem are plausibly that stem's: each note's pitch class
// against the stem's own chroma over the note's span, computed from the mono analysis copy that
// ingest made (core/audio/ingest.ts's AnalysisCopy). Cheap and blunt by design: it tells a
// transcription of this audio from notes of another stem, shifted or made up; it does not grade
// a transcription's quality.
import { RealFft } from '../lib/dsp/fft.ts'
import { hannWindow } from '../lib/dsp/window.ts'
import type { Hertz, Seconds } from '../units.ts'
import type { NoteEvent } from './notes.ts'

/** Analysis frame and hop, in samples of the copy (about 0.37 s and 0.19 s at 11 kHz). */
const FRAME = 4096
const HOP = 2048
/** Spectrum that counts towards chroma: the fundamentals and low partials of pitched parts. */
const LOW: Hertz = 50
const HIGH: Hertz = 4000
/** A note fits when its pitch class is among this many strongest of its span's chroma. */
const TOP = 3
/** A span quieter than this share of the stem's mean frame energy is silence: nothing fits there. */
const SILENCE = 1e-3

/** The least duration-weighted share of fitting notes that is plausible (chance is about 3/12). */
export const MIN_FIT = 0.5

/** 12 pitch-class energies per analysis frame of mono `pcm` at `rate`. */
export type Chroma = { rate: Hertz; frames: number; bins: Float32Array; meanEnergy: number }

/** The chroma of a mono signal: power spectra of Hann-windowed frames folded onto pitch classes. */
export function chromaOf(pcm: Float32Array, rate: Hertz): Chroma {
  const fft = new RealFft(FRAME)
  const window = hannWindow(FRAME)
  const power = new Float32Array(FRAME / 2 + 1)
  const classOf = new Int8Array(FRAME / 2 + 1).fill(-1)
  for (let k = 1; k <= FRAME / 2; k++) {
    const f = (k * rate) / FRAME
    if (f < LOW || f > HIGH) continue
    const midi = Math.round(69 + 12 * Math.log2(f / 440))
    classOf[k] = ((midi % 12) + 12) % 12
  }
  const frames = Math.max(1, Math.ceil(pcm.length / HOP))
  const bins = new Float32Array(frames * 12)
  let total = 0
  for (let t = 0; t < frames; t++) {
    fft.power(pcm, t * HOP - FRAME / 2, window, power)
    const base = t * 12
    for (let k = 1; k < power.length; k++) {
      const c = classOf[k]!
      if (c >= 0) bins[base + c] = bins[base + c]! + power[k]!
    }
    for (let c = 0; c < 12; c++) total += bins[base + c]!
  }
  return { rate, frames, bins, meanEnergy: total / frames }
}

/** How well notes fit a stem's chroma: counts, and the duration-weighted share that fits. */
export type NotesFit = { notes: number; fitting: number; share: number }

/** Each note's pitch class ranked in the chroma summed over its span (frames centred in it). */
export function notesFit(notes: readonly NoteEvent[], chroma: Chroma): NotesFit {
  const acc = new Float64Array(12)
  const perFrame = HOP / chroma.rate
  let fitting = 0
  let fitSeconds: Seconds = 0
  let totalSeconds: Seconds = 0
  for (const note of notes) {
    const from = Math.max(0, Math.round(note.time / perFrame))
    const to = Math.min(
      chroma.frames,
      Math.max(from + 1, Math.round((note.time + note.duration) / perFrame)),
    )
    acc.fill(0)
    let energy = 0
    for (let t = from; t < to; t++)
      for (let c = 0; c < 12; c++) {
        const v = chroma.bins[t * 12 + c]!
        acc[c] = acc[c]! + v
        energy += v
      }
    totalSeconds += note.duration
    if (from >= chroma.frames || energy < SILENCE * chroma.meanEnergy * (to - from)) continue
    const own = acc[note.midi % 12]!
    let above = 0
    for (let c = 0; c < 12; c++) if (acc[c]! > own) above++
    if (above < TOP) {
      fitting++
      fitSeconds += note.duration
    }
  }
  return { notes: notes.length, fitting, share: totalSeconds > 0 ? fitSeconds / totalSeconds : 0 }
}
