import type { Hertz, NormalRange, Seconds } from '../units.ts'
import { CODED_BITS, decodeSoft, hexFromBits } from './code.ts'
import { framesIn, MIN_RATE } from './embed.ts'
import {
  BANDS,
  BLOCK_FRAMES,
  HOP,
  layoutFor,
  RATE,
  SLOTS,
  SYMBOLS,
  SYNC_SYMBOLS,
  type Layout,
} from './layout.ts'
import { resampledLength, resampleInto } from './resample.ts'
import { Analyzer } from './stft.ts'

/** What detection found: the payload with its evidence, or nothing. */
export type WatermarkDetection =
  | {
      found: true
      payload: string
      confidence: NormalRange
      bitErrors: number
      offsetSeconds: Seconds
    }
  | { found: false; confidence: NormalRange }

/** The shortest clip detection can decode: one block plus a frame. */
export const MIN_DETECT_SECONDS: Seconds = 8

/** Sync strength (a z-score) below which nothing is decoded. */
const SYNC_THRESHOLD = 6
/** Most coded-bit disagreements a decoded payload may show. */
const MAX_BIT_ERROR_RATE = 0.3
/** Grid offsets tried, in samples at RATE: a coarse pass, then a finer one around the best. */
const COARSE_STEP = 32
const FINE_STEPS = [-16, -8, 8, 16]
const ANALYSIS_CUTOFF: Hertz = 10000

interface Candidate {
  offset: number
  shift: number
  z: number
}

/** Folds the clip's features at grid `offset` onto block positions: folded[r × BANDS + b]. */
function fold(
  signal: Float32Array,
  offset: number,
  analyzer: Analyzer,
  frame: Float32Array,
  folded: Float32Array,
): void {
  folded.fill(0)
  const frames = framesIn(signal.length - offset)
  for (let j = 0; j < frames; j += 2) {
    analyzer.load(signal, offset + j * HOP, offset + (j + 1) * HOP)
    analyzer.features(0, frame, 0)
    const r0 = (j % BLOCK_FRAMES) * BANDS
    for (let b = 0; b < BANDS; b++) folded[r0 + b]! += frame[b]!
    if (j + 1 < frames) {
      analyzer.features(1, frame, 0)
      const r1 = ((j + 1) % BLOCK_FRAMES) * BANDS
      for (let b = 0; b < BANDS; b++) folded[r1 + b]! += frame[b]!
    }
  }
}

/** The best block shift for folded features, with its sync z-score. */
function bestShift(folded: Float32Array, layout: Layout): { shift: number; z: number } {
  const { syncSlots, sign } = layout
  let best = { shift: 0, z: -Infinity }
  for (let shift = 0; shift < BLOCK_FRAMES; shift++) {
    // Block position p holds clip fold row (p − shift) mod BLOCK_FRAMES.
    const move = ((BLOCK_FRAMES - shift) % BLOCK_FRAMES) * BANDS
    let sum = 0
    let energy = 0
    for (let i = 0; i < syncSlots.length; i++) {
      const slot = syncSlots[i]!
      let at = slot + move
      if (at >= SLOTS) at -= SLOTS
      const v = folded[at]!
      sum += sign[slot]! * v
      energy += v * v
    }
    const z = energy > 0 ? sum / Math.sqrt(energy) : 0
    if (z > best.z) best = { shift, z }
  }
  return best
}

/** Soft values of the coded bits at a shift: the signed sums of each symbol's slots. */
function softBits(folded: Float32Array, layout: Layout, shift: number): Float64Array {
  const soft = new Float64Array(SYMBOLS)
  const move = ((BLOCK_FRAMES - shift) % BLOCK_FRAMES) * BANDS
  for (let slot = 0; slot < SLOTS; slot++) {
    let at = slot + move
    if (at >= SLOTS) at -= SLOTS
    soft[layout.symbol[slot]!]! += layout.sign[slot]! * folded[at]!
  }
  return soft.subarray(SYNC_SYMBOLS)
}

function monoAtRate(channels: readonly Float32Array[], sampleRate: Hertz): Float32Array {
  const length = channels[0]?.length ?? 0
  const mix = new Float32Array(length)
  for (const c of channels) for (let i = 0; i < length; i++) mix[i]! += c[i]! / channels.length
  return resampleInto(
    mix,
    sampleRate,
    RATE,
    ANALYSIS_CUTOFF,
    new Float32Array(resampledLength(length, sampleRate, RATE)),
  )
}

const confidenceFrom = (z: number): NormalRange => Math.min(1, Math.max(0, (z - 3) / 9))

/**
 * Looks for a watermark made with `key` in planar PCM, without the original. Searches the STFT
 * grid offset (coarse, then fine) and the block boundary by sync correlation over the whole clip
 * (blocks folded together), then decodes the payload by soft Viterbi and checks its CRC.
 */
export function detectWatermark(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  key: string,
): WatermarkDetection {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE)
    throw new RangeError(`detectWatermark needs a sample rate of at least ${MIN_RATE} Hz`)
  if (channels.length === 0 || !key) return { found: false, confidence: 0 }
  const signal = monoAtRate(channels, sampleRate)
  if (framesIn(signal.length) < 2) return { found: false, confidence: 0 }
  const layout = layoutFor(key)
  const analyzer = new Analyzer()
  const frame = new Float32Array(BANDS)
  const folded = new Float32Array(SLOTS)
  const tried = new Map<number, Candidate>()
  const tryOffset = (offset: number) => {
    if (tried.has(offset) || offset < 0 || offset >= HOP) return
    fold(signal, offset, analyzer, frame, folded)
    tried.set(offset, { offset, ...bestShift(folded, layout) })
  }
  for (let offset = 0; offset < HOP; offset += COARSE_STEP) tryOffset(offset)
  const coarse = [...tried.values()].reduce((a, b) => (b.z > a.z ? b : a))
  for (const step of FINE_STEPS) tryOffset((coarse.offset + step + HOP) % HOP)
  const best = [...tried.values()].reduce((a, b) => (b.z > a.z ? b : a))
  if (best.z < SYNC_THRESHOLD) return { found: false, confidence: confidenceFrom(best.z) }
  fold(signal, best.offset, analyzer, frame, folded)
  const soft = softBits(folded, layout, best.shift)
  const { payload, bitErrors } = decodeSoft(soft)
  if (!payload || bitErrors > MAX_BIT_ERROR_RATE * CODED_BITS)
    return { found: false, confidence: confidenceFrom(best.z) }
  const firstBlock = (BLOCK_FRAMES - best.shift) % BLOCK_FRAMES
  return {
    found: true,
    payload: hexFromBits(payload),
    confidence: confidenceFrom(best.z),
    bitErrors,
    offsetSeconds: (best.offset + firstBlock * HOP) / RATE,
  }
}
