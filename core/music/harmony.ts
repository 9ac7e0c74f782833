import { Chord, Key, Note } from 'tonal'
import type { Seconds } from '../units.ts'
import type { NoteEvent } from './notes.ts'

/** A key: tonic spelled as a pitch class, mode, and its scale's pitch classes (0 = C), tonic first. */
export type MusicalKey = {
  tonic: string
  mode: 'major' | 'minor'
  name: string // "A minor"
  scale: number[]
  confidence: number // best correlation minus the runner-up's
}

/** A chord on the bar grid: symbol ("Am"), root's pitch class, chord tones' pitch classes. */
export type BarChord = { bar: number; symbol: string; root: number; tones: number[] }

/** Where bars fall in the source audio: tempo, beats per bar, and bar 0's onset in seconds. */
export type BarGrid = { tempo: number; beatsPerBar: number; offset: Seconds; bars: number }

// Krumhansl–Kessler key profiles, C major and C minor.
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
const MAJOR_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B']
const MINOR_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B']

/** Each pitch class's weight in `notes` (seconds × velocity), optionally only within [from, to). */
export function pitchClassWeights(notes: readonly NoteEvent[], from = -Infinity, to = Infinity) {
  const w = new Float64Array(12)
  for (const n of notes) {
    const heard = Math.min(n.time + n.duration, to) - Math.max(n.time, from)
    if (heard > 0) w[((n.midi % 12) + 12) % 12]! += heard * Math.max(n.velocity, 0.05)
  }
  return w
}

function correlation(x: ArrayLike<number>, profile: readonly number[], shift: number): number {
  let mx = 0
  let my = 0
  for (let i = 0; i < 12; i++) {
    mx += x[i]! / 12
    my += profile[i]! / 12
  }
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < 12; i++) {
    const dx = x[(i + shift) % 12]! - mx
    const dy = profile[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0
}

/** The key of `notes` by Krumhansl–Schmuckler: duration-weighted pitch classes against 24 profiles. */
export function keyFrom(notes: readonly NoteEvent[]): MusicalKey {
  const w = pitchClassWeights(notes)
  const scores: { tonic: number; mode: 'major' | 'minor'; r: number }[] = []
  for (let tonic = 0; tonic < 12; tonic++) {
    scores.push({ tonic, mode: 'major', r: correlation(w, MAJOR, tonic) })
    scores.push({ tonic, mode: 'minor', r: correlation(w, MINOR, tonic) })
  }
  scores.sort((a, b) => b.r - a.r)
  const best = scores[0]!
  return keyNamed(
    (best.mode === 'major' ? MAJOR_NAMES : MINOR_NAMES)[best.tonic]!,
    best.mode,
    best.r - scores[1]!.r,
  )
}

/** A key from its tonic and mode, e.g. `keyNamed('A', 'minor')`. */
export function keyNamed(tonic: string, mode: 'major' | 'minor', confidence = 0): MusicalKey {
  const scale = (mode === 'major' ? Key.majorKey(tonic).scale : Key.minorKey(tonic).natural.scale)
    .map((n) => Note.chroma(n))
    .filter((c): c is number => typeof c === 'number')
  return { tonic, mode, name: `${tonic} ${mode}`, scale, confidence }
}

/** A key from a name like "D minor" (the analysis's spelling); null when it cannot be read. */
export function keyFromName(name: string): MusicalKey | null {
  const m = /^([A-G][#b]?)\s*(major|minor)$/i.exec(name.trim())
  if (!m) return null
  return keyNamed(m[1]!, m[2]!.toLowerCase() as 'major' | 'minor')
}

/** The key's diatonic triads, e.g. C major: C Dm Em F G Am Bdim. */
export function diatonicTriads(key: MusicalKey): Omit<BarChord, 'bar'>[] {
  const symbols =
    key.mode === 'major' ? Key.majorKey(key.tonic).triads : Key.minorKey(key.tonic).natural.triads
  return symbols.map(chordNamed)
}

/** A chord's root and tones from its symbol ("F#m"). */
export function chordNamed(symbol: string): Omit<BarChord, 'bar'> {
  const chord = Chord.get(symbol)
  const tones = chord.notes.map((n) => Note.chroma(n)).filter((c) => typeof c === 'number')
  if (tones.length === 0) throw new RangeError(`not a chord: ${symbol}`)
  return { symbol, root: tones[0]!, tones }
}

/**
 * One diatonic triad per bar: the one whose tones carry most of the bar's notes (non-chord tones
 * count against it, a diminished triad is a last resort); a bar without notes keeps the last chord,
 * the tonic before any.
 */
export function chordsFrom(
  notes: readonly NoteEvent[],
  key: MusicalKey,
  grid: BarGrid,
): BarChord[] {
  const triads = diatonicTriads(key)
  const barSeconds = (grid.beatsPerBar * 60) / grid.tempo
  const out: BarChord[] = []
  let last = triads[0]!
  for (let bar = 0; bar < grid.bars; bar++) {
    const from = grid.offset + bar * barSeconds
    const w = pitchClassWeights(notes, from, from + barSeconds)
    const total = w.reduce((a, b) => a + b, 0)
    if (total > 0) {
      let best = -Infinity
      for (const t of triads) {
        let inside = 0
        for (const pc of t.tones) inside += w[pc]!
        const score =
          inside -
          0.6 * (total - inside) +
          0.25 * w[t.root]! -
          (t.symbol.endsWith('dim') ? 0.5 * total : 0)
        if (score > best + 1e-12) {
          best = score
          last = t
        }
      }
    }
    out.push({ bar, ...last })
  }
  return out
}
