import type { Hertz, NormalRange, Seconds } from '../units.ts'
import { CODED_BITS, decodeSoft, hexFromBits } from './code.ts'
import { framesIn } from './embed.ts'
import {
  BANDS,
  BLOCK_FRAMES,
  FRAME,
  HOP,
  layoutFor,
  RATE,
  SLOTS,
  SYMBOLS,
  SYNC_SYMBOLS,
  type Layout,
} from './layout.ts'
import { resampleBand, resampleBandCoarse, resampledLength } from './resample.ts'
import { Analyzer, featuresOf } from './stft.ts'

/** What detection found: the payload with its evidence, or nothing. */
export type WatermarkDetection =
  | {
      found: true
      payload: string
      confidence: NormalRange
      bitErrors: number
      offsetSeconds: Seconds
      /** The speed, tempo or pitch change the clip was found under (absent: none). */
      scale?: { change: 'speed' | 'tempo' | 'pitch'; factor: number }
    }
  | { found: false; confidence: NormalRange }

/** The shortest clip detection can decode: one block (7.4 s) and a little slack. */
export const MIN_DETECT_SECONDS: Seconds = 8

/** Lowest sample rate that still holds the whole watermark band (up to 6 kHz). */
export const MIN_DETECT_RATE: Hertz = 12000

/** Sync strength (a z-score, about N(0, 1) on unmarked audio) below which nothing is decoded. */
const SYNC_THRESHOLD = 5.5
/** Most coded-bit disagreements a decoded payload may show. */
const MAX_BIT_ERROR_RATE = 0.3
/** Grid offsets tried, in samples at RATE: a coarse pass, then a finer one around the best. */
const COARSE_OFFSETS = [0, 85, 171]
const FINE_STEPS = [-42, -21, 21, 42]
/** Below this coarse z-score the finer offsets (worth 10–15 % at most) cannot reach the threshold. */
const FINE_SEARCH_FROM = 0.75 * SYNC_THRESHOLD
/** The grid and block search reads at most this much of a long clip before falling back to all of it. */
const SEARCH_FRAMES = 6 * BLOCK_FRAMES

/** Features are clipped to ±CLIP before folding: codec holes and transients make outliers. */
const CLIP = 1.5

/**
 * Scale search (speed, tempo and pitch changes), after the search at the original scale fails.
 * Each candidate undoes one change on a window at the start of the clip: a speed change s (time
 * and frequency × s, "sped up" reposts) by resampling by s; a tempo change t (time only) by an
 * analysis hop of HOP / t; a pitch change p (frequency only) by resampling by p and a hop of
 * HOP × p. The grid is fine enough that the frames of the window drift by under half a hop; the
 * best candidate is then refined by halving steps over a longer span before decoding. This is the
 * exhaustive search over candidate scalings of Kirovski & Malvar ("Spread-spectrum watermarking
 * of audio signals", IEEE Trans. Signal Processing 51(4), 2003, §IV: the detector tests a set of
 * time/frequency scalings), with the sync pattern as the test statistic, coarse to fine.
 */
const SCALE_WINDOW = Math.round(1.25 * BLOCK_FRAMES)
/** A coarse z-score this high ends the grid early (unmarked audio peaks near 4.4 over the grid). */
const CLEAR_PEAK = 7.5
/** Below this the best coarse candidate is not refined (unmarked audio: 3.9–4.4 over the grid). */
const SCALE_REFINE_FROM = 4.6
const SCALE_STEP = 0.0025
const SCALE_RANGE = 0.05
const PITCH_STEP = 0.008
const PITCH_RANGE = 0.065
/** Frames the refinement and decoding read at a changed scale (residual drift grows with span). */
const SCALED_SPAN = 6 * BLOCK_FRAMES

type Family = 'speed' | 'tempo' | 'pitch'
interface Scale {
  family: Family
  factor: number
}

function candidateScales(): Scale[] {
  const out: Scale[] = []
  const steps = Math.round(SCALE_RANGE / SCALE_STEP)
  // Nearest first, so a clear peak near 1 is met early.
  for (let i = 1; i <= steps; i++)
    for (const sign of [1, -1])
      for (const family of ['speed', 'tempo'] as const)
        out.push({ family, factor: 1 + sign * i * SCALE_STEP })
  for (let i = 1; i * PITCH_STEP <= PITCH_RANGE; i++)
    for (const sign of [1, -1]) out.push({ family: 'pitch', factor: 1 + sign * i * PITCH_STEP })
  return out
}
const SCALES = candidateScales()

