// Synthesised test loops with known answers: tempo, key, section boundaries, stem activity.
import type { BPM, Hertz, Seconds } from '../../units.ts'
import { seededRandom } from '../../lib/random.ts'

/** One section of a fixture: its length in bars, which parts play, and which progression. */
export type FixtureSection = {
  bars: number
  drums: boolean
  bass: boolean
  chords: boolean
  lead: boolean
  /** Index into the key's progressions: 0 and 1 differ in harmony. */
  progression: 0 | 1
}

export type FixtureSpec = {
  tempo: BPM
  tonic: number // pitch class, C = 0
  mode: 'major' | 'minor'
  sections: FixtureSection[]
  sampleRate?: Hertz
  seed?: number
  /** Bars, 0-based, where the bass rests regardless of its section. */
  bassRests?: number[]
}

export type FixtureStemId = 'drums' | 'bass' | 'chords' | 'lead'

export type Fixture = {
  sampleRate: Hertz
  tempo: BPM
  barSeconds: Seconds
  bars: number
  key: string
  /** Bars (0-based) where each section after the first begins. */
  boundaries: number[]
  stems: Record<FixtureStemId, Float32Array[]>
  mix: Float32Array[]
}

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B']

/** Chords as semitones above the tonic: [root, third, fifth]. */
const PROGRESSIONS: Record<'major' | 'minor', number[][][]> = {
  // I IV V I  |  vi IV I V
  major: [
    [
      [0, 4, 7],
      [5, 9, 12],
      [7, 11, 14],
      [0, 4, 7],
    ],
    [
      [9, 12, 16],
      [5, 9, 12],
      [0, 4, 7],
      [7, 11, 14],
    ],
  ],
  // i iv V i  |  VI iv V i  (harmonic-minor V)
  minor: [
    [
      [0, 3, 7],
      [5, 8, 12],
      [7, 11, 14],
      [0, 3, 7],
    ],
    [
      [8, 12, 15],
      [5, 8, 12],
      [7, 11, 14],
      [0, 3, 7],
    ],
  ],
}

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12)

/** Adds a decaying tone of `harmonics` partials (amplitude 1/h) at `start` into `out`. */
function addTone(
  out: Float32Array,
  sr: Hertz,
  start: Seconds,
  length: Seconds,
  freq: Hertz,
  gain: number,
  harmonics: number,
  decay: Seconds,
): void {
  const from = Math.round(start * sr)
  const n = Math.min(out.length - from, Math.round(length * sr))
  const attack = Math.round(0.005 * sr)
  const release = Math.round(0.02 * sr)
  for (let h = 1; h <= harmonics; h++) {
    const f = freq * h
    if (f > sr / 2.2) break
    const w = (2 * Math.PI * f) / sr
    const g = gain / h
    for (let i = 0; i < n; i++) {
      const env = Math.min(1, i / attack, (n - i) / release) * Math.exp(-i / (decay * sr))
      out[from + i] = out[from + i]! + g * env * Math.sin(w * i)
    }
  }
}

function addKick(out: Float32Array, sr: Hertz, start: Seconds, gain: number): void {
  const from = Math.round(start * sr)
  const n = Math.min(out.length - from, Math.round(0.35 * sr))
  let phase = 0
  for (let i = 0; i < n; i++) {
    const t = i / sr
    phase += (2 * Math.PI * (45 + 90 * Math.exp(-t / 0.03))) / sr
    out[from + i] = out[from + i]! + gain * Math.exp(-t / 0.12) * Math.sin(phase)
  }
}

function addNoise(
  out: Float32Array,
  sr: Hertz,
  start: Seconds,
  decay: Seconds,
  gain: number,
  random: () => number,
): void {
  const from = Math.round(start * sr)
  const n = Math.min(out.length - from, Math.round(decay * 6 * sr))
  let prev = 0
  for (let i = 0; i < n; i++) {
    const x = random() * 2 - 1
    out[from + i] = out[from + i]! + gain * Math.exp(-i / (decay * sr)) * (x - prev) // bright: first difference
    prev = x
  }
}

