import { audibleFrom, partsAudible } from '../recipe/audibility.ts'
import type { GeneratedPart } from '../music/part.ts'
import type { Recipe, Track } from '../recipe/schema.ts'
import { Chain, type EffectContext } from './chain.ts'
import { processorFor } from './effects.ts'
import { LimiterKernel, LIMITER_LOOKAHEAD, limiterLatency } from './limiter-kernel.ts'
import { panInto } from './pan.ts'
import { PitchShiftKernel } from './pitch-shift.ts'
import { RegionScratch, RegionVoice, scratchFrames, type VoiceProcessor } from './region.ts'
import type { StemSource } from './source.ts'
import { PartVoice } from './synth.ts'
import { CONVOLVER_CELL } from './reverb.ts'

export type { StemSource } from './source.ts'
export { BufferSource } from './source.ts'
export { limiterLatency } from './limiter-kernel.ts'

export type RenderOptions = {
  sampleRate: number
  /** Frames `next` delivers at a time (default 4096); the render runs in RENDER_QUANTUM blocks whatever it is. */
  blockFrames?: number
  /** Also deliver each stem's contribution before the master (`stemIds`, `next`'s `stems`). */
  stems?: boolean
}

/**
 * One stem's contribution as the mix plays it: the sum of its tracks after their chains, gain and
 * pan, before the master. Delayed by the limiter's latency, so it lines up with the master output.
 */
class StemTap {
  readonly left: Float32Array
  readonly right: Float32Array
  /** The block out of the delay. */
  readonly outL: Float32Array
  readonly outR: Float32Array
  private readonly delayL: Float32Array
  private readonly delayR: Float32Array
  private at = 0

  constructor(blockFrames: number, latency: number) {
    this.left = new Float32Array(blockFrames)
    this.right = new Float32Array(blockFrames)
    this.outL = new Float32Array(blockFrames)
    this.outR = new Float32Array(blockFrames)
    this.delayL = new Float32Array(latency)
    this.delayR = new Float32Array(latency)
  }

  /** Pushes the block through the delay into `outL/outR`. */
  shift(n: number): void {
    const { left, right, delayL, delayR, outL, outR } = this
    const size = delayL.length
    if (size === 0) {
      outL.set(left.subarray(0, n))
      outR.set(right.subarray(0, n))
      return
    }
    let at = this.at
    for (let i = 0; i < n; i++) {
      const l = delayL[at]!
      const r = delayR[at]!
      delayL[at] = left[i]!
      delayR[at] = right[i]!
      outL[i] = l
      outR[i] = r
      if (++at === size) at = 0
    }
    this.at = at
  }
}

const dbToGain = (db: number) => 10 ** (db / 20)

/**
 * Frames the renderer processes at a time, from frame 0, whatever block `next` is asked for: every
 * kernel sees the same calls (so the render is the same bits at any output block size), and the
 * reverb's convolver gets whole cells.
 */
export const RENDER_QUANTUM = CONVOLVER_CELL

/** Builds the voice processor of a region with a pitch (none without one). */
export type RegionVoiceFactory = (
  semitones: number,
  context: EffectContext,
) => VoiceProcessor | undefined

/**
 * The block buffers every lane uses while it renders: lanes render one after another and keep no
 * audio in them between blocks (their state is in their voices and kernels), so one set serves all.
 */
class LaneScratch {
  readonly left: Float32Array
  readonly right: Float32Array
  readonly regions: RegionScratch

  constructor(tracks: readonly Track[], channels: number, blockFrames: number) {
    this.left = new Float32Array(blockFrames)
    this.right = new Float32Array(blockFrames)
    let frames = 0
    for (const track of tracks)
      for (const r of track.regions) frames = Math.max(frames, scratchFrames(r.rate, blockFrames))
    this.regions = new RegionScratch(channels, frames, blockFrames)
  }
}

/** One track: its regions → effects → gain → pan → bus (mute and solo decide if it is built). */
class TrackLane {
  private readonly voices: RegionVoice[]
  private readonly chain: Chain
  private readonly left: Float32Array
  private readonly right: Float32Array
  private readonly outs: Float32Array[]
  private readonly channels: 1 | 2
  private readonly gain: number
  private readonly pan: number

  constructor(track: Track, source: StemSource, context: EffectContext, shared: LaneScratch) {
    this.pan = track.pan
    const { sampleRate, blockFrames } = context
    this.channels = source.channels === 1 ? 1 : 2
    this.left = shared.left
    this.right = shared.right
    this.outs = this.channels === 1 ? [this.left] : [this.left, this.right]
    const scratch = shared.regions
    this.voices = track.regions.map(
      (r) =>
        new RegionVoice(
          r,
          source,
          sampleRate,
          blockFrames,
          regionVoiceFor(r.pitch, context),
          scratch,
        ),
    )
    this.chain = new Chain(track.effects, context, processorFor)
    this.gain = dbToGain(track.gainDb)
  }

