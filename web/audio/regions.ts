import * as Tone from 'tone'
import { regionSourceSpan, type Region } from '../../core/recipe/schema.ts'
import { passStarts } from '../../core/render/region.ts'
import { reachFor } from '../../core/render/sinc.ts'
import { BytesCache } from './bytes-cache.ts'
import type { Audio } from './jobs.ts'
import { KernelNode } from './kernels.ts'
import { offThread } from './offthread.ts'
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
  /** The regions as last heard (gain-only edits included), to reschedule from. */
  regions: readonly Region[]
  shape: string
  gains: string
  buffer: AudioBuffer | undefined
  /** Each region's players (a rate-changed one pre-rendered: one per pass phase). */
  players: RegionPlayer[][]
  pitches: KernelNode[]
  bus: Tone.Gain
  /** Resolves when every rate-changed region plays its pre-rendered passes (`passesOf`). */
  settled: Promise<void>
}

/** What needs the players rescheduled: everything about the regions but their gains. */
const shapeFrom = (regions: readonly Region[]) =>
  JSON.stringify(regions.map(({ gainDb: _, ...timing }) => timing))

const gainsFrom = (regions: readonly Region[]) => regions.map((r) => r.gainDb).join()

/** A pre-rendered pass: its audio once rendered. */
type Pass = { audio: Promise<AudioBuffer>; buffer?: AudioBuffer }

/** A region's pre-rendered passes, one per phase, and the frames each starts at. */
type PassGroup = { pass: Pass; frames: number[] }

/**
 * Bytes of rendered passes kept, all stems together (a moved region, or an undo, finds its passes
 * here): three passes of a whole 4-minute stereo stem, or thousands of short ones.
 */
export const PASS_BYTES_KEPT = 256 * 1024 * 1024
const renderedPasses = new BytesCache<string, Pass>(PASS_BYTES_KEPT)
const stemIds = new WeakMap<AudioBuffer, number>()

/** Lets every kept pass go: the engine that played them is gone (the studio was left). */
export function forgetPasses(): void {
  renderedPasses.clear()
}
let nextStemId = 1

/** Runs a lane's pass renders one at a time; `undefined` for a render no longer wanted. */
type RenderTurn = (render: () => Promise<Audio[]>) => Promise<Audio[] | undefined>

/** Why a pass was not rendered: its lane had rescheduled before its turn came. */
class Superseded extends Error {}

/**
 * One pass of a rate-changed region through core/render's band-limited interpolator in a worker
 * (the export's own code), fades in and at 0 dB, to play as a buffer at rate 1 from a frame at or
 * before its start: `phase` is the pass's start past that frame. Only the frames it reads are sent,
 * copied when its turn comes (`turn`: the lane's, one render at a time).
 */
function passOf(region: Region, buffer: AudioBuffer, phase: number, turn: RenderTurn): Pass {
  const { offset, duration, rate, fadeIn, fadeOut } = region
  let stem = stemIds.get(buffer)
  if (stem === undefined) stemIds.set(buffer, (stem = nextStemId++))
  const key = JSON.stringify([stem, offset, duration, rate, fadeIn, fadeOut, phase])
  const known = renderedPasses.get(key)
  if (known) return known
  const sampleRate = buffer.sampleRate
  const reach = reachFor(rate) + 2
  const origin = Math.max(0, Math.floor(offset * sampleRate) - reach)
  const end = Math.min(
    buffer.length,
    Math.ceil((offset + (duration + 1 / sampleRate) * rate) * sampleRate) + reach,
  )
  const render = () => {
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) =>
      buffer.getChannelData(c).slice(origin, Math.max(origin, end)),
    )
    return offThread({ kind: 'pass', region, channels, origin, sampleRate, phase })
  }
  const pass: Pass = {
    audio: turn(render).then(
      (audio) => {
        if (!audio) {
          // not kept either: the lane's next schedule asks for a fresh render, not this one
          renderedPasses.delete(key, pass)
          throw new Superseded()
        }
        const out = new AudioBuffer({
          numberOfChannels: audio.length,
          length: Math.max(1, audio[0]!.length),
          sampleRate,
        })
        audio.forEach((a, c) => out.copyToChannel(a, c))
        pass.buffer = out
        return out
      },
      (error: unknown) => {
        // not kept: the next schedule asks again (the region keeps the player's resampling)
        renderedPasses.delete(key, pass)
        throw error
      },
    ),
  }
  // what it will hold: each channel's frames at rate 1, as 32-bit floats
  const frames = Math.ceil(duration * sampleRate) + 1
  renderedPasses.set(key, pass, frames * buffer.numberOfChannels * Float32Array.BYTES_PER_ELEMENT)
  return pass
}

