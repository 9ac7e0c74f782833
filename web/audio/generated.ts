import * as Tone from 'tone'
import { secondsFromBeats, type GeneratedPart, type Instrument } from '../../core/music/part.ts'
import { RAMP } from './retire.ts'

type Voice = Tone.PolySynth<Tone.Synth> | Tone.PolySynth<Tone.FMSynth>

// Tone.js presets for the generated parts' instruments: short and clear, so they sit in a mix.
function voiceOf(instrument: Instrument, context: Tone.BaseContext): Voice {
  switch (instrument) {
    case 'pluck':
      return new Tone.PolySynth({
        context,
        voice: Tone.Synth,
        options: {
          oscillator: { type: 'triangle' },
          envelope: { attack: 0.003, decay: 0.25, sustain: 0.15, release: 0.3 },
        },
      })
    case 'pad':
      return new Tone.PolySynth({
        context,
        voice: Tone.Synth,
        options: {
          oscillator: { type: 'fatsawtooth', count: 3, spread: 20 },
          envelope: { attack: 0.4, decay: 0.3, sustain: 0.7, release: 1.2 },
        },
      })
    case 'bell':
      return new Tone.PolySynth({
        context,
        voice: Tone.FMSynth,
        options: {
          harmonicity: 3.01,
          modulationIndex: 12,
          envelope: { attack: 0.001, decay: 1.2, sustain: 0, release: 1 },
        },
      })
    case 'lead':
      return new Tone.PolySynth({
        context,
        voice: Tone.FMSynth,
        options: {
          harmonicity: 1,
          modulationIndex: 2,
          envelope: { attack: 0.02, decay: 0.2, sustain: 0.6, release: 0.25 },
        },
      })
    case 'bass':
      return new Tone.PolySynth({
        context,
        voice: Tone.Synth,
        options: {
          oscillator: { type: 'square' },
          envelope: { attack: 0.005, decay: 0.2, sustain: 0.5, release: 0.15 },
        },
      })
  }
}

/**
 * One generated part in a RemixGraph: its instrument plays the stored notes on the context's
 * Transport (beats at the recipe's tempo) → gain → pan → audible gain → `destination`.
 */
export class GeneratedLane {
  private readonly voice: Voice
  private readonly events: Tone.Part
  private readonly gain: Tone.Gain
  private readonly panner: Tone.Panner
  readonly audible: Tone.Gain
  heard: boolean

  constructor(
    readonly part: GeneratedPart,
    readonly tempo: number,
    heard: boolean,
    destination: Tone.InputNode,
    context: Tone.BaseContext = Tone.getContext(),
  ) {
    this.heard = heard
    this.voice = voiceOf(part.instrument, context)
    this.voice.maxPolyphony = 16
    this.gain = new Tone.Gain({ context, gain: Tone.dbToGain(part.gainDb) })
    this.panner = new Tone.Panner({ context, pan: part.pan })
    this.audible = new Tone.Gain({ context, gain: heard ? 1 : 0 })
    Tone.connectSeries(this.voice, this.gain, this.panner, this.audible)
    this.audible.connect(destination)
    const notes = part.notes.map((n) => ({
      time: secondsFromBeats(n.time, tempo),
      duration: secondsFromBeats(n.duration, tempo),
      note: Tone.Frequency(n.midi, 'midi').toFrequency(),
      velocity: n.velocity,
    }))
    this.events = new Tone.Part({
      context,
      callback: (time, n) => this.voice.triggerAttackRelease(n.note, n.duration, time, n.velocity),
      events: notes,
    }).start(0)
  }

  /** Whether `part` at `tempo` plays other notes than this lane (a mix change does not). */
  differsFrom(part: GeneratedPart, tempo: number): boolean {
    return (
      tempo !== this.tempo ||
      part.instrument !== this.part.instrument ||
      JSON.stringify(part.notes) !== JSON.stringify(this.part.notes)
    )
  }

  /** Follows a mix change (gain, pan, audible) with a short ramp. */
  mix(part: GeneratedPart, heard: boolean): void {
    this.gain.gain.rampTo(Tone.dbToGain(part.gainDb), RAMP)
    this.panner.pan.rampTo(part.pan, RAMP)
    if (heard !== this.heard) this.audible.gain.rampTo(heard ? 1 : 0, RAMP)
    this.heard = heard
  }

  dispose(): void {
    this.events.dispose()
    this.voice.dispose()
    this.gain.dispose()
    this.panner.dispose()
    this.audible.dispose()
  }
}

export { partsAudible } from '../../core/recipe/audibility.ts'
