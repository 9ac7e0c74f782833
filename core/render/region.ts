import type { Region } from '../recipe/schema.ts'
import { cutoffFor, reachFor, sincAt } from './sinc.ts'
import type { StemSource } from './source.ts'

/** A time in frames, snapped to the nearest frame when it is one up to rounding error. */
const snap = (frames: number) => {
  const r = Math.round(frames)
  return Math.abs(frames - r) < 1e-6 ? r : frames
}

/** The frame each pass of a region starts at (sub-sample exact). */
export const passStarts = (region: Region, sampleRate: number): Float64Array =>
  Float64Array.from({ length: region.loops }, (_, k) =>
    snap((region.start + k * region.duration) * sampleRate),
  )

/** The frames a region playing at `rate` reads from its source per block (its scratch's length). */
export const scratchFrames = (rate: number, blockFrames: number): number =>
  Math.ceil(blockFrames * rate) + 2 * reachFor(rate) + 4

/**
 * Block buffers regions share (they render one after another, lane after lane): the source frames
 * a pass reads, and a voice's own output. One set per render, not per region or lane: a remix of
 * 16 lanes of many regions (10 minutes laid out in 30-second takes) holds one.
 */
export class RegionScratch {
  readonly read: Float32Array[]
  readonly own: [Float32Array, Float32Array]

  constructor(channels: number, frames: number, blockFrames: number) {
    this.read = Array.from({ length: channels }, () => new Float32Array(frames))
    this.own = [new Float32Array(blockFrames), new Float32Array(blockFrames)]
  }
}

/** Plays a region's effect on its own voice (a region pitch shifter). */
export interface VoiceProcessor {
  process(left: Float32Array, right: Float32Array, channels: 1 | 2, n: number): 1 | 2
  /** Frames after the region's end during which it still sounds. */
  readonly tail: number
  reset(): void
  /** Sets the absolute frame of the next block (its phases follow the timeline). */
  seek(frame: number): void
}

/**
 * One region on a track, as Tone.Player plays it in the studio: pass k starts at
 * start + k·duration (sub-sample exact), reads the source from `offset` at `rate` through a
 * band-limited interpolator, with linear fades (in at the pass's start, out to zero at its end)
 * and the region's gain.
 */
export class RegionVoice {
  /** The first frame any pass sounds, and the frame after the last one (tail included). */
  readonly first: number
  readonly end: number
  private readonly starts: Float64Array
  private readonly length: number
  private readonly fadeIn: number
  private readonly fadeOut: number
  private readonly gain: number
  private readonly rate: number
  private readonly offset: number
  private readonly fc: number
  private readonly reach: number
  private readonly scratch: Float32Array[]
  private readonly own: Float32Array[] | undefined
  private readonly source: StemSource
  private readonly voice: VoiceProcessor | undefined
  private sounding = false

  constructor(
    region: Region,
    source: StemSource,
    sampleRate: number,
    blockFrames: number,
    voice: VoiceProcessor | undefined,
    pool: RegionScratch,
    /** The frames its passes start at (default: the region's own, `passStarts`). */
    starts = passStarts(region, sampleRate),
  ) {
    this.source = source
    this.voice = voice
    this.starts = starts
    this.length = region.duration * sampleRate
    this.fadeIn = region.fadeIn * sampleRate
    this.fadeOut = region.fadeOut * sampleRate
    this.gain = 10 ** (region.gainDb / 20)
    this.rate = region.rate
    this.offset = region.offset * sampleRate
    this.fc = cutoffFor(region.rate)
    this.reach = reachFor(region.rate)
    const capacity = scratchFrames(region.rate, blockFrames)
    if (pool.read.length < source.channels || pool.read[0]!.length < capacity)
      throw new RangeError('region scratch too small')
    this.scratch = pool.read.slice(0, source.channels).map((s) => s.subarray(0, capacity))
    this.own = voice ? pool.own : undefined
    this.first = Math.ceil(this.starts[0]!)
    this.end = Math.ceil(this.starts[region.loops - 1]! + this.length) + (voice?.tail ?? 0)
  }

