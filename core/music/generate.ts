// For the remix assistant (core/assist): `generatePart` writes one part from a stem's transcribed
// notes — key/chords from `keyFrom`/`chordsFrom` (harmony.ts), or the analysis's key by
// `keyFromName`. Check `evaluateLicence` with action 'generateParts' and the part's sourceStems
// first. The recipe refuses a part whose `aiAction` is not in `aiActions`: add both, e.g. with the
// 'addGeneratedPart' edit and an action from `generationActionFrom` (actions.ts).
import type { Seconds } from '../units.ts'
import type { BarChord, MusicalKey } from './harmony.ts'
import type { NoteEvent } from './notes.ts'
import {
  GeneratedPartSchema,
  type GeneratedPart,
  type Instrument,
  type PartKind,
  type PartNote,
} from './part.ts'
import { randomFrom, type Random } from '../lib/random.ts'

/** What a generated part is written from and where it goes. */
export type GenerateInput = {
  kind: PartKind
  notes: readonly NoteEvent[] // the source stem's transcription, seconds of the source audio
  key: MusicalKey
  chords: readonly BarChord[] // one per bar from bar 0, repeated when shorter than `bars`
  tempo: number
  bars: number
  seed: number
  beatsPerBar?: number // 4
  startBeat?: number // where the part starts on the recipe's timeline, in beats; 0
  offset?: Seconds // where bar 0 falls in the source audio; 0
  id?: string
  instrument?: Instrument
  sourceStems: string[]
  aiAction: string // id of the AiAction that records this generation
}

/** The instrument each kind gets unless asked otherwise. */
export const DEFAULT_INSTRUMENT: Record<PartKind, Instrument> = {
  counterMelody: 'lead',
  arpeggio: 'pluck',
  bassVariation: 'bass',
}

// Rhythms per 4/4 bar, in beats; chosen per two-bar phrase so the part has motifs.
const COUNTER_RHYTHMS = [
  [0, 1, 2, 3],
  [0, 1.5, 2, 3],
  [0, 2, 2.5, 3],
  [0, 0.5, 1, 2, 3, 3.5],
  [0, 1, 1.5, 2.5, 3],
  [0.5, 1, 2, 3.5],
]
// Bass rhythms: beat and chord degree (0 root, 1 third, 2 fifth, 3 octave); 'a' approaches the next root.
const BASS_RHYTHMS: [number, number | 'a'][][] = [
  [
    [0, 0],
    [1.5, 0],
    [2, 2],
    [3.5, 'a'],
  ],
  [
    [0, 0],
    [0.75, 0],
    [2, 3],
    [3, 2],
  ],
  [
    [0, 0],
    [1, 2],
    [2, 3],
    [3, 'a'],
  ],
  [
    [0, 0],
    [2.5, 0],
    [3, 1],
    [3.5, 'a'],
  ],
]
const ARP_PATTERNS = ['up', 'down', 'upDown', 'random'] as const

type Bar = { chord: BarChord; beat: number; next: BarChord }

/**
 * A counter-melody, arpeggio or bass variation in `key`, following `chords`, on a 16th-note grid.
 * Deterministic: the same input gives the same part.
 */
export function generatePart(input: GenerateInput): GeneratedPart {
  const beatsPerBar = input.beatsPerBar ?? 4
  const start = input.startBeat ?? 0
  const rng = randomFrom(input.seed)
  const bars: Bar[] = []
  for (let b = 0; b < input.bars; b++) {
    const chord = input.chords[b % input.chords.length]!
    const next = input.chords[(b + 1) % input.chords.length]!
    bars.push({ chord, next, beat: start + b * beatsPerBar })
  }
  const write = { counterMelody, arpeggio, bassVariation }[input.kind]
  const notes = write({ ...input, beatsPerBar, start }, bars, rng)
    .map(snap)
    .filter((n) => n.duration > 0)
  return GeneratedPartSchema.parse({
    id: input.id ?? `gen-${input.kind}-${input.seed >>> 0}`,
    kind: input.kind,
    instrument: input.instrument ?? DEFAULT_INSTRUMENT[input.kind],
    notes,
    gainDb: input.kind === 'bassVariation' ? -8 : -10,
    sourceStems: input.sourceStems,
    aiAction: input.aiAction,
  })
}

type Writer = (
  input: GenerateInput & { beatsPerBar: number; start: number },
  bars: Bar[],
  rng: Random,
) => PartNote[]

const GRID = 0.25
function snap(n: PartNote): PartNote {
  const time = Math.round(n.time / GRID) * GRID
  const end = Math.round((n.time + n.duration) / GRID) * GRID
  return { ...n, time, duration: end - time, velocity: Math.round(n.velocity * 100) / 100 }
}

/** The pitches of `pcs` from `low` to `high` inclusive, ascending. */
function pitchesOf(pcs: readonly number[], low: number, high: number): number[] {
  const out: number[] = []
  for (let m = low; m <= high; m++) if (pcs.includes(m % 12)) out.push(m)
  return out
}

function rhythmFor(rhythms: readonly number[][], beatsPerBar: number, rng: Random): number[] {
  const r = rng.pick(rhythms).filter((b) => b < beatsPerBar)
  for (let b = 4; b < beatsPerBar; b++) r.push(b)
  return r
}