  async render(
    at: number,
    n: number,
    busL: Float32Array,
    busR: Float32Array,
    tap: StemTap | undefined,
  ): Promise<void> {
    this.left.fill(0, 0, n)
    if (this.channels === 2) this.right.fill(0, 0, n)
    for (const voice of this.voices) await voice.render(at, n, this.outs)
    let channels = this.chain.process(this.left, this.right, this.channels, n)
    if (this.channels === 1 && channels === 2) {
      // the studio's panner takes a mono stem's lane as one channel: stereo folds down
      const { left, right } = this
      for (let i = 0; i < n; i++) left[i] = 0.5 * (left[i]! + right[i]!)
      channels = 1
    }
    panInto(this.left, this.right, channels, this.pan, this.gain, busL, busR, n)
    // panned again into the stem's own bus, so the mix is the same bits with or without stems
    if (tap) panInto(this.left, this.right, channels, this.pan, this.gain, tap.left, tap.right, n)
  }
}

/** A generated part: its instrument → gain → mono equal-power pan → bus (as GeneratedLane). */
class PartLane {
  private readonly voice: PartVoice
  private readonly mono: Float32Array
  private readonly gain: number
  private readonly pan: number

  constructor(part: GeneratedPart, tempo: number, context: EffectContext) {
    this.voice = new PartVoice(part, tempo, context.sampleRate)
    this.mono = new Float32Array(context.blockFrames)
    this.gain = dbToGain(part.gainDb)
    this.pan = part.pan
  }

  render(at: number, n: number, busL: Float32Array, busR: Float32Array): void {
    this.mono.fill(0, 0, n)
    this.voice.render(at, n, this.mono)
    panInto(this.mono, this.mono, 1, this.pan, this.gain, busL, busR, n)
  }
}

/** A region with a pitch plays through its own pitch shifter (as the studio's Tone.PitchShift). */
const regionVoiceFor: RegionVoiceFactory = (semitones, { sampleRate }) =>
  semitones === 0 ? undefined : new PitchShiftKernel(sampleRate, semitones, 1)

/**
 * Deterministic streaming render of a recipe: recipe.length seconds of stereo, limiter latency
 * removed. It has the studio's semantics (web/audio/graph.ts): per track regions → effects → gain
 * → pan → mute/solo → bus; generated parts → gain → pan → bus; master effects → gain → limiter.
 */
export class RecipeRenderer {
  /** Total output frames = round(recipe.length × sampleRate). */
  readonly frames: number
  private done = 0
  private readonly blockFrames: number
  private readonly lanes: TrackLane[] = []
  /** The stem each lane plays, by lane. */
  private readonly laneStems: string[] = []
  /** Each stem's tap (when `stems` was asked), in `stemIds` order, and each lane's tap. */
  private readonly taps: StemTap[] = []
  private readonly laneTaps: (StemTap | undefined)[]
  /** The stems whose contributions `next` delivers, in recipe order (empty without `stems`). */
  readonly stemIds: string[] = []
  private readonly parts: PartLane[] = []
  private readonly master: Chain
  private readonly masterGain: number
  private readonly limiter: LimiterKernel
  private readonly ceiling: number
  private readonly limiting: boolean
  private readonly latency: number
  /** Frames of the output still to drop (the limiter's lookahead). */
  private skip: number
  private time = 0
  private readonly busL: Float32Array
  private readonly busR: Float32Array
  /** The last quantum's output (and the stems' in their taps), handed out from `at`. */
  private readonly outL: Float32Array
  private readonly outR: Float32Array
  private at = RENDER_QUANTUM