/** Preallocated detection state for one clip. */
interface Search {
  signal: Float32Array
  hop: number
  layout: Layout
  analyzer: Analyzer
  raw: Float32Array
  features: Float32Array
  folded: Float32Array
  sums: Float64Array
}

interface Candidate {
  offset: number
  shift: number
  z: number
}

/** Folds up to `limit` frames of the clip's features at grid `offset` onto block rows. */
function fold(search: Search, offset: number, limit: number): void {
  const { signal, analyzer, raw, features, folded } = search
  folded.fill(0, 0, SLOTS)
  const { hop } = search
  const available = signal.length - offset
  const frames = Math.min(limit, available < FRAME ? 0 : Math.floor((available - FRAME) / hop) + 1)
  featuresOf(analyzer, signal, offset, frames, raw, features, hop)
  for (let j = 0, row = 0; j < frames; j++) {
    const at = j * BANDS
    for (let b = 0; b < BANDS; b++) {
      const v = features[at + b]!
      folded[row + b]! += v > CLIP ? CLIP : v < -CLIP ? -CLIP : v
    }
    row += BANDS
    if (row === SLOTS) row = 0
  }
}

/**
 * The block shift whose sync agrees best with the folded features. Two z-scores, each about
 * N(0, 1) on unmarked audio: over slots (strong when many blocks add up) and over sync symbols
 * (strong when informed embedding has cancelled the host within each block); the larger counts.
 */
function bestShift(search: Search): { shift: number; z: number } {
  // Two copies back to back, so a shifted slot index never needs wrapping.
  search.folded.copyWithin(SLOTS, 0, SLOTS)
  let best = { shift: 0, z: -Infinity }
  for (let shift = 0; shift < BLOCK_FRAMES; shift++) {
    const z = syncAt(search, shift)
    if (z > best.z) best = { shift, z }
  }
  return best
}

/** The sync z-score of the folded features (copied twice) at one block shift. */
function syncAt(search: Search, shift: number): number {
  const { folded, sums, layout } = search
  const { syncSlots, syncBins } = layout
  // Block position p holds fold row (p − shift) mod BLOCK_FRAMES.
  const move = shift === 0 ? 0 : (BLOCK_FRAMES - shift) * BANDS
  sums.fill(0)
  let energy = 0
  for (let i = 0; i < syncSlots.length; i++) {
    const v = folded[syncSlots[i]! + move]!
    sums[syncBins[i]!]! += v
    energy += v * v
  }
  let total = 0
  let squares = 0
  for (let s = 0; s < 2 * SYNC_SYMBOLS; s += 2) {
    const sum = sums[s + 1]! - sums[s]!
    total += sum
    squares += sum * sum
  }
  return energy > 0 ? Math.max(total / Math.sqrt(energy), total / Math.sqrt(squares)) : 0
}

/** Soft values of the coded bits at a shift: the signed sums of each symbol's slots. */
function softBits(search: Search, shift: number): Float64Array {
  const { folded, layout } = search
  const soft = new Float64Array(SYMBOLS)
  const move = ((BLOCK_FRAMES - shift) % BLOCK_FRAMES) * BANDS
  for (let slot = 0; slot < SLOTS; slot++) {
    let at = slot + move
    if (at >= SLOTS) at -= SLOTS
    soft[layout.symbol[slot]!]! += layout.sign[slot]! * folded[at]!
  }
  return soft.subarray(SYNC_SYMBOLS)
}

/**
 * The best grid offset and block shift over up to `limit` frames: every shift at a few coarse
 * offsets, then finer offsets at the best shift only (a small misalignment costs little).
 */