const counterMelody: Writer = (input, bars, rng) => {
  const source = input.notes.map((n) => ({
    ...n,
    beat: ((n.time - (input.offset ?? 0)) * input.tempo) / 60 + input.start,
    beats: (n.duration * input.tempo) / 60,
  }))
  const pitches = source.map((n) => n.midi).sort((a, b) => a - b)
  const median = pitches.length ? pitches[pitches.length >> 1]! : 67
  // Below a high line, above a low one, in a register an instrument sings in.
  const centre = Math.min(79, Math.max(55, median > 60 ? median - 9 : median + 8))
  const scale = pitchesOf(input.key.scale, centre - 10, centre + 10)
  const sounding = (beat: number) =>
    source.find((n) => n.beat <= beat + 0.05 && n.beat + n.beats > beat + 0.05)?.midi
  const out: PartNote[] = []
  let previous = centre
  let lastMelody: number | undefined
  let rhythm: number[] = []
  bars.forEach((bar, b) => {
    if (b % 2 === 0) rhythm = rhythmFor(COUNTER_RHYTHMS, input.beatsPerBar, rng)
    const chordTones = scale.filter((m) => bar.chord.tones.includes(m % 12))
    rhythm.forEach((at, i) => {
      const beat = bar.beat + at
      const strong = at === 0 || at === input.beatsPerBar / 2
      const melody = sounding(beat)
      const rising = melody !== undefined && lastMelody !== undefined && melody > lastMelody
      const falling = melody !== undefined && lastMelody !== undefined && melody < lastMelody
      let best = previous
      let bestCost = Infinity
      for (const m of strong || out.length === 0 ? chordTones : scale) {
        const step = Math.abs(m - previous)
        let cost = step === 0 ? 2 : step <= 2 ? 0 : step <= 4 ? 1 : step <= 7 ? 3 : 6
        cost += Math.abs(m - centre) / 4
        if (melody !== undefined) {
          const gap = (((melody - m) % 12) + 12) % 12
          if (gap === 0) cost += 4 // unison and octaves vanish into the melody
          if (gap === 1 || gap === 11 || gap === 6) cost += 5
          if ((rising && m < previous) || (falling && m > previous)) cost -= 1 // contrary motion
        }
        cost += rng.next() * 1.5
        if (cost < bestCost) {
          bestCost = cost
          best = m
        }
      }
      const end = i + 1 < rhythm.length ? bar.beat + rhythm[i + 1]! : bar.beat + input.beatsPerBar
      out.push({
        time: beat,
        duration: Math.max(GRID, (end - beat) * 0.9),
        midi: best,
        velocity: at === 0 ? 0.8 : 0.65,
      })
      previous = best
      if (melody !== undefined) lastMelody = melody
    })
  })
  return out
}

const arpeggio: Writer = (input, bars, rng) => {
  const step = rng.next() < 0.5 ? 0.5 : 0.25
  const pattern = rng.pick(ARP_PATTERNS)
  const low = 57 + rng.int(0, 5)
  const out: PartNote[] = []
  for (const bar of bars) {
    const tones = pitchesOf(bar.chord.tones, low, low + 19)
    const cycle =
      pattern === 'down'
        ? [...tones].reverse()
        : pattern === 'upDown'
          ? [...tones, ...tones.slice(1, -1).reverse()]
          : tones
    const steps = Math.round(input.beatsPerBar / step)
    for (let i = 0; i < steps; i++) {
      const midi = pattern === 'random' ? rng.pick(tones) : cycle[i % cycle.length]!
      const onBeat = (i * step) % 1 === 0
      out.push({
        time: bar.beat + i * step,
        duration: step * 0.8,
        midi,
        velocity: i === 0 ? 0.75 : onBeat ? 0.6 : 0.45,
      })
    }
  }
  return out
}

const bassVariation: Writer = (input, bars, rng) => {
  const out: PartNote[] = []
  let rhythm = BASS_RHYTHMS[0]!
  const bass = (pc: number) => 36 + ((pc - 36 + 48) % 12) // E1..B2 keeps roots low and clear
  bars.forEach((bar, b) => {
    if (b % 2 === 0) rhythm = rng.pick(BASS_RHYTHMS)
    const root = bass(bar.chord.root)
    const third = root + (((bar.chord.tones[1] ?? bar.chord.root) - bar.chord.root + 12) % 12)
    const fifth = root + (((bar.chord.tones[2] ?? bar.chord.root + 7) - bar.chord.root + 12) % 12)
    const hits = rhythm.filter(([at]) => at < input.beatsPerBar)
    hits.forEach(([at, degree], i) => {
      let midi: number
      if (degree === 'a') {
        // The scale tone next to the coming root, from below or above.
        const target = bass(bar.next.root)
        const near = pitchesOf(input.key.scale, target - 3, target + 3).filter((m) => m !== target)
        midi = near.reduce((a, m) => (Math.abs(m - target) < Math.abs(a - target) ? m : a))
      } else midi = [root, third, fifth, root + 12][degree]!
      const end = i + 1 < hits.length ? hits[i + 1]![0] : input.beatsPerBar
      out.push({
        time: bar.beat + at,
        duration: Math.max(GRID, (end - at) * 0.85),
        midi,
        velocity: at === 0 ? 0.9 : 0.7,
      })
    })
  })
  return out
}
