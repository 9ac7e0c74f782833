import * as Tone from 'tone'
import { audibleFrom } from '../../core/recipe/audibility.ts'
import type { Recipe, Track } from '../../core/recipe/schema.ts'
import type { Decibels, Seconds } from '../../core/units.ts'
import { EffectChain } from './effects.ts'
import { GeneratedLane, partsAudible } from './generated.ts'
import { MasterLimiter } from './limiter.ts'
import { RegionLane } from './regions.ts'
import { RAMP, Retirer } from './retire.ts'

/** Decoded audio of a campaign's stems, by stem id. */
export type StemBuffers = ReadonlyMap<string, AudioBuffer>

/**
 * Options of a graph: `meters` (default true) can be off where nobody reads levels (offline);
 * `onFrame` hears the master's rendered frame count, about once a second (for progress).
 */
export type RemixGraphOptions = { meters?: boolean; onFrame?: (frame: number) => void }

type TrackNodes = {
  track: Track
  lane: RegionLane
  chain: EffectChain
  gain: Tone.Gain
  panner: Tone.Panner
  audible: Tone.Gain
  heard: boolean
  meter: Tone.Meter<2> | undefined
}

/**
 * A mono stem pans with the equal-power law (−3 dB per side at centre); a stereo one keeps its
 * image and is balanced (StereoPannerNode's stereo law: unity at centre).
 */
const panChannelsOf = (buffer: AudioBuffer | undefined) => (buffer?.numberOfChannels === 1 ? 1 : 2)

const levelOf = (meter: Tone.Meter<2> | undefined): Decibels =>
  meter ? Math.max(...meter.getValue()) : -Infinity

/**
 * The one Tone.js graph of a recipe, live and offline: per track regions → effects → gain → pan →
 * mute/solo → meter and master bus; master effects → gain → limiter → meter → destination. Built
 * in the Tone context current at construction; its region players follow that context's Transport.
 */
export class RemixGraph {
  private readonly context = Tone.getContext()
  private readonly tracks = new Map<string, TrackNodes>()
  private readonly parts = new Map<string, GeneratedLane>()
  private readonly bus: Tone.Gain
  private readonly masterChain: EffectChain
  private readonly masterGain: Tone.Gain
  private readonly limiter: MasterLimiter
  private readonly masterMeter: Tone.Meter<2> | undefined
  private readonly metered: boolean
  private readonly retirer = new Retirer()
  private recipe: Recipe

  constructor(
    recipe: Recipe,
    private readonly buffers: StemBuffers,
    options: RemixGraphOptions = {},
  ) {
    const context = this.context
    this.recipe = recipe
    this.bus = new Tone.Gain({ context })
    this.masterChain = new EffectChain(context, recipe.master.effects, recipe.tempo)
    this.masterGain = new Tone.Gain({ context, gain: Tone.dbToGain(recipe.master.gainDb) })
    this.limiter = new MasterLimiter(context, {
      ...recipe.master.limiter,
      onFrame: options.onFrame,
    })
    this.metered = options.meters ?? true
    this.masterMeter = this.meter()
    Tone.connectSeries(this.bus, this.masterChain.input)
    Tone.connectSeries(this.masterChain.output, this.masterGain, this.limiter.input)
    this.limiter.output.connect(context.destination)
    if (this.masterMeter) this.limiter.output.connect(this.masterMeter)
    const audible = audibleFrom(recipe.tracks)
    recipe.tracks.forEach((t, i) => this.tracks.set(t.id, this.addTrack(t, audible[i]!, false)))
    this.updateParts(recipe, false)
  }

  // Generated parts play core/render's rendering of their notes. A part whose notes change gets a
  // new lane; the one playing plays on while the new one renders, then they crossfade.
  private updateParts(recipe: Recipe, live: boolean): void {
    const heard = partsAudible(recipe)
    const kept = new Set<string>()
    recipe.generatedParts.forEach((part, i) => {
      kept.add(part.id)
      const lane = this.parts.get(part.id)
      if (lane && !lane.differsFrom(part, recipe.tempo)) return lane.mix(part, heard[i]!)
      const next = new GeneratedLane(part, recipe.tempo, heard[i]!, this.bus, live)
      if (lane?.sounding) next.replaces = [lane]
      else if (lane) {
        // superseded before it sounded: what it was to replace waits for the newest instead
        next.replaces = lane.replaces
        lane.dispose()
      }
      for (const old of next.replaces) old.mix(part, heard[i]!)
      this.parts.set(part.id, next)
      void next.ready.then(() => {
        if (this.parts.get(part.id) !== next) return
        for (const old of next.replaces) this.retire(old)
        next.replaces = []
        if (live) next.fadeIn()
      })
    })
    for (const [id, lane] of this.parts) {
      if (kept.has(id)) continue
      this.parts.delete(id)
      for (const old of lane.replaces) this.retire(old)
      this.retire(lane)
    }
  }

  private retire(lane: GeneratedLane): void {
    lane.audible.gain.rampTo(0, RAMP)
    this.retirer.later(() => lane.dispose())
  }

  /** The master limiter's constant delay: an offline render drops this much from its start. */
  get latency(): Seconds {
    return this.limiter.latency
  }

