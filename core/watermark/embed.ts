import { DomainError } from '../errors.ts'
import type { Hertz } from '../units.ts'
import { bitsFromHex, encodePayload } from './code.ts'
import {
  BAND_BINS,
  BANDS,
  BLOCK_FRAMES,
  FIRST_BIN,
  FRAME,
  HOP,
  layoutFor,
  RATE,
  SYMBOLS,
  SYNC_SYMBOLS,
  type Layout,
} from './layout.ts'
import { resampleBand, resampledLength } from './resample.ts'
import { Analyzer, featuresOf } from './stft.ts'

/** A watermark payload: the export id, 16 hex digits (64 bits). */
export type WatermarkPayload = string

const PAYLOAD = /^[0-9a-f]{16}$/

/** Lowest and highest sample rates the watermark supports. */
export const MIN_RATE: Hertz = 22050
export const MAX_RATE: Hertz = 192000

/** Relative amplitude change per slot: the usual one, the least, and the most (informed embedding). */
const STRENGTH = 0.08
const MIN_STRENGTH = 0.03
const MAX_STRENGTH = 0.15
/** Most watermark power in any frame, relative to the frame's power (−29 dB). */
const MAX_FRAME_POWER = 10 ** -2.9

/** Frames of the STFT grid that fit wholly in `length` samples at RATE. */
export function framesIn(length: number): number {
  return length < FRAME ? 0 : Math.floor((length - FRAME) / HOP) + 1
}

/** The value (±1) each symbol carries: +1 for sync, +1 for a 0 bit and −1 for a 1 bit. */
function symbolValues(payload: WatermarkPayload): Int8Array {
  const coded = encodePayload(bitsFromHex(payload))
  const values = new Int8Array(SYMBOLS).fill(1)
  for (let i = 0; i < coded.length; i++) values[SYNC_SYMBOLS + i] = coded[i] ? -1 : 1
  return values
}

/** Each channel at RATE (the inputs themselves when already at RATE), and their mean. */
function channelsAtRate(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
): { atRate: Float32Array[]; mix: Float32Array } {
  const length = resampledLength(channels[0]!.length, sampleRate, RATE)
  const atRate = channels.map((c) =>
    sampleRate === RATE ? c : resampleBand(c, sampleRate, RATE, new Float32Array(length)),
  )
  if (atRate.length === 1) return { atRate, mix: atRate[0]! }
  const mix = new Float32Array(length)
  const scale = 1 / atRate.length
  for (const c of atRate) for (let i = 0; i < length; i++) mix[i]! += c[i]! * scale
  return { atRate, mix }
}

/**
 * Per-slot signed strength for every frame: informed embedding reads what the host already
 * says about each symbol in each block and spends more strength only where the host disagrees.
 */
function slotGains(
  mix: Float32Array,
  frames: number,
  layout: Layout,
  values: Int8Array,
): Float32Array {
  const features = new Float32Array(frames * BANDS)
  featuresOf(new Analyzer(), mix, 0, frames, new Float32Array(frames * BANDS), features)
  const host = new Float64Array(SYMBOLS)
  const count = new Float64Array(SYMBOLS)
  const strength = new Float64Array(SYMBOLS)
  const gains = new Float32Array(frames * BANDS)
  for (let block = 0; block * BLOCK_FRAMES < frames; block++) {
    const first = block * BLOCK_FRAMES
    const inBlock = Math.min(BLOCK_FRAMES, frames - first)
    host.fill(0)
    count.fill(0)
    for (let slot = 0, end = inBlock * BANDS; slot < end; slot++) {
      const s = layout.symbol[slot]!
      host[s]! += layout.sign[slot]! * features[first * BANDS + slot]!
      count[s]!++
    }
    for (let s = 0; s < SYMBOLS; s++) {
      const n = count[s]!
      const wanted = n ? STRENGTH - (values[s]! * host[s]!) / (2 * n) : STRENGTH
      strength[s] = Math.min(MAX_STRENGTH, Math.max(MIN_STRENGTH, wanted))
    }
    for (let slot = 0, end = inBlock * BANDS; slot < end; slot++) {
      const s = layout.symbol[slot]!
      gains[first * BANDS + slot] = values[s]! * layout.sign[slot]! * strength[s]!
    }
  }
  limitLoudness(mix, frames, gains)
  return gains
}

/**
 * Scales down each frame's gains where the watermark would exceed MAX_FRAME_POWER of the frame's
 * own power, so the watermark's SNR holds even on sounds that live mostly in the watermark band.
 */
