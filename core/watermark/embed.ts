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
  SLOTS,
  SYMBOLS,
  SYNC_SYMBOLS,
  type Layout,
} from './layout.ts'
import { resampledLength } from '../lib/dsp/resample.ts'
import { bandBank, resampleBand } from './band.ts'
import { Analyzer, CONTRAST } from './stft.ts'

/** A watermark payload: the export id, 16 hex digits (64 bits). */
export type WatermarkPayload = string

const PAYLOAD = /^[0-9a-f]{16}$/

/** Lowest and highest sample rates the watermark supports. */
export const MIN_RATE: Hertz = 22050
export const MAX_RATE: Hertz = 192000

/** Relative amplitude change per slot: the usual one, the least, and the most (informed embedding). */
const STRENGTH = 0.115
const MIN_STRENGTH = 0.043
const MAX_STRENGTH = 0.215
/** Most watermark power in any frame, relative to the frame's power (−29.4 dB: the lead stem, which this binds on, keeps 30.3 dB SNR). */
const MAX_FRAME_POWER = 10 ** -2.94

/** Frames of the STFT grid that fit wholly in `length` samples at RATE. */
export function framesIn(length: number): number {
  return length < FRAME ? 0 : Math.floor((length - FRAME) / HOP) + 1
}

/** The value (±1) each symbol carries: +1 for sync, +1 for a 0 bit and −1 for a 1 bit. */
export function symbolValues(payload: WatermarkPayload): Int8Array {
  const coded = encodePayload(bitsFromHex(payload))
  const values = new Int8Array(SYMBOLS).fill(1)
  for (let i = 0; i < coded.length; i++) values[SYNC_SYMBOLS + i] = coded[i] ? -1 : 1
  return values
}

/** Checks a payload (16 lowercase hex digits). */
export function checkPayload(payload: WatermarkPayload): void {
  if (!PAYLOAD.test(payload))
    throw new DomainError('bad_request', 'A watermark payload is 16 lowercase hex digits.')
}

/** Checks an embedding sample rate and key. */
export function checkEmbedding(sampleRate: Hertz, key: string): void {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE)
    throw new RangeError(`embedWatermark needs a sample rate from ${MIN_RATE} to ${MAX_RATE} Hz`)
  if (!key) throw new RangeError('embedWatermark needs a key')
}

/** Per-frame energies kept beside the features: the frame's total, then each band's. */
export const ENERGIES = BANDS + 1

/** Scratch space for blockGains (one per embedder, reused for every block). */
export class GainScratch {
  readonly host = new Float64Array(SYMBOLS)
  readonly count = new Float64Array(SYMBOLS)
  readonly strength = new Float64Array(SYMBOLS)
  readonly powers = new Float64Array(BANDS)
  readonly sorted = new Float64Array(BANDS)
}

/**
 * One block's per-slot signed strengths into gains[frame × BANDS + band] from its features
 * (same layout) and energies (ENERGIES per frame): informed embedding reads what the host already
 * says about each symbol and spends more strength only where the host disagrees; then each frame
 * is held to MAX_FRAME_POWER of its own power.
 */
export function blockGains(
  features: Float32Array,
  energies: Float64Array,
  layout: Layout,
  values: Int8Array,
  gains: Float32Array,
  scratch: GainScratch,
): void {
  const { host, count, strength } = scratch
  host.fill(0)
  count.fill(0)
  for (let slot = 0; slot < SLOTS; slot++) {
    const s = layout.symbol[slot]!
    host[s]! += layout.sign[slot]! * features[slot]!
    count[s]!++
  }
  for (let s = 0; s < SYMBOLS; s++) {
    const n = count[s]!
    const wanted = n ? STRENGTH - (values[s]! * host[s]!) / (2 * n) : STRENGTH
    strength[s] = Math.min(MAX_STRENGTH, Math.max(MIN_STRENGTH, wanted))
  }
  for (let slot = 0; slot < SLOTS; slot++) {
    const s = layout.symbol[slot]!
    gains[slot] = values[s]! * layout.sign[slot]! * strength[s]!
  }
  for (let i = 0; i < BLOCK_FRAMES; i++) limitFrame(energies, i, gains, scratch)
}

/**
 * Scales down frame i's gains where the watermark would exceed MAX_FRAME_POWER of the frame's
 * own power, so the watermark's SNR holds even on sounds that live mostly in the watermark band.
 */