  constructor(
    recipe: Recipe,
    sources: ReadonlyMap<string /* stem id */, StemSource>,
    options: RenderOptions,
  ) {
    const { sampleRate } = options
    if (!(sampleRate > 0)) throw new RangeError(`bad sample rate ${sampleRate}`)
    this.blockFrames = Math.max(1, Math.floor(options.blockFrames ?? 4096))
    this.frames = Math.round(recipe.length * sampleRate)
    const context: EffectContext = {
      sampleRate,
      tempo: recipe.tempo,
      blockFrames: RENDER_QUANTUM,
    }
    const audible = audibleFrom(recipe.tracks)
    // a muted (or un-soloed) track, or one without audio, adds nothing: it is not rendered
    const played = recipe.tracks.filter(
      (track, i) => audible[i] && sources.has(track.stem) && track.regions.length > 0,
    )
    const channels = Math.max(1, ...played.map((t) => sources.get(t.stem)!.channels))
    const shared = new LaneScratch(played, channels, RENDER_QUANTUM)
    for (const track of played) {
      this.lanes.push(new TrackLane(track, sources.get(track.stem)!, context, shared))
      this.laneStems.push(track.stem)
    }
    const heard = partsAudible(recipe)
    recipe.generatedParts.forEach((part, i) => {
      if (heard[i]) this.parts.push(new PartLane(part, recipe.tempo, context))
    })
    this.master = new Chain(recipe.master.effects, context, processorFor)
    this.masterGain = dbToGain(recipe.master.gainDb)
    this.limiter = new LimiterKernel(sampleRate, LIMITER_LOOKAHEAD)
    this.latency = limiterLatency(sampleRate)
    this.skip = this.latency
    this.ceiling = dbToGain(recipe.master.limiter.ceilingDb)
    this.limiting = recipe.master.limiter.enabled
    this.busL = new Float32Array(RENDER_QUANTUM)
    this.busR = new Float32Array(RENDER_QUANTUM)
    this.outL = new Float32Array(RENDER_QUANTUM)
    this.outR = new Float32Array(RENDER_QUANTUM)
    if (options.stems)
      for (const stem of this.laneStems)
        if (!this.stemIds.includes(stem)) {
          this.stemIds.push(stem)
          this.taps.push(new StemTap(RENDER_QUANTUM, this.latency))
        }
    this.laneTaps = this.laneStems.map((stem) => this.taps[this.stemIds.indexOf(stem)])
  }

  /** Frames delivered so far. */
  get rendered(): number {
    return this.done
  }

  /**
   * Renders the next block into out[0], out[1] (length ≥ blockFrames), and each stem's
   * contribution into `stems[i]` (by `stemIds`) when asked; returns frames written, 0 when done.
   */
  async next(
    out: [Float32Array, Float32Array],
    stems?: readonly (readonly [Float32Array, Float32Array])[],
  ): Promise<number> {
    const n = Math.min(this.blockFrames, this.frames - this.done)
    if (n <= 0) return 0
    if (out[0].length < n || out[1].length < n) throw new RangeError('output block too short')
    for (let w = 0; w < n;) {
      if (this.at === RENDER_QUANTUM) {
        await this.process()
        // the limiter delays by its lookahead: the first `latency` frames it emits are dropped
        this.at = Math.min(this.skip, RENDER_QUANTUM)
        this.skip -= this.at
        continue
      }
      const m = Math.min(n - w, RENDER_QUANTUM - this.at)
      const to = this.at + m
      out[0].set(this.outL.subarray(this.at, to), w)
      out[1].set(this.outR.subarray(this.at, to), w)
      this.taps.forEach((tap, i) => {
        stems?.[i]?.[0].set(tap.outL.subarray(this.at, to), w)
        stems?.[i]?.[1].set(tap.outR.subarray(this.at, to), w)
      })
      this.at = to
      w += m
    }
    this.done += n
    return n
  }

  /** Renders the next quantum into outL/outR (and the stems' taps). */
  private async process(): Promise<void> {
    const { busL, busR, taps } = this
    const n = RENDER_QUANTUM
    busL.fill(0)
    busR.fill(0)
    for (const tap of taps) {
      tap.left.fill(0)
      tap.right.fill(0)
    }
    for (let i = 0; i < this.lanes.length; i++)
      await this.lanes[i]!.render(this.time, n, busL, busR, this.laneTaps[i])
    for (const tap of taps) tap.shift(n)
    for (const part of this.parts) part.render(this.time, n, busL, busR)
    this.master.process(busL, busR, 2, n)
    const g = this.masterGain
    if (g !== 1)
      for (let i = 0; i < n; i++) {
        busL[i] = busL[i]! * g
        busR[i] = busR[i]! * g
      }
    this.limiter.processBlock(busL, busR, this.outL, this.outR, 0, n, this.ceiling, this.limiting)
    this.time += n
  }
}

/** Renders a whole recipe into memory (tests and short renders; the worker streams with `next`). */
export async function renderAll(
  recipe: Recipe,
  sources: ReadonlyMap<string, StemSource>,
  options: RenderOptions,
): Promise<[Float32Array, Float32Array]> {
  const renderer = new RecipeRenderer(recipe, sources, options)
  const left = new Float32Array(renderer.frames)
  const right = new Float32Array(renderer.frames)
  const block = options.blockFrames ?? 4096
  const out: [Float32Array, Float32Array] = [new Float32Array(block), new Float32Array(block)]
  for (let n = await renderer.next(out); n > 0; n = await renderer.next(out)) {
    left.set(out[0].subarray(0, n), renderer.rendered - n)
    right.set(out[1].subarray(0, n), renderer.rendered - n)
  }
  return [left, right]
}