/** A region's passes grouped by phase: each phase's pre-render and the frames it starts at. */
function passesOf(region: Region, buffer: AudioBuffer, turn: RenderTurn): PassGroup[] {
  const groups = new Map<number, number[]>()
  for (const start of passStarts(region, buffer.sampleRate)) {
    // a frame early: the transport's time of a frame can land just after it, and the buffer's
    // first frame would be skipped; this way that frame is silent and the pass starts after it
    const frame = Math.max(0, Math.floor(start) - 1)
    const phase = start - frame
    const frames = groups.get(phase) ?? []
    frames.push(frame)
    groups.set(phase, frames)
  }
  return [...groups].map(([phase, frames]) => ({
    pass: passOf(region, buffer, phase, turn),
    frames,
  }))
}

/**
 * A track's regions as players synced to the context's Transport, summed into `output`. Each region
 * is one player started once per loop pass; a region with a pitch gets its own pitch shifter
 * (core/render's kernel). A rate-changed region plays core/render's interpolation of its passes,
 * pre-rendered in a worker; until they arrive it plays through the player's own (linear)
 * resampling, then the lane crossfades to them, so an edit is heard at once.
 */
export class RegionLane {
  readonly output: Tone.Gain
  private voices: Voices
  private disposed = false
  private readonly retirer = new Retirer()

  constructor(
    private readonly context: Tone.BaseContext,
    regions: readonly Region[],
    buffer: AudioBuffer | undefined,
  ) {
    this.output = new Tone.Gain({ context })
    this.voices = this.schedule(regions, buffer, 1)
  }

  /** Resolves when every region pitch shifter runs and every pre-rendered pass plays. */
  get ready(): Promise<void> {
    const voices = this.voices
    return voices.settled.then(() =>
      this.voices === voices
        ? Promise.all(voices.pitches.map((p) => p.ready)).then(() => undefined)
        : this.ready,
    )
  }

  /** Each region's (first) player, in region order (none when the stem has no buffer). */
  get players(): readonly Tone.Player[] {
    return this.voices.players.map((p) => p[0]!)
  }