  /**
   * Resolves when the limiter and every kernel worklet (effects, region pitch) runs and every
   * generated part's audio is rendered.
   */
  get ready(): Promise<void> {
    const tracks = [...this.tracks.values()]
    const chains = [this.masterChain, ...tracks.map((t) => t.chain)]
    const lanes = tracks.map((t) => t.lane.ready)
    const parts = [...this.parts.values()].map((p) => p.ready)
    return Promise.all([
      this.limiter.ready,
      ...chains.map((c) => c.ready),
      ...lanes,
      ...parts,
    ]).then(() => undefined)
  }

  private meter(): Tone.Meter<2> | undefined {
    return this.metered ? new Tone.Meter({ context: this.context, channelCount: 2 }) : undefined
  }

  private addTrack(track: Track, audible: boolean, fadeIn: boolean): TrackNodes {
    const context = this.context
    const buffer = this.buffers.get(track.stem)
    const lane = new RegionLane(context, track.regions, buffer)
    const chain = new EffectChain(context, track.effects, this.recipe.tempo)
    const gain = new Tone.Gain({ context, gain: Tone.dbToGain(track.gainDb) })
    const panner = new Tone.Panner({ context, pan: track.pan, channelCount: panChannelsOf(buffer) })
    const level = audible ? 1 : 0
    const audibleGain = new Tone.Gain({ context, gain: fadeIn ? 0 : level })
    if (fadeIn) audibleGain.gain.rampTo(level, RAMP)
    const meter = this.meter()
    lane.output.connect(chain.input)
    Tone.connectSeries(chain.output, gain, panner, audibleGain)
    audibleGain.connect(this.bus)
    if (meter) audibleGain.connect(meter)
    return { track, lane, chain, gain, panner, audible: audibleGain, heard: audible, meter }
  }

  /** Applies a new recipe to the running graph without stopping it. */
  update(recipe: Recipe): void {
    const previous = this.recipe
    this.recipe = recipe
    const audible = audibleFrom(recipe.tracks)
    const kept = new Set<string>()
    recipe.tracks.forEach((track, i) => {
      kept.add(track.id)
      const nodes = this.tracks.get(track.id)
      if (!nodes) {
        this.tracks.set(track.id, this.addTrack(track, audible[i]!, true))
        return
      }
      const before = nodes.track
      nodes.track = track
      // both compare what they play themselves: unchanged regions keep playing, chains ramp
      const buffer = this.buffers.get(track.stem)
      nodes.lane.update(track.regions, buffer)
      if (nodes.panner.channelCount !== panChannelsOf(buffer))
        nodes.panner.channelCount = panChannelsOf(buffer)
      nodes.chain.update(track.effects, recipe.tempo)
      if (track.gainDb !== before.gainDb) nodes.gain.gain.rampTo(Tone.dbToGain(track.gainDb), RAMP)
      if (track.pan !== before.pan) nodes.panner.pan.rampTo(track.pan, RAMP)
      if (audible[i] !== nodes.heard) nodes.audible.gain.rampTo(audible[i] ? 1 : 0, RAMP)
      nodes.heard = audible[i]!
    })
    for (const [id, nodes] of this.tracks) {
      if (kept.has(id)) continue
      this.tracks.delete(id)
      nodes.audible.gain.rampTo(0, RAMP)
      this.retirer.later(() => disposeTrack(nodes))
    }
    this.updateParts(recipe, true)
    this.masterChain.update(recipe.master.effects, recipe.tempo)
    const { gainDb, limiter } = recipe.master
    if (gainDb !== previous.master.gainDb) this.masterGain.gain.rampTo(Tone.dbToGain(gainDb), RAMP)
    const before = previous.master.limiter
    if (limiter.enabled !== before.enabled || limiter.ceilingDb !== before.ceilingDb)
      this.limiter.set(limiter.enabled, limiter.ceilingDb)
  }

  /** A track's level after gain, pan and mute/solo, in dBFS; −Infinity if silent or unknown. */
  trackLevel(trackId: string): Decibels {
    const nodes = this.tracks.get(trackId)
    return levelOf(nodes?.meter)
  }

  /** The level after the limiter, in dBFS. */
  masterLevel(): Decibels {
    return levelOf(this.masterMeter)
  }

  /** The nodes of a track, for tests and diagnostics. */
  nodesOf(trackId: string): Readonly<TrackNodes> | undefined {
    return this.tracks.get(trackId)
  }

  dispose(): void {
    this.retirer.flush()
    for (const nodes of this.tracks.values()) disposeTrack(nodes)
    this.tracks.clear()
    for (const lane of this.parts.values()) for (const l of [lane, ...lane.replaces]) l.dispose()
    this.parts.clear()
    this.masterChain.dispose()
    this.masterGain.dispose()
    this.limiter.dispose()
    this.masterMeter?.dispose()
    this.bus.dispose()
  }
}

function disposeTrack(nodes: TrackNodes): void {
  nodes.lane.dispose()
  nodes.chain.dispose()
  nodes.gain.dispose()
  nodes.panner.dispose()
  nodes.audible.dispose()
  nodes.meter?.dispose()
}