  /** Adds frames [at, at + n) of this region into `out` (one array per source channel). */
  async render(at: number, n: number, out: Float32Array[]): Promise<void> {
    if (at + n <= this.first || at >= this.end) {
      if (this.sounding) this.voice?.reset()
      this.sounding = false
      return
    }
    this.sounding = true
    const channels = this.source.channels
    const target = this.own ?? out
    if (this.own) for (let c = 0; c < channels; c++) this.own[c]!.fill(0, 0, n)
    for (let k = 0; k < this.starts.length; k++)
      await this.renderPass(this.starts[k]!, at, n, target)
    if (!this.own || !this.voice) return
    this.voice.seek(at)
    const produced = this.voice.process(this.own[0]!, this.own[1]!, channels as 1 | 2, n)
    if (produced === channels) {
      for (let c = 0; c < channels; c++) addInto(out[c]!, this.own[c]!, n)
    } else {
      // a stereo voice on a mono lane folds down as the lane's next node would
      const [l, r] = this.own as [Float32Array, Float32Array]
      const o = out[0]!
      for (let i = 0; i < n; i++) o[i] = o[i]! + 0.5 * (l[i]! + r[i]!)
    }
  }

  private async renderPass(start: number, at: number, n: number, out: Float32Array[]) {
    const stop = start + this.length
    const a = Math.max(at, Math.ceil(start))
    const b = Math.min(at + n, Math.ceil(stop))
    if (a >= b) return
    const { rate, offset, fadeIn, fadeOut, gain, reach, scratch } = this
    const p0 = offset + (a - start) * rate
    const lo = Math.floor(p0) - reach
    const pending = this.source.read(lo, scratch)
    if (pending) await pending
    const exact = rate === 1 && p0 === Math.floor(p0)
    // frames [m1, m2) are past the fade-in and before the fade-out: their gain is `gain`
    let m1 = a
    while (m1 < b && m1 - start < fadeIn) m1++
    let m2 = b
    while (m2 > m1 && stop - (m2 - 1) < fadeOut) m2--
    for (let c = 0; c < scratch.length; c++) {
      const data = scratch[c]!
      const o = out[c]!
      this.fade(data, o, start, at, a, lo, exact, a, m1)
      if (exact) {
        const shift = reach - a
        for (let f = m1; f < m2; f++) o[f - at] = o[f - at]! + data[f + shift]! * gain
      } else {
        const fc = this.fc
        for (let f = m1; f < m2; f++)
          o[f - at] = o[f - at]! + sincAt(data, offset + (f - start) * rate - lo, fc) * gain
      }
      this.fade(data, o, start, at, a, lo, exact, m2, b)
    }
  }

  /** Adds frames [from, to) of a pass with their fades (the source read at `lo` is in `data`). */
  private fade(
    data: Float32Array,
    o: Float32Array,
    start: number,
    at: number,
    a: number,
    lo: number,
    exact: boolean,
    from: number,
    to: number,
  ): void {
    const { rate, offset, fadeIn, fadeOut, gain, reach } = this
    const stop = start + this.length
    for (let f = from; f < to; f++) {
      const since = f - start
      const left = stop - f
      let g = gain
      if (since < fadeIn) g *= since / fadeIn
      if (left < fadeOut) g *= left / fadeOut
      const x = exact ? data[f - a + reach]! : sincAt(data, offset + since * rate - lo, this.fc)
      o[f - at] = o[f - at]! + x * g
    }
  }
}

function addInto(to: Float32Array, from: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) to[i] = to[i]! + from[i]!
}

/**
 * One pass of a region as the export renders it, fades included, at 0 dB (the caller applies the
 * region's gain): frames [0, ceil(phase + duration · sampleRate)) of a pass that starts `phase`
 * (≥ 0) frames after frame 0, i.e. the pass at frame `start` played from an integer frame F ≤
 * start with phase = start − F. The studio plays rate-changed regions as these buffers.
 */
export async function renderPass(
  region: Region,
  source: StemSource,
  sampleRate: number,
  phase: number,
): Promise<Float32Array[]> {
  const frames = Math.ceil(phase + region.duration * sampleRate)
  const block = 4096
  const pool = new RegionScratch(source.channels, scratchFrames(region.rate, block), block)
  const pass = { ...region, loops: 1, gainDb: 0 }
  const voice = new RegionVoice(
    pass,
    source,
    sampleRate,
    block,
    undefined,
    pool,
    Float64Array.of(phase),
  )
  const out = Array.from({ length: source.channels }, () => new Float32Array(frames))
  const views = out.map(() => new Float32Array(0))
  for (let at = 0; at < frames; at += block) {
    const n = Math.min(block, frames - at)
    for (let c = 0; c < out.length; c++) views[c] = out[c]!.subarray(at, at + n)
    await voice.render(at, n, views)
  }
  return out
}