function limitLoudness(mix: Float32Array, frames: number, gains: Float32Array): void {
  const analyzer = new Analyzer()
  const bands = new Float64Array(BANDS)
  const powers = new Float64Array(BANDS)
  const sorted = new Float64Array(BANDS)
  for (let a = 0; a < frames; a += 2) {
    analyzer.load(mix, a * HOP, (a + 1) * HOP)
    for (let i = a; i < Math.min(a + 2, frames); i++) {
      const budget = MAX_FRAME_POWER * analyzer.energies(i === a ? 0 : 1, bands)
      let power = 0
      for (let b = 0; b < BANDS; b++) {
        powers[b] = gains[i * BANDS + b]! ** 2 * bands[b]!
        power += powers[b]!
      }
      if (power <= budget) continue
      // Water-filling: cap every band's power at the level that spends exactly the budget, so the
      // loudest bands give way and the quieter ones keep their full strength.
      sorted.set(powers)
      sorted.sort()
      let level = 0
      let below = 0
      for (let b = 0; b < BANDS; b++) {
        const candidate = (budget - below) / (BANDS - b)
        if (candidate <= sorted[b]!) {
          level = candidate
          break
        }
        below += sorted[b]!
      }
      for (let b = 0; b < BANDS; b++)
        if (powers[b]! > level) gains[i * BANDS + b]! *= Math.sqrt(level / powers[b]!)
    }
  }
}

/** Adds the watermark of frames (a, a+1) of the loaded pair to `delta`, scaling each band by its gain. */
function synthesizePair(
  analyzer: Analyzer,
  gains: Float32Array,
  frames: number,
  a: number,
  delta: Float32Array,
): void {
  const { re, im, window } = analyzer
  const low = FIRST_BIN
  const high = FIRST_BIN + BANDS * BAND_BINS
  re.fill(0, 0, low)
  im.fill(0, 0, low)
  re.fill(0, high, FRAME - high + 1)
  im.fill(0, high, FRAME - high + 1)
  re.fill(0, FRAME - low + 1)
  im.fill(0, FRAME - low + 1)
  const hasSecond = a + 1 < frames
  for (let band = 0; band < BANDS; band++) {
    const g1 = gains[a * BANDS + band]!
    const g2 = hasSecond ? gains[(a + 1) * BANDS + band]! : 0
    for (let k = low + band * BAND_BINS, end = k + BAND_BINS; k < end; k++) {
      const m = FRAME - k
      const d1r = 0.5 * g1 * (re[k]! + re[m]!)
      const d1i = 0.5 * g1 * (im[k]! - im[m]!)
      const d2r = 0.5 * g2 * (im[k]! + im[m]!)
      const d2i = 0.5 * g2 * (re[m]! - re[k]!)
      re[k] = d1r - d2i
      im[k] = d1i + d2r
      re[m] = d1r + d2i
      im[m] = d2r - d1i
    }
  }
  analyzer.inverse()
  const start1 = a * HOP
  const start2 = start1 + HOP
  for (let n = 0; n < FRAME; n++) {
    delta[start1 + n]! += window[n]! * re[n]!
    if (hasSecond) delta[start2 + n]! += window[n]! * im[n]!
  }
}

/**
 * Embeds `payload` into planar PCM under `key` and answers new marked channels (inputs untouched).
 *
 * Blind keyed spread spectrum in the STFT domain: every 23 ms frame, 39 bands between 0.9 and
 * 6 kHz are each raised or lowered by a few percent of their own level, following a key-derived
 * layout that carries sync symbols and the convolutionally coded payload. Blocks of 7.4 s repeat
 * through the file. Silence stays silent: the change is relative to the signal.
 */
export function embedWatermark(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  payload: WatermarkPayload,
  key: string,
): Float32Array[] {
  if (!PAYLOAD.test(payload))
    throw new DomainError('bad_request', 'A watermark payload is 16 lowercase hex digits.')
  if (channels.length === 0) throw new RangeError('embedWatermark needs at least one channel')
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE)
    throw new RangeError(`embedWatermark needs a sample rate from ${MIN_RATE} to ${MAX_RATE} Hz`)
  if (!key) throw new RangeError('embedWatermark needs a key')
  const length = channels[0]!.length
  if (channels.some((c) => c.length !== length))
    throw new RangeError('all channels must have the same length')
  const marked = channels.map((c) => Float32Array.from(c))
  const { atRate, mix } = channelsAtRate(channels, sampleRate)
  const frames = framesIn(mix.length)
  if (frames === 0) return marked
  const gains = slotGains(mix, frames, layoutFor(key), symbolValues(payload))
  const analyzer = new Analyzer()
  const delta = new Float32Array(mix.length)
  const back = sampleRate === RATE ? delta : new Float32Array(length)
  for (let c = 0; c < marked.length; c++) {
    delta.fill(0)
    for (let a = 0; a < frames; a += 2) {
      analyzer.load(atRate[c]!, a * HOP, (a + 1) * HOP)
      synthesizePair(analyzer, gains, frames, a, delta)
    }
    if (back !== delta) resampleBand(delta, RATE, sampleRate, back)
    const out = marked[c]!
    for (let i = 0; i < length; i++) out[i]! += back[i]!
  }
  return marked
}
