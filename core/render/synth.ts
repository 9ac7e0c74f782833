import { secondsFromBeats, type GeneratedPart, type Instrument } from '../music/part.ts'

/**
 * The instruments of generated parts, the one implementation: the export renders them block by
 * block (PartLane), the studio plays renderPart's buffer (web/audio/generated.ts). They are the
 * voices the studio's Tone.js presets used to play: band-limited oscillators (as OscillatorNode's periodic waves: the
 * built-in series, harmonics below Nyquist, normalized to a peak of 1 at full band) through
 * Tone.Envelope's shapes (linear attack; exponential-approach decay and release with a time
 * constant ln(t + 1) / ln 200 and a linear finish over the last 10 %), velocity scaling the level.
 */
type Wave = 'sine' | 'triangle' | 'sawtooth' | 'square'
type Envelope = { attack: number; decay: number; sustain: number; release: number }
type Preset =
  | { kind: 'synth'; wave: Wave; count: number; spread: number; envelope: Envelope }
  | { kind: 'fm'; harmonicity: number; index: number; envelope: Envelope }

const PRESETS: Record<Instrument, Preset> = {
  pluck: {
    kind: 'synth',
    wave: 'triangle',
    count: 1,
    spread: 0,
    envelope: { attack: 0.003, decay: 0.25, sustain: 0.15, release: 0.3 },
  },
  pad: {
    kind: 'synth',
    wave: 'sawtooth',
    count: 3,
    spread: 20,
    envelope: { attack: 0.4, decay: 0.3, sustain: 0.7, release: 1.2 },
  },
  bell: {
    kind: 'fm',
    harmonicity: 3.01,
    index: 12,
    envelope: { attack: 0.001, decay: 1.2, sustain: 0, release: 1 },
  },
  lead: {
    kind: 'fm',
    harmonicity: 1,
    index: 2,
    envelope: { attack: 0.02, decay: 0.2, sustain: 0.6, release: 0.25 },
  },
  bass: {
    kind: 'synth',
    wave: 'square',
    count: 1,
    spread: 0,
    envelope: { attack: 0.005, decay: 0.2, sustain: 0.5, release: 0.15 },
  },
}

/** Tone.FMSynth's modulation envelope (its default). */
const MOD_ENVELOPE: Envelope = { attack: 0.5, decay: 0, sustain: 1, release: 0.5 }

const TABLE = 2048

/** The sine-series amplitude of harmonic k of a built-in wave (Web Audio spec). */
function harmonic(wave: Wave, k: number): number {
  switch (wave) {
    case 'sine':
      return k === 1 ? 1 : 0
    case 'square':
      return k % 2 === 1 ? 4 / (Math.PI * k) : 0
    case 'sawtooth':
      return ((k % 2 === 1 ? 1 : -1) * 2) / (Math.PI * k)
    case 'triangle':
      return k % 2 === 1
        ? ((((k - 1) / 2) % 2 === 0 ? 1 : -1) * 8) / (Math.PI * Math.PI * k * k)
        : 0
  }
}

function tableOf(wave: Wave, harmonics: number): Float32Array {
  const t = new Float64Array(TABLE)
  for (let k = 1; k <= harmonics; k++) {
    const a = harmonic(wave, k)
    if (a === 0) continue
    for (let i = 0; i < TABLE; i++) t[i] = t[i]! + a * Math.sin((2 * Math.PI * k * i) / TABLE)
  }
  return Float32Array.from(t)
}

const peaks = new Map<Wave, number>()
/** The full-band peak of a wave (the normalization OscillatorNode applies). */
function peakOf(wave: Wave): number {
  let peak = peaks.get(wave)
  if (peak === undefined) {
    const t = tableOf(wave, TABLE / 2 - 1)
    peak = t.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    peaks.set(wave, peak)
  }
  return peak
}

const tables = new Map<string, Float32Array>()
/** A normalized single-cycle table of `wave` with the harmonics a note at `hz` keeps. */
function waveTable(wave: Wave, hz: number, sampleRate: number): Float32Array {
  const harmonics = Math.max(1, Math.min(TABLE / 2 - 1, Math.floor(sampleRate / 2 / hz)))
  const key = `${wave}:${harmonics}`
  let t = tables.get(key)
  if (!t) {
    t = tableOf(wave, harmonics)
    const scale = 1 / peakOf(wave)
    for (let i = 0; i < TABLE; i++) t[i] = t[i]! * scale
    tables.set(key, t)
  }
  return t
}

/** Tone's exponentialApproachValueAtTime from `from` to `to` over `ramp`, at `t` into it. */
function approach(from: number, to: number, ramp: number, t: number): number {
  if (t >= ramp) return to
  const tau = Math.log(ramp + 1) / Math.log(200)
  const knee = 0.9 * ramp
  if (t < knee) return to + (from - to) * Math.exp(-t / tau)
  const atKnee = to + (from - to) * Math.exp(-knee / tau)
  return atKnee + ((to - atKnee) * (t - knee)) / (ramp - knee)
}