/** Renders a drum, bass, chord and lead loop over the given sections. */
export function fixtureFrom(spec: FixtureSpec): Fixture {
  const sr = spec.sampleRate ?? 44100
  const random = seededRandom(spec.seed ?? 1)
  const beat = 60 / spec.tempo
  const bar = 4 * beat
  const bars = spec.sections.reduce((n, s) => n + s.bars, 0)
  const length = Math.round((bars * bar + 1) * sr) // a second of tail
  const mono = () => new Float32Array(length)
  const drums = mono()
  const bass = mono()
  const chords = mono()
  const lead = mono()
  const boundaries: number[] = []
  const rests = new Set(spec.bassRests ?? [])
  let b0 = 0
  for (const section of spec.sections) {
    if (b0 > 0) boundaries.push(b0)
    const progression = PROGRESSIONS[spec.mode][section.progression]!
    for (let b = b0; b < b0 + section.bars; b++) {
      const t0 = b * bar
      const chord = progression[(b - b0) % 4]!
      if (section.drums) {
        for (let q = 0; q < 4; q++) {
          if (q === 0) addKick(drums, sr, t0, 0.9)
          if (q === 2) addKick(drums, sr, t0 + 2 * beat, 0.6)
          if (q === 1 || q === 3) {
            addNoise(drums, sr, t0 + q * beat, 0.06, 0.35, random)
            addTone(drums, sr, t0 + q * beat, 0.12, 190, 0.25, 1, 0.04)
          }
        }
        for (let e = 0; e < 8; e++) addNoise(drums, sr, t0 + (e * beat) / 2, 0.012, 0.12, random)
      }
      if (section.bass && !rests.has(b)) {
        const root = 36 + ((spec.tonic + chord[0]!) % 12)
        addTone(bass, sr, t0, 1.5 * beat, hz(root), 0.45, 6, 0.6)
        addTone(bass, sr, t0 + 2.5 * beat, 1.4 * beat, hz(root), 0.35, 6, 0.6)
      }
      if (section.chords)
        for (const n of chord) addTone(chords, sr, t0, bar, hz(60 + spec.tonic + n), 0.12, 4, 4)
      if (section.lead)
        for (let e = 0; e < 8; e++) {
          const n = chord[e % 3]! + (e >= 4 ? 12 : 0)
          addTone(lead, sr, t0 + (e * beat) / 2, beat / 2, hz(72 + spec.tonic + n), 0.1, 3, 0.3)
        }
    }
    b0 += section.bars
  }
  const stereo = (x: Float32Array, pan: number) => [
    x.map((v) => v * Math.cos(((pan + 1) * Math.PI) / 4) * Math.SQRT2),
    x.map((v) => v * Math.sin(((pan + 1) * Math.PI) / 4) * Math.SQRT2),
  ]
  const stems = {
    drums: stereo(drums, 0),
    bass: stereo(bass, 0),
    chords: stereo(chords, -0.3),
    lead: stereo(lead, 0.3),
  }
  const mix = [mono(), mono()]
  for (const s of Object.values(stems))
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < length; i++) mix[c]![i] = mix[c]![i]! + s[c]![i]!
  // One common gain puts the mix's sample peak at −3 dBFS.
  let peak = 0
  for (const ch of mix) for (let i = 0; i < length; i++) peak = Math.max(peak, Math.abs(ch[i]!))
  const gain = 10 ** (-3 / 20) / peak
  for (const ch of [...mix, ...Object.values(stems).flat()])
    for (let i = 0; i < length; i++) ch[i] = ch[i]! * gain
  return {
    sampleRate: sr,
    tempo: spec.tempo,
    barSeconds: bar,
    bars,
    key: `${NAMES[spec.tonic]} ${spec.mode}`,
    boundaries,
    stems,
    mix,
  }
}

/** A stereo sine of `amplitude` at `freq`, for loudness references. */
export function sineFrom(
  freq: Hertz,
  amplitude: number,
  seconds: Seconds,
  sr: Hertz,
): Float32Array[] {
  const x = new Float32Array(Math.round(seconds * sr))
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sr)
  return [x, x.slice()]
}