function limitFrame(
  energies: Float64Array,
  i: number,
  gains: Float32Array,
  { powers, sorted }: GainScratch,
): void {
  const e = i * ENERGIES
  const budget = MAX_FRAME_POWER * energies[e]!
  let power = 0
  for (let b = 0; b < BANDS; b++) {
    powers[b] = gains[i * BANDS + b]! ** 2 * energies[e + 1 + b]!
    power += powers[b]!
  }
  if (power <= budget) return
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

/**
 * Contrast features of one block: raw[frame] minus the mean of raw CONTRAST frames before and
 * after. `rawAt(j)` is where frame j's raw features start (frames from first − CONTRAST to
 * first + BLOCK_FRAMES + CONTRAST − 1 must be there; frames before 0 do not exist).
 */
export function contrastBlock(
  raw: Float32Array,
  rawAt: (frame: number) => number,
  first: number,
  out: Float32Array,
): void {
  for (let i = 0; i < BLOCK_FRAMES; i++) {
    const j = first + i
    const at = rawAt(j)
    const after = rawAt(j + CONTRAST)
    const o = i * BANDS
    if (j >= CONTRAST) {
      const before = rawAt(j - CONTRAST)
      for (let b = 0; b < BANDS; b++)
        out[o + b] = raw[at + b]! - (raw[before + b]! + raw[after + b]!) / 2
    } else for (let b = 0; b < BANDS; b++) out[o + b] = raw[at + b]! - raw[after + b]!
  }
}

/**
 * Adds the watermark of the loaded pair of frames (block rows i and i + 1, starting at sample
 * `start` of the delta ring) to `delta`, scaling each band by its gain.
 */
export function synthesizePair(
  analyzer: Analyzer,
  gains: Float32Array,
  i: number,
  delta: Float32Array,
  mask: number,
  start: number,
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
  for (let band = 0; band < BANDS; band++) {
    const g1 = gains[i * BANDS + band]!
    const g2 = gains[(i + 1) * BANDS + band]!
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
  for (let n = 0; n < FRAME; n++) {
    delta[(start + n) & mask]! += window[n]! * re[n]!
    delta[(start + HOP + n) & mask]! += window[n]! * im[n]!
  }
}

/** Sizes of the work a whole input of `length` samples at `sampleRate` needs. */
export function extentOf(length: number, sampleRate: Hertz): { blocks: number; padded: number } {
  const down = bandBank(sampleRate, RATE)
  const up = bandBank(RATE, sampleRate)
  const reachDown = down ? down.first + down.taps - 1 : 0
  const reachUp = up ? up.first + up.taps - 1 : 0
  const lastDelta = up ? Math.floor(((length - 1) * RATE) / sampleRate) + reachUp : length - 1
  const blocks = Math.floor(Math.floor(Math.max(0, lastDelta) / HOP) / BLOCK_FRAMES) + 1
  const lastMix = (blocks * BLOCK_FRAMES + 1) * HOP + FRAME - 1
  const lastInput = down ? Math.floor((lastMix * sampleRate) / RATE) + reachDown : lastMix
  return { blocks, padded: Math.max(length, lastInput + 1) }
}

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n)))

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
  checkPayload(payload)
  if (channels.length === 0) throw new RangeError('embedWatermark needs at least one channel')
  checkEmbedding(sampleRate, key)
  const length = channels[0]!.length
  if (channels.some((c) => c.length !== length))
    throw new RangeError('all channels must have the same length')
  const marked = channels.map((c) => Float32Array.from(c))
  if (length === 0) return marked
  // The signal is taken as followed by silence: everything below depends only on the samples
  // before each point plus a fixed reach, which is what lets StreamingEmbedder equal this.
  const { blocks, padded } = extentOf(length, sampleRate)
  const atRate = channels.map((c) => {
    const p = new Float32Array(padded)
    p.set(c)
    return sampleRate === RATE
      ? p
      : resampleBand(
          p,
          sampleRate,
          RATE,
          new Float32Array(resampledLength(padded, sampleRate, RATE)),
        )
  })
  let mix = atRate[0]!
  if (atRate.length > 1) {
    mix = new Float32Array(mix.length)
    const scale = 1 / atRate.length
    for (const c of atRate) for (let i = 0; i < mix.length; i++) mix[i]! += c[i]! * scale
  }
  const frames = blocks * BLOCK_FRAMES
  const analyzer = new Analyzer()
  const raw = new Float32Array((frames + CONTRAST) * BANDS)
  const energies = new Float64Array(frames * ENERGIES)
  const bands = new Float64Array(BANDS)
  for (let a = 0; a < frames + CONTRAST; a += 2) {
    analyzer.load(mix, a * HOP, (a + 1) * HOP)
    analyzer.features(0, raw, a * BANDS)
    analyzer.features(1, raw, (a + 1) * BANDS)
    if (a >= frames) continue
    for (let which = 0 as 0 | 1; which < 2; which++) {
      const e = (a + which) * ENERGIES
      energies[e] = analyzer.energies(which, bands)
      energies.set(bands, e + 1)
    }
  }
  const layout = layoutFor(key)
  const values = symbolValues(payload)
  const features = new Float32Array(SLOTS)
  const gains = new Float32Array(frames * BANDS)
  const scratch = new GainScratch()
  for (let k = 0; k < blocks; k++) {
    const first = k * BLOCK_FRAMES
    contrastBlock(raw, (j) => j * BANDS, first, features)
    const block = gains.subarray(first * BANDS, (first + BLOCK_FRAMES) * BANDS)
    blockGains(features, energies.subarray(first * ENERGIES), layout, values, block, scratch)
  }
  const size = nextPowerOfTwo(frames * HOP + FRAME + HOP)
  const delta = new Float32Array(size)
  const back = sampleRate === RATE ? delta : new Float32Array(padded)
  for (let c = 0; c < marked.length; c++) {
    delta.fill(0)
    for (let a = 0; a < frames; a += 2) {
      analyzer.load(atRate[c]!, a * HOP, (a + 1) * HOP)
      synthesizePair(
        analyzer,
        gains.subarray(Math.floor(a / BLOCK_FRAMES) * SLOTS),
        a % BLOCK_FRAMES,
        delta,
        size - 1,
        a * HOP,
      )
    }
    if (back !== delta) resampleBand(delta.subarray(0, frames * HOP + HOP), RATE, sampleRate, back)
    const out = marked[c]!
    for (let i = 0; i < length; i++) out[i]! += back[i]!
  }
  return marked
}