/** Tone.Envelope's level `t` seconds after the attack, released `length` seconds in. */
function envelopeAt(e: Envelope, velocity: number, length: number, t: number): number {
  const held = (s: number) => {
    if (s < e.attack) return (velocity * s) / e.attack
    if (e.sustain >= 1 || e.decay <= 0) return velocity
    return approach(velocity, velocity * e.sustain, e.decay, s - e.attack)
  }
  if (t < length) return held(t)
  if (e.release <= 0) return 0
  return approach(held(length), 0, e.release, t - length)
}

type Note = { start: number; end: number; hz: number; velocity: number; length: number }

/** One generated part's notes, rendered as its instrument plays them (mono). */
export class PartVoice {
  private readonly preset: Preset
  private readonly notes: Note[]
  private readonly sampleRate: number
  private readonly tail: number

  constructor(part: GeneratedPart, tempo: number, sampleRate: number) {
    this.preset = PRESETS[part.instrument]
    this.sampleRate = sampleRate
    const e = this.preset.envelope
    // an envelope without sustain stops its oscillator after attack + decay
    this.tail = e.sustain === 0 ? 0 : e.release
    this.notes = part.notes
      .map((n) => {
        const start = secondsFromBeats(n.time, tempo)
        const length = secondsFromBeats(n.duration, tempo)
        const stop =
          e.sustain === 0 ? Math.min(length + e.release, e.attack + e.decay) : length + e.release
        return {
          start,
          end: start + stop,
          hz: 440 * 2 ** ((n.midi - 69) / 12),
          velocity: n.velocity,
          length,
        }
      })
      .sort((a, b) => a.start - b.start)
  }

  /** The frame after the last note's release: the part is silent from there on. */
  get frames(): number {
    const end = this.notes.reduce((e, note) => Math.max(e, note.end), 0)
    return Math.ceil(end * this.sampleRate)
  }

  /** Adds frames [at, at + n) of the part into `out`. */
  render(at: number, n: number, out: Float32Array): void {
    const fs = this.sampleRate
    const from = at / fs
    const to = (at + n) / fs
    for (const note of this.notes) {
      if (note.start >= to) break
      if (note.end <= from) continue
      this.renderNote(note, at, n, out)
    }
  }

  private renderNote(note: Note, at: number, n: number, out: Float32Array): void {
    const fs = this.sampleRate
    const first = Math.max(at, Math.ceil(note.start * fs))
    const last = Math.min(at + n, Math.ceil(note.end * fs))
    const preset = this.preset
    if (preset.kind === 'synth') {
      const table = waveTable(preset.wave, note.hz, fs)
      const gain = preset.count > 1 ? 10 ** ((-6 - preset.count * 1.1) / 20) : 1
      for (let v = 0; v < preset.count; v++) {
        const cents =
          preset.count > 1 ? -preset.spread / 2 + (v * preset.spread) / (preset.count - 1) : 0
        const hz = note.hz * 2 ** (cents / 1200)
        const phase0 = v / preset.count
        for (let f = first; f < last; f++) {
          const t = f / fs - note.start
          let p = phase0 + hz * t
          p -= Math.floor(p)
          const x = p * TABLE
          const i = x | 0
          const j = i + 1 === TABLE ? 0 : i + 1
          const s = table[i]! + (table[j]! - table[i]!) * (x - i)
          out[f - at] =
            out[f - at]! + s * gain * envelopeAt(preset.envelope, note.velocity, note.length, t)
        }
      }
      return
    }
    // FM: a sine carrier whose frequency moves by index · f · (modulator square at harmonicity · f)
    const mhz = note.hz * preset.harmonicity
    const square = waveTable('square', mhz, fs)
    for (let f = first; f < last; f++) {
      const t = f / fs - note.start
      let pm = mhz * t
      pm -= Math.floor(pm)
      const x = pm * TABLE
      const i = x | 0
      const j = i + 1 === TABLE ? 0 : i + 1
      const m =
        (square[i]! + (square[j]! - square[i]!) * (x - i)) *
        envelopeAt(MOD_ENVELOPE, 1, note.length, t)
      // the carrier's phase integrates its frequency; the modulation term integrates in closed
      // form over one frame only approximately, so it is accumulated per frame from the note start
      const phase = this.carrierPhase(note, t, m)
      out[f - at] =
        out[f - at]! +
        Math.sin(2 * Math.PI * phase) * envelopeAt(preset.envelope, note.velocity, note.length, t)
    }
  }

  // Accumulated carrier phase per note, keyed by the note, advanced frame by frame.
  private readonly phases = new Map<Note, { t: number; phase: number }>()

  private carrierPhase(note: Note, t: number, m: number): number {
    const preset = this.preset as Extract<Preset, { kind: 'fm' }>
    const dt = 1 / this.sampleRate
    let state = this.phases.get(note)
    if (!state || t < state.t) {
      state = { t: t - dt, phase: note.hz * (t - dt) }
      this.phases.set(note, state)
    }
    state.phase += (note.hz + preset.index * note.hz * m) * dt
    state.t = t
    if (t + dt >= note.end - note.start) this.phases.delete(note)
    return state.phase - Math.floor(state.phase)
  }
}

/** A part's whole audio, mono, from time 0 to its last note's release (what the studio plays). */
export function renderPart(part: GeneratedPart, tempo: number, sampleRate: number): Float32Array {
  const voice = new PartVoice(part, tempo, sampleRate)
  const out = new Float32Array(Math.max(1, voice.frames))
  voice.render(0, out.length, out)
  return out
}