function locate(search: Search, limit: number): Candidate {
  let best: Candidate = { offset: 0, shift: 0, z: -Infinity }
  for (const offset of COARSE_OFFSETS) {
    fold(search, offset, limit)
    const found = bestShift(search)
    if (found.z > best.z) best = { offset, ...found }
  }
  const coarse = best
  if (coarse.z < FINE_SEARCH_FROM) return coarse
  for (const step of FINE_STEPS) {
    let offset = coarse.offset + step
    let shift = coarse.shift
    // Moving the grid by a whole hop renumbers the frames by one.
    if (offset < 0) [offset, shift] = [offset + HOP, (shift + 1) % BLOCK_FRAMES]
    if (offset >= HOP) [offset, shift] = [offset - HOP, (shift + BLOCK_FRAMES - 1) % BLOCK_FRAMES]
    fold(search, offset, limit)
    search.folded.copyWithin(SLOTS, 0, SLOTS)
    const z = syncAt(search, shift)
    // A finer offset must win clearly: near-ties are noise, and the embedded grid is coarse offset 0.
    if (z > FINE_MARGIN * best.z) best = { offset, shift, z }
  }
  return best
}
const FINE_MARGIN = 1.02

function monoAtRate(channels: readonly Float32Array[], sampleRate: Hertz): Float32Array {
  const length = channels[0]!.length
  const mix = new Float32Array(length)
  for (const c of channels) for (let i = 0; i < length; i++) mix[i]! += c[i]! / channels.length
  if (sampleRate === RATE) return mix
  return resampleBand(
    mix,
    sampleRate,
    RATE,
    new Float32Array(resampledLength(length, sampleRate, RATE)),
  )
}

const confidenceFrom = (z: number): NormalRange => Math.min(1, Math.max(0, (z - 3) / 6))

/**
 * Looks for a watermark made with `key` in planar PCM, without the original. Searches the STFT
 * grid offset (coarse, then fine) and the block boundary by sync correlation over the clip (its
 * blocks folded together), then decodes the payload by soft Viterbi and checks its CRC.
 */
export function detectWatermark(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  key: string,
): WatermarkDetection {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_DETECT_RATE)
    throw new RangeError(`detectWatermark needs a sample rate of at least ${MIN_DETECT_RATE} Hz`)
  if (channels.length === 0 || !key) return { found: false, confidence: 0 }
  const signal = monoAtRate(channels, sampleRate)
  const frames = framesIn(signal.length)
  if (frames < 2) return { found: false, confidence: 0 }
  const capacity = Math.ceil(frames * 1.1) + 16
  const search: Search = {
    signal,
    hop: HOP,
    layout: layoutFor(key),
    analyzer: new Analyzer(),
    raw: new Float32Array(capacity * BANDS),
    features: new Float32Array(capacity * BANDS),
    folded: new Float32Array(2 * SLOTS),
    sums: new Float64Array(2 * SYNC_SYMBOLS),
  }
  let best = locate(search, SEARCH_FRAMES)
  if (best.z < SYNC_THRESHOLD && frames > SEARCH_FRAMES) best = locate(search, frames)
  if (best.z >= SYNC_THRESHOLD) {
    const found = decodeAt(search, best, frames, 1)
    if (found) return found
  }
  const scaled = searchScales(search, signal)
  if (scaled) return scaled
  return { found: false, confidence: confidenceFrom(Math.max(best.z, 0)) }
}

/** Decodes the payload at a located grid; null unless the CRC holds and few coded bits disagree. */
function decodeAt(
  search: Search,
  best: Candidate,
  limit: number,
  timeScale: number,
  scale?: Scale,
): WatermarkDetection | null {
  fold(search, best.offset, limit)
  const { payload, bitErrors } = decodeSoft(softBits(search, best.shift))
  if (!payload || bitErrors > MAX_BIT_ERROR_RATE * CODED_BITS) return null
  const firstBlock = (BLOCK_FRAMES - best.shift) % BLOCK_FRAMES
  return {
    found: true,
    payload: hexFromBits(payload),
    confidence: confidenceFrom(best.z),
    bitErrors,
    offsetSeconds: (best.offset + firstBlock * search.hop) / RATE / timeScale,
    ...(scale ? { scale: { change: scale.family, factor: scale.factor } } : {}),
  }
}

