import * as Tone from 'tone'
import { regionSourceSpan, type Region } from '../../core/recipe/schema.ts'
import { KernelNode } from './kernels.ts'
import { RAMP, Retirer } from './retire.ts'

/**
 * A Tone.Player for one region. Tone, when the transport starts inside a synced pass, subtracts the
 * elapsed *timeline* time from a *source* duration; this rescales it by the playback rate, and
 * skips passes that are already over instead of starting a zero-length (clicking) source.
 */
class RegionPlayer extends Tone.Player {
  private elapsed: number | undefined

  protected override _getSyncedStartOffset(explicitOffset: number, elapsed: number): number {
    this.elapsed = elapsed
    return super._getSyncedStartOffset(explicitOffset, elapsed)
  }

  protected override _start(time?: Tone.Unit.Time, offset?: Tone.Unit.Time, span?: Tone.Unit.Time) {
    const elapsed = this.elapsed
    this.elapsed = undefined
    if (elapsed !== undefined && typeof span === 'number') {
      span += elapsed * (1 - this.playbackRate)
      if (span <= 1e-6) return
    }
    super._start(time, offset, span)
  }
}

type Voices = {
  shape: string
  gains: string
  buffer: AudioBuffer | undefined
  players: RegionPlayer[]
  pitches: KernelNode[]
  bus: Tone.Gain
}

/** What needs the players rescheduled: everything about the regions but their gains. */
const shapeFrom = (regions: readonly Region[]) =>
  JSON.stringify(regions.map(({ gainDb: _, ...timing }) => timing))

const gainsFrom = (regions: readonly Region[]) => regions.map((r) => r.gainDb).join()

/**
 * A track's regions as players synced to the context's Transport, summed into `output`. Each region
 * is one player started once per loop pass; a region with a pitch gets its own pitch shifter (core/render's kernel).
 */
export class RegionLane {
  readonly output: Tone.Gain
  private voices: Voices
  private readonly retirer = new Retirer()

  constructor(
    private readonly context: Tone.BaseContext,
    regions: readonly Region[],
    buffer: AudioBuffer | undefined,
  ) {
    this.output = new Tone.Gain({ context })
    this.voices = this.schedule(regions, buffer, 1)
  }

  /** Resolves when every region pitch shifter runs. */
  get ready(): Promise<void> {
    return Promise.all(this.voices.pitches.map((p) => p.ready)).then(() => undefined)
  }

  /** The players in region order (none when the stem has no buffer). */
  get players(): readonly Tone.Player[] {
    return this.voices.players
  }

  private schedule(regions: readonly Region[], buffer: AudioBuffer | undefined, gain: number) {
    const context = this.context
    const bus = new Tone.Gain({ context, gain }).connect(this.output)
    const voices: Voices = {
      shape: shapeFrom(regions),
      gains: gainsFrom(regions),
      buffer,
      players: [],
      pitches: [],
      bus,
    }
    if (!buffer) return voices
    const url = new Tone.ToneAudioBuffer(buffer)
    for (const region of regions) {
      const player = new RegionPlayer({
        context,
        url,
        playbackRate: region.rate,
        fadeIn: region.fadeIn,
        fadeOut: region.fadeOut,
        volume: region.gainDb,
      })
      if (region.pitch !== 0) {
        // core/render's pitch shifter, as the export renders it
        const pitch = new KernelNode(context, {
          kind: 'pitchShift',
          semitones: region.pitch,
          wet: 1,
        })
        player.chain(pitch, bus)
        voices.pitches.push(pitch)
      } else {
        player.connect(bus)
      }
      player.sync()
      for (let k = 0; k < region.loops; k++)
        player.start(region.start + k * region.duration, region.offset, regionSourceSpan(region))
      voices.players.push(player)
    }
    return voices
  }

  /** Follows new regions: gain-only changes ramp, anything else reschedules with a crossfade. */
  update(regions: readonly Region[], buffer: AudioBuffer | undefined): void {
    if (shapeFrom(regions) === this.voices.shape && buffer === this.voices.buffer) {
      const gains = gainsFrom(regions)
      if (gains === this.voices.gains) return
      this.voices.gains = gains
      regions.forEach((r, i) => this.voices.players[i]?.volume.rampTo(r.gainDb, RAMP))
      return
    }
    const old = this.voices
    this.voices = this.schedule(regions, buffer, 0)
    this.voices.bus.gain.rampTo(1, RAMP)
    old.bus.gain.rampTo(0, RAMP)
    this.retirer.later(() => dispose(old))
  }

  dispose(): void {
    this.retirer.flush()
    dispose(this.voices)
    this.output.dispose()
  }
}

function dispose(voices: Voices): void {
  for (const player of voices.players) player.dispose()
  for (const pitch of voices.pitches) pitch.dispose()
  voices.bus.dispose()
}
