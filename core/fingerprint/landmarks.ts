// Spectral-peak landmarks (Wang 2003; Ellis, audfprint) on a log-frequency spectrogram, so that a
// pitch or speed change moves every peak by the same number of bins (as in Six & Leman, Panako).
import type { Hertz, Seconds } from '../units.ts'
import { Fft } from '../lib/dsp/fft.ts'
import { resampleInto, resampledLength } from '../lib/dsp/resample.ts'
import { hannInto } from '../lib/dsp/window.ts'

/** Rate the fingerprint analyses at: content up to 3.6 kHz is what survives every codec. */
export const FINGERPRINT_RATE: Hertz = 8000
const FRAME = 1024
const HOP = 128
/** Duration of one spectrogram frame step. */
export const FRAME_SECONDS: Seconds = HOP / FINGERPRINT_RATE
/** Log-frequency resolution: a semitone is exactly two bins. */
export const BINS_PER_OCTAVE = 24
const MIN_HZ: Hertz = 150
/** Bins from 150 Hz to about 3.4 kHz. */
export const BINS = 108
/** A peak must be the maximum within ± this many frames and bins. */
const PEAK_FRAMES = 7
const PEAK_BINS = 5
/** Peaks kept per second of audio (the strongest of each second). */
export const PEAKS_PER_SECOND = 12
/** Peaks this far below the loudest frame of the file are silence. */
const FLOOR_DB = 60

/** Peaks of a signal, in time order: frame, log-frequency bin (fractional) and level. */
export interface Peaks {
  count: number
  frame: Int32Array
  bin: Float32Array
}

/** Mono audio at any rate → mono at `FINGERPRINT_RATE`. */
export function fingerprintInput(pcm: Float32Array, sampleRate: Hertz): Float32Array {
  if (sampleRate === FINGERPRINT_RATE) return pcm
  const out = new Float32Array(resampledLength(pcm.length, sampleRate, FINGERPRINT_RATE))
  return resampleInto(pcm, sampleRate, FINGERPRINT_RATE, 3700, 600, out)
}

/** For each log bin, the linear FFT bins it pools (max) or, below one bin per log bin, interpolates. */
interface BinMap {
  lo: Int32Array
  hi: Int32Array
  frac: Float32Array
}

let binMap: BinMap | null = null
function bins(): BinMap {
  if (binMap) return binMap
  const lo = new Int32Array(BINS)
  const hi = new Int32Array(BINS)
  const frac = new Float32Array(BINS)
  const hz = FINGERPRINT_RATE / FRAME
  for (let k = 0; k < BINS; k++) {
    const a = (MIN_HZ * 2 ** ((k - 0.5) / BINS_PER_OCTAVE)) / hz
    const b = (MIN_HZ * 2 ** ((k + 0.5) / BINS_PER_OCTAVE)) / hz
    const c = (MIN_HZ * 2 ** (k / BINS_PER_OCTAVE)) / hz
    lo[k] = Math.ceil(a)
    hi[k] = Math.floor(b)
    if (hi[k]! < lo[k]!) {
      // Narrower than one FFT bin: interpolate between the two around the centre.
      lo[k] = Math.floor(c)
      hi[k] = -1
      frac[k] = c - Math.floor(c)
    }
  }
  binMap = { lo, hi, frac }
  return binMap
}

/** Log-power spectrogram on log-frequency bins: frames × BINS, in dB. */
export function spectrogramOf(signal: Float32Array): { frames: number; db: Float32Array } {
  const frames = signal.length < FRAME ? 0 : 1 + Math.floor((signal.length - FRAME) / HOP)
  const db = new Float32Array(frames * BINS)
  const fft = new Fft(FRAME)
  const re = new Float64Array(FRAME)
  const im = new Float64Array(FRAME)
  const power = new Float64Array(FRAME / 2 + 1)
  const window = hannInto(new Float64Array(FRAME))
  const { lo, hi, frac } = bins()
  for (let f = 0; f < frames; f++) {
    const at = f * HOP
    for (let i = 0; i < FRAME; i++) {
      re[i] = signal[at + i]! * window[i]!
      im[i] = 0
    }
    fft.transform(re, im)
    for (let i = 0; i <= FRAME / 2; i++) power[i] = re[i]! * re[i]! + im[i]! * im[i]!
    const row = f * BINS
    for (let k = 0; k < BINS; k++) {
      let p: number
      if (hi[k]! < 0) {
        const j = lo[k]!
        p = power[j]! + (power[j + 1]! - power[j]!) * frac[k]!
      } else {
        p = 0
        for (let j = lo[k]!; j <= hi[k]!; j++) if (power[j]! > p) p = power[j]!
      }
      db[row + k] = 10 * Math.log10(p + 1e-12)
    }
  }
  return { frames, db }
}

