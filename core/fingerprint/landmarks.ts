// Spectral-peak landmarks (Wang 2003; Ellis, audfprint) on log-frequency spectrograms (a main band
// and a low one), so that a pitch or speed change moves every peak by the same number of bins (as in
// Six & Leman, Panako).
import type { Hertz, Seconds } from '../units.ts'
import { Fft } from '../lib/dsp/fft.ts'
import { resampleInto, resampledLength } from '../lib/dsp/resample.ts'
import { hannInto } from '../lib/dsp/window.ts'

/** Rate the fingerprint analyses at: content up to 3.6 kHz is what survives every codec. */
export const FINGERPRINT_RATE: Hertz = 8000
const FRAME = 1024
const HOP = 128
/** Duration of one spectrogram frame step: the time unit of peaks, hashes and index entries. */
export const FRAME_SECONDS: Seconds = HOP / FINGERPRINT_RATE
/** Log-frequency resolution: a semitone is exactly two bins. */
export const BINS_PER_OCTAVE = 24
/** Bins of the main band, from 150 Hz to about 3.4 kHz. */
export const BINS = 108
/** Peaks kept per second of audio in the main band (the strongest of each second). */
export const PEAKS_PER_SECOND = 12
/** Peaks this far below the loudest frame of the file are silence. */
const FLOOR_DB = 60

/** One log-frequency spectrogram the peaks are picked on. */
export interface Band {
  /** The top bit of the band's hashes, so the bands' hashes never meet. */
  family: number
  /** The band is analysed at FINGERPRINT_RATE / decimate (frame and hop in those samples). */
  decimate: number
  frame: number
  hop: number
  minHz: Hertz
  bins: number
  /** A peak must be the maximum within ± this many frames and bins. */
  peakFrames: number
  peakBins: number
  /** Peaks kept per second (the strongest of each second). */
  perSecond: number
  /**
   * Triplets whose later peaks both lie within this many bins of the anchor are not hashed: a note
   * or a drum repeated at one pitch says only its rhythm, which unrelated music shares.
   */
  minSpread: number
}

/** 150 Hz–3.4 kHz in 16 ms frames: melodies, chords, voices. */
export const MAIN_BAND: Band = {
  family: 0,
  decimate: 1,
  frame: FRAME,
  hop: HOP,
  minHz: 150,
  bins: BINS,
  peakFrames: 7,
  peakBins: 5,
  perSecond: PEAKS_PER_SECOND,
  minSpread: 0,
}

/**
 * 40–250 Hz in 64 ms frames of 0.5 s, at 1 kHz: a bass line keeps most of its level below the main
 * band, so under other music it leaves peaks only here.
 */
export const LOW_BAND: Band = {
  family: 1,
  decimate: 8,
  frame: FRAME / 2,
  hop: HOP / 2,
  minHz: 40,
  bins: 64,
  peakFrames: 2,
  peakBins: 5,
  perSecond: 6,
  minSpread: 1,
}

/** A band's frame `f` in FRAME_SECONDS units, centre on centre. */
export const mainFrameOf = (band: Band, f: number): number =>
  f * ((band.hop * band.decimate) / HOP) + (band.frame * band.decimate - FRAME) / 2 / HOP

/** Peaks of a signal, in time order: frame (of its band), log-frequency bin (fractional). */
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

const binMaps = new Map<Band, BinMap>()
function bins(band: Band): BinMap {
  const cached = binMaps.get(band)
  if (cached) return cached
  const lo = new Int32Array(band.bins)
  const hi = new Int32Array(band.bins)
  const frac = new Float32Array(band.bins)
  const hz = FINGERPRINT_RATE / band.decimate / band.frame
  for (let k = 0; k < band.bins; k++) {
    const a = (band.minHz * 2 ** ((k - 0.5) / BINS_PER_OCTAVE)) / hz
    const b = (band.minHz * 2 ** ((k + 0.5) / BINS_PER_OCTAVE)) / hz
    const c = (band.minHz * 2 ** (k / BINS_PER_OCTAVE)) / hz
    lo[k] = Math.ceil(a)
    hi[k] = Math.floor(b)
    if (hi[k]! < lo[k]!) {
      // Narrower than one FFT bin: interpolate between the two around the centre.
      lo[k] = Math.floor(c)
      hi[k] = -1
      frac[k] = c - Math.floor(c)
    }
  }
  const map = { lo, hi, frac }
  binMaps.set(band, map)
  return map
}