  /**
   * Schedules players for `regions`; `rendered` (each region's passes, all rendered) when the
   * pre-rendered passes have arrived for exactly these regions.
   */
  private schedule(
    regions: readonly Region[],
    buffer: AudioBuffer | undefined,
    gain: number,
    rendered?: readonly PassGroup[][],
  ) {
    const context = this.context
    const bus = new Tone.Gain({ context, gain }).connect(this.output)
    const voices: Voices = {
      regions,
      shape: shapeFrom(regions),
      gains: gainsFrom(regions),
      buffer,
      players: [],
      pitches: [],
      bus,
      settled: Promise.resolve(),
    }
    if (!buffer) return voices
    const url = new Tone.ToneAudioBuffer(buffer)
    const waiting: Promise<AudioBuffer>[] = []
    const groups: PassGroup[][] = []
    for (const [i, region] of regions.entries()) {
      let target: Tone.InputNode = bus
      if (region.pitch !== 0) {
        // core/render's pitch shifter, as the export renders it
        const pitch = new KernelNode(context, {
          kind: 'pitchShift',
          semitones: region.pitch,
          wet: 1,
        })
        pitch.connect(bus)
        voices.pitches.push(pitch)
        target = pitch
      }
      const passes =
        rendered?.[i] ?? (region.rate === 1 ? [] : passesOf(region, buffer, this.turnOf(voices)))
      groups.push(passes)
      const players: RegionPlayer[] = []
      if (passes.length > 0 && passes.every((p) => p.pass.buffer)) {
        for (const { pass, frames } of passes) {
          const player = new RegionPlayer({
            context,
            url: new Tone.ToneAudioBuffer(pass.buffer!),
            volume: region.gainDb,
          }).connect(target)
          player.sync()
          for (const frame of frames) player.start(frame / buffer.sampleRate, 0)
          players.push(player)
        }
      } else {
        waiting.push(...passes.map((p) => p.pass.audio))
        const player = new RegionPlayer({
          context,
          url,
          playbackRate: region.rate,
          fadeIn: region.fadeIn,
          fadeOut: region.fadeOut,
          volume: region.gainDb,
        }).connect(target)
        player.sync()
        for (let k = 0; k < region.loops; k++)
          player.start(region.start + k * region.duration, region.offset, regionSourceSpan(region))
        players.push(player)
      }
      voices.players.push(players)
    }
    if (waiting.length > 0)
      voices.settled = Promise.all(waiting).then(
        () => {
          // the passes in hand, not the cache again: a stem with more passes than it keeps
          // would otherwise miss them forever
          if (this.voices === voices && !this.disposed)
            this.replace(voices.regions, buffer, this.instant(), groups)
        },
        (error: unknown) => {
          // a pass another lane asked for first and then no longer wanted: asked for again
          if (error instanceof Superseded && this.voices === voices && !this.disposed)
            this.replace(voices.regions, buffer, this.instant())
          // a pass that failed to render: the player's own resampling stays
        },
      )
    return voices
  }

  // The lane's pass renders, one at a time: during a rate drag each step's passes wait for the
  // render in flight, and the passes of a step already superseded never start (they used to
  // render one after another in the worker, the last step's heard only after all of them).
  private rendering: Promise<unknown> = Promise.resolve()

  /** The turn of `voices`' pass renders: each starts only while they are still the lane's. */
  private turnOf(voices: Voices): RenderTurn {
    return (render) => {
      const turn = this.rendering.then(() =>
        this.disposed || this.voices !== voices ? undefined : render(),
      )
      this.rendering = turn.catch(() => undefined)
      return turn
    }
  }

  /**
   * Whether a swap of voices can be instant: nothing is heard yet (the transport is stopped, or an
   * offline render has not started), so no crossfade is needed.
   */
  private instant(): boolean {
    return this.context.isOffline || this.context.transport.state !== 'started'
  }

  /** Swaps in freshly scheduled voices, crossfading unless `instant`. */
  private replace(
    regions: readonly Region[],
    buffer: AudioBuffer | undefined,
    instant: boolean,
    rendered?: readonly PassGroup[][],
  ) {
    const old = this.voices
    this.voices = this.schedule(regions, buffer, instant ? 1 : 0, rendered)
    if (instant) {
      dispose(old)
      return
    }
    this.voices.bus.gain.rampTo(1, RAMP)
    old.bus.gain.rampTo(0, RAMP)
    this.retirer.later(() => dispose(old))
  }

  /** Follows new regions: gain-only changes ramp, anything else reschedules with a crossfade. */
  update(regions: readonly Region[], buffer: AudioBuffer | undefined): void {
    if (shapeFrom(regions) === this.voices.shape && buffer === this.voices.buffer) {
      const gains = gainsFrom(regions)
      if (gains === this.voices.gains) return
      this.voices.gains = gains
      this.voices.regions = regions
      regions.forEach((r, i) => {
        for (const player of this.voices.players[i] ?? []) player.volume.rampTo(r.gainDb, RAMP)
      })
      return
    }
    this.replace(regions, buffer, false)
  }

  dispose(): void {
    this.disposed = true
    this.retirer.flush()
    dispose(this.voices)
    this.output.dispose()
  }
}

function dispose(voices: Voices): void {
  for (const players of voices.players) for (const player of players) player.dispose()
  for (const pitch of voices.pitches) pitch.dispose()
  voices.bus.dispose()
}
