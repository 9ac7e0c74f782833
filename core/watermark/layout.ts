// The watermark's fixed geometry and its key-derived layout: which symbol, with which sign, each
// (frame, band) slot of a block carries.
import { CODED_BITS } from './code.ts'
import { keyedStream } from '../lib/random.ts'
import type { Hertz } from '../units.ts'

/** Rate the watermark lives at; every input is resampled to it for analysis. */
export const RATE: Hertz = 22050
/** STFT frame and hop in samples at RATE (23.2 ms frames, half overlap). */
export const FRAME = 512
export const HOP = 256
/** First FFT bin of the lowest band (21 × 43.07 Hz ≈ 904 Hz). */
export const FIRST_BIN = 21
/** Bins per band and bands per frame: 39 bands of 3 bins cover ≈ 904 Hz – 5.94 kHz. */
export const BAND_BINS = 3
export const BANDS = 39
/** Frames per block: 640 hops ≈ 7.43 s. Blocks repeat back to back through the whole file. */
export const BLOCK_FRAMES = 640
/** Known symbols per block that let detection find block boundaries. */
export const SYNC_SYMBOLS = 96
/** Symbols per block: sync first, then the coded payload bits. */
export const SYMBOLS = SYNC_SYMBOLS + CODED_BITS
/** Slots per block. */
export const SLOTS = BLOCK_FRAMES * BANDS

/** A key's layout: for each slot (frame × BANDS + band), its symbol and sign (±1). */
export interface Layout {
  symbol: Uint16Array
  sign: Int8Array
  /**
   * Slots carrying sync symbols (frame × BANDS + band), grouped by bin 2 × symbol + (sign > 0) and
   * in slot order within a bin; bin b holds syncSlots[syncStarts[b]…syncStarts[b + 1]).
   */
  syncSlots: Uint32Array
  syncStarts: Uint32Array
}

let cached: { key: string; layout: Layout } | null = null

/** The layout a key derives: a keyed shuffle spreads every symbol over the whole block. */
export function layoutFor(key: string): Layout {
  if (cached?.key === key) return cached.layout
  const next = keyedStream(key, 'stemfair-watermark-layout-v1')
  const order = new Uint32Array(SLOTS)
  for (let i = 0; i < SLOTS; i++) order[i] = i
  for (let i = SLOTS - 1; i > 0; i--) {
    const j = next() % (i + 1)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  const symbol = new Uint16Array(SLOTS)
  const sign = new Int8Array(SLOTS)
  for (let i = 0; i < SLOTS; i++) {
    const slot = order[i]!
    symbol[slot] = i % SYMBOLS
    sign[slot] = next() & 1 ? 1 : -1
  }
  const bins: number[][] = Array.from({ length: 2 * SYNC_SYMBOLS }, () => [])
  for (let slot = 0; slot < SLOTS; slot++)
    if (symbol[slot]! < SYNC_SYMBOLS)
      bins[2 * symbol[slot]! + (sign[slot]! > 0 ? 1 : 0)]!.push(slot)
  const syncStarts = new Uint32Array(bins.length + 1)
  bins.forEach((bin, b) => (syncStarts[b + 1] = syncStarts[b]! + bin.length))
  const layout = { symbol, sign, syncSlots: Uint32Array.from(bins.flat()), syncStarts }
  cached = { key, layout }
  return layout
}
