import * as Tone from 'tone'
import type { GeneratedPart } from '../../core/music/part.ts'
import { offThread } from './offthread.ts'
import { RAMP } from './retire.ts'

/** A generated part's mono audio from time 0, rendered by core/render's instruments in a worker. */
export const partAudio = async (
  part: GeneratedPart,
  tempo: number,
  sampleRate: number,
): Promise<Float32Array<ArrayBuffer>> =>
  (await offThread({ kind: 'part', part, tempo, sampleRate }))[0]!

/**
 * One generated part in a RemixGraph: core/render's rendering of its notes (the export's own
 * instruments, so preview = export by construction) played from transport time 0 → gain → pan →
 * audible gain → `destination`. It sounds once `ready` resolves; until then the lanes it
 * `replaces` (the part before an edit) play on, and the graph swaps them with a short crossfade.
 */
export class GeneratedLane {
  private player: Tone.Player | undefined
  private readonly gain: Tone.Gain
  private readonly panner: Tone.Panner
  readonly audible: Tone.Gain
  readonly ready: Promise<void>
  heard: boolean
  /** Whether its audio is in and playing. */
  sounding = false
  /** The lanes this one takes over from once it sounds (they keep following its mix till then). */
  replaces: GeneratedLane[] = []
  private gone = false

  constructor(
    readonly part: GeneratedPart,
    readonly tempo: number,
    heard: boolean,
    destination: Tone.InputNode,
    /** Starts silent, for fadeIn() (a live edit); otherwise heard from its first frame. */
    silent = false,
    context: Tone.BaseContext = Tone.getContext(),
  ) {
    this.heard = heard
    this.gain = new Tone.Gain({ context, gain: Tone.dbToGain(part.gainDb) })
    this.panner = new Tone.Panner({ context, pan: part.pan })
    this.audible = new Tone.Gain({ context, gain: heard && !silent ? 1 : 0 })
    Tone.connectSeries(this.gain, this.panner, this.audible)
    this.audible.connect(destination)
    this.ready = partAudio(part, tempo, context.sampleRate).then((audio) => {
      if (this.gone) return
      const buffer = context.createBuffer(1, audio.length, context.sampleRate)
      buffer.copyToChannel(audio, 0)
      const url = new Tone.ToneAudioBuffer(buffer)
      this.player = new Tone.Player({ context, url }).connect(this.gain)
      // synced from 0: a transport already running starts it where it stands
      this.player.sync().start(0)
      this.sounding = true
    })
  }

  /** Whether `part` at `tempo` plays other notes than this lane (a mix change does not). */
  differsFrom(part: GeneratedPart, tempo: number): boolean {
    return (
      tempo !== this.tempo ||
      part.instrument !== this.part.instrument ||
      JSON.stringify(part.notes) !== JSON.stringify(this.part.notes)
    )
  }

  /** Follows a mix change (gain, pan, audible) with a short ramp, and so do the lanes it replaces. */
  mix(part: GeneratedPart, heard: boolean): void {
    this.gain.gain.rampTo(Tone.dbToGain(part.gainDb), RAMP)
    this.panner.pan.rampTo(part.pan, RAMP)
    if (heard !== this.heard && (this.sounding || this.replaces.length === 0))
      this.audible.gain.rampTo(heard ? 1 : 0, RAMP)
    this.heard = heard
    for (const lane of this.replaces) lane.mix(part, heard)
  }

  /** Ramps up from silent (a lane built with `silent`, once it sounds). */
  fadeIn(): void {
    this.audible.gain.rampTo(this.heard ? 1 : 0, RAMP)
  }

  dispose(): void {
    this.gone = true
    this.player?.dispose()
    this.gain.dispose()
    this.panner.dispose()
    this.audible.dispose()
  }
}

export { partsAudible } from '../../core/recipe/audibility.ts'