/** The clip as a candidate change would have left it undone: the signal to analyse and its hop. */
function undo(
  signal: Float32Array,
  scale: Scale,
  samples: number,
  buffer: Float32Array,
): { signal: Float32Array; hop: number } {
  const { family, factor } = scale
  if (family === 'tempo') return { signal, hop: HOP / factor }
  const to = Math.round(RATE * factor)
  const length = Math.min(buffer.length, Math.ceil((samples * to) / RATE))
  const input = signal.subarray(0, Math.min(signal.length, samples + 64))
  const out = resampleBandCoarse(input, RATE, to, buffer.subarray(0, length))
  return { signal: out, hop: family === 'pitch' ? (HOP * to) / RATE : HOP }
}

/** The coarse grid of scales on a window, then refinement of the best and decoding. */
function searchScales(search: Search, signal: Float32Array): WatermarkDetection | null {
  const frames = framesIn(signal.length)
  if (frames < BLOCK_FRAMES) return null
  const buffer = new Float32Array(Math.ceil(signal.length * 1.08) + 1024)
  const samplesFor = (span: number) => Math.min(signal.length, (span + 2) * HOP + FRAME) * 1.07
  let best: { scale: Scale; at: Candidate } | null = null
  for (const scale of SCALES) {
    setScale(search, signal, scale, samplesFor(SCALE_WINDOW), buffer)
    const at = locateCoarse(search, SCALE_WINDOW)
    if (!best || at.z > best.at.z) best = { scale, at }
    if (at.z >= CLEAR_PEAK) break
  }
  if (!best || best.at.z < SCALE_REFINE_FROM) return null
  // Refine by halving steps; each halving doubles the span read (drift stays under half a hop).
  let { scale, at } = best
  let span = SCALE_WINDOW
  setScale(search, signal, scale, samplesFor(span), buffer)
  at = near(search, at, span)
  for (let step = (scale.family === 'pitch' ? PITCH_STEP : SCALE_STEP) / 2; ; step /= 2) {
    const start = scale
    for (const sign of [1, -1]) {
      const next = { ...start, factor: start.factor + sign * step }
      setScale(search, signal, next, samplesFor(span), buffer)
      const tried = near(search, at, span)
      if (tried.z > at.z) {
        scale = next
        at = tried
      }
    }
    if (span >= Math.min(frames, SCALED_SPAN)) break
    span = Math.min(2 * span, SCALED_SPAN)
    setScale(search, signal, scale, samplesFor(span), buffer)
    at = near(search, at, span)
  }
  if (at.z < SYNC_THRESHOLD) return null
  setScale(search, signal, scale, samplesFor(span), buffer)
  const timeScale = scale.family === 'pitch' ? 1 : scale.factor
  return decodeAt(search, at, span, timeScale, scale)
}

/** Sets the search state to read the signal as `scale` would have left it undone. */
function setScale(
  search: Search,
  signal: Float32Array,
  scale: Scale,
  samples: number,
  buffer: Float32Array,
): void {
  const undone = undo(signal, scale, Math.ceil(samples), buffer)
  search.signal = undone.signal
  search.hop = undone.hop
}

/** The best of a few grid offsets and block shifts around a located candidate. */
function near(search: Search, around: Candidate, limit: number): Candidate {
  let best: Candidate = { ...around, z: -Infinity }
  for (const step of [-32, 0, 32]) {
    let offset = around.offset + step
    let base = around.shift
    if (offset < 0) [offset, base] = [offset + HOP, (base + 1) % BLOCK_FRAMES]
    if (offset >= HOP) [offset, base] = [offset - HOP, (base + BLOCK_FRAMES - 1) % BLOCK_FRAMES]
    fold(search, offset, limit)
    search.folded.copyWithin(SLOTS, 0, SLOTS)
    for (let d = -2; d <= 2; d++) {
      const shift = (base + d + BLOCK_FRAMES) % BLOCK_FRAMES
      const z = syncAt(search, shift)
      if (z > best.z) best = { offset, shift, z }
    }
  }
  return best
}

/** Every block shift at two grid offsets: the cheap test each candidate scale gets. */
function locateCoarse(search: Search, limit: number): Candidate {
  let best: Candidate = { offset: 0, shift: 0, z: -Infinity }
  for (const offset of SCALE_OFFSETS) {
    fold(search, offset, limit)
    const found = bestShift(search)
    if (found.z > best.z) best = { offset, ...found }
  }
  return best
}
const SCALE_OFFSETS = [0, 128]