/** `signal` at FINGERPRINT_RATE / `factor`, everything above 0.7 × its Nyquist rate removed. */
function decimated(signal: Float32Array, factor: number): Float32Array {
  const rate = FINGERPRINT_RATE / factor
  const out = new Float32Array(resampledLength(signal.length, FINGERPRINT_RATE, rate))
  return resampleInto(signal, FINGERPRINT_RATE, rate, 0.35 * rate, 0.15 * rate, out)
}

/** A log-power spectrogram on a band's log-frequency bins: frames × bins, in dB. */
export interface Spectrogram {
  band: Band
  frames: number
  db: Float32Array
}

/** The log-power spectrogram of `input` (at FINGERPRINT_RATE) on `band`. */
export function spectrogramOf(input: Float32Array, band: Band = MAIN_BAND): Spectrogram {
  const { frame: size, hop, bins: count } = band
  const signal = band.decimate === 1 ? input : decimated(input, band.decimate)
  const frames = signal.length < size ? 0 : 1 + Math.floor((signal.length - size) / hop)
  const db = new Float32Array(frames * count)
  const fft = new Fft(size)
  const re = new Float64Array(size)
  const im = new Float64Array(size)
  const power = new Float64Array(size / 2 + 1)
  const window = hannInto(new Float64Array(size))
  const { lo, hi, frac } = bins(band)
  for (let f = 0; f < frames; f++) {
    const at = f * hop
    for (let i = 0; i < size; i++) {
      re[i] = signal[at + i]! * window[i]!
      im[i] = 0
    }
    fft.transform(re, im)
    for (let i = 0; i <= size / 2; i++) power[i] = re[i]! * re[i]! + im[i]! * im[i]!
    const row = f * count
    for (let k = 0; k < count; k++) {
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
  return { band, frames, db }
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

/** The strongest local maxima of the spectrogram, at most `perSecond` per second, in time order. */
export function peaksOf(spectrogram: Spectrogram, perSecond = spectrogram.band.perSecond): Peaks {
  const { frames, db, band } = spectrogram
  const count = band.bins
  const tmp = new Float32Array(db.length)
  const max = new Float32Array(db.length)
  maxFilter(db, tmp, frames, count, count, 1, band.peakBins)
  maxFilter(tmp, max, count, 1, frames, count, band.peakFrames)
  let loudest = -Infinity
  for (let i = 0; i < db.length; i++) if (db[i]! > loudest) loudest = db[i]!
  const floor = loudest - FLOOR_DB
  const block = Math.round(FINGERPRINT_RATE / band.decimate / band.hop)
  const perBlock = perSecond
  const capacity = Math.ceil(frames / block + 1) * perBlock
  const frame = new Int32Array(capacity)
  const bin = new Float32Array(capacity)
  let n = 0
  const candidate = new Int32Array(block * count)
  const level = new Float32Array(block * count)
  const order: number[] = []
  for (let start = 0; start < frames; start += block) {
    const end = Math.min(frames, start + block)
    let m = 0
    for (let f = start; f < end; f++)
      for (let k = 1; k < count - 1; k++) {
        const i = f * count + k
        const v = db[i]!
        if (v === max[i] && v > floor) {
          candidate[m] = i
          level[m] = v
          m++
        }
      }
    order.length = m
    for (let j = 0; j < m; j++) order[j] = j
    let kept = order
    if (m > perBlock) {
      // The strongest of each frequency band first, so a loud part cannot take every peak.
      order.sort((a, b) => level[b]! - level[a]!)
      kept = []
      const quota = Math.floor(perBlock / BANDS)
      const taken = new Int32Array(BANDS)
      const rest: number[] = []
      for (const j of order) {
        const b = Math.floor(((candidate[j]! % count) * BANDS) / count)
        if (taken[b]! < quota) {
          taken[b]!++
          kept.push(j)
        } else rest.push(j)
      }
      for (let r = 0; kept.length < perBlock && r < rest.length; r++) kept.push(rest[r]!)
    }
    kept.sort((a, b) => candidate[a]! - candidate[b]!)
    for (const j of kept) {
      const i = candidate[j]!
      const f = Math.floor(i / count)
      const k = i - f * count
      const a = db[i - 1]!
      const b = db[i]!
      const c = db[i + 1]!
      const d = a - 2 * b + c
      frame[n] = f
      bin[n] = k + (d < 0 ? (0.5 * (a - c)) / d : 0)
      n++
    }
  }
  return { count: n, frame, bin }
}