/** Frequency bands that each get an equal share of a second's peaks. */
const BANDS = 4

/** Running maximum of `src` over ± `radius` with stride `stride`, `count` items per line. */
function maxFilter(
  src: Float32Array,
  dst: Float32Array,
  lines: number,
  lineStride: number,
  count: number,
  stride: number,
  radius: number,
): void {
  for (let l = 0; l < lines; l++) {
    const base = l * lineStride
    for (let i = 0; i < count; i++) {
      const a = Math.max(0, i - radius)
      const b = Math.min(count - 1, i + radius)
      let m = -Infinity
      for (let j = a; j <= b; j++) {
        const v = src[base + j * stride]!
        if (v > m) m = v
      }
      dst[base + i * stride] = m
    }
  }
}

/** The strongest local maxima of the spectrogram, at most PEAKS_PER_SECOND per second, in time order. */
export function peaksOf(
  spectrogram: { frames: number; db: Float32Array },
  perSecond = PEAKS_PER_SECOND,
): Peaks {
  const { frames, db } = spectrogram
  const tmp = new Float32Array(db.length)
  const max = new Float32Array(db.length)
  maxFilter(db, tmp, frames, BINS, BINS, 1, PEAK_BINS)
  maxFilter(tmp, max, BINS, 1, frames, BINS, PEAK_FRAMES)
  let loudest = -Infinity
  for (let i = 0; i < db.length; i++) if (db[i]! > loudest) loudest = db[i]!
  const floor = loudest - FLOOR_DB
  const block = Math.round(1 / FRAME_SECONDS)
  const perBlock = perSecond
  const capacity = Math.ceil(frames / block + 1) * perBlock
  const frame = new Int32Array(capacity)
  const bin = new Float32Array(capacity)
  let count = 0
  const candidate = new Int32Array(block * BINS)
  const level = new Float32Array(block * BINS)
  const order: number[] = []
  for (let start = 0; start < frames; start += block) {
    const end = Math.min(frames, start + block)
    let n = 0
    for (let f = start; f < end; f++)
      for (let k = 1; k < BINS - 1; k++) {
        const i = f * BINS + k
        const v = db[i]!
        if (v === max[i] && v > floor) {
          candidate[n] = i
          level[n] = v
          n++
        }
      }
    order.length = n
    for (let j = 0; j < n; j++) order[j] = j
    let kept = order
    if (n > perBlock) {
      // The strongest of each frequency band first, so a loud part cannot take every peak.
      order.sort((a, b) => level[b]! - level[a]!)
      kept = []
      const quota = Math.floor(perBlock / BANDS)
      const taken = new Int32Array(BANDS)
      const rest: number[] = []
      for (const j of order) {
        const band = Math.floor(((candidate[j]! % BINS) * BANDS) / BINS)
        if (taken[band]! < quota) {
          taken[band]!++
          kept.push(j)
        } else rest.push(j)
      }
      for (let r = 0; kept.length < perBlock && r < rest.length; r++) kept.push(rest[r]!)
    }
    kept.sort((a, b) => candidate[a]! - candidate[b]!)
    for (const j of kept) {
      const i = candidate[j]!
      const f = Math.floor(i / BINS)
      const k = i - f * BINS
      const a = db[i - 1]!
      const b = db[i]!
      const c = db[i + 1]!
      const d = a - 2 * b + c
      frame[count] = f
      bin[count] = k + (d < 0 ? (0.5 * (a - c)) / d : 0)
      count++
    }
  }
  return { count, frame, bin }
}
