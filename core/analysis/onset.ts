import type { Hertz } from '../units.ts'
import type { Spectrogram } from './spectrogram.ts'

/** Compression of magnitudes before differencing: log(1 + γ|X|). */
const GAMMA = 100

/**
 * Onset strength per frame: half-wave rectified spectral flux of the log-compressed magnitudes
 * between `loHz` and `hiHz`, minus its moving average over about a second, floored at zero.
 */
export function onsetStrengthFrom(
  s: Spectrogram,
  loHz: Hertz = 30,
  hiHz: Hertz = 16000,
): Float32Array {
  const { frames, bins, data } = s
  const binHz = s.sampleRate / s.size
  const lo = Math.max(1, Math.floor(loHz / binHz))
  const hi = Math.min(bins - 1, Math.ceil(hiHz / binHz))
  const flux = new Float32Array(frames)
  let prev = new Float32Array(bins)
  let cur = new Float32Array(bins)
  for (let k = lo; k <= hi; k++) prev[k] = Math.log1p(GAMMA * data[k]!)
  for (let f = 1; f < frames; f++) {
    const base = f * bins
    let sum = 0
    for (let k = lo; k <= hi; k++) {
      const v = Math.log1p(GAMMA * data[base + k]!)
      cur[k] = v
      if (v > prev[k]!) sum += v - prev[k]!
    }
    flux[f] = sum
    const swap = prev
    prev = cur
    cur = swap
  }
  return subtractLocalMean(flux, Math.round(s.sampleRate / s.hop / 2))
}

function subtractLocalMean(x: Float32Array, radius: number): Float32Array {
  const n = x.length
  const out = new Float32Array(n)
  let sum = 0
  let lo = 0
  let hi = 0 // window is [lo, hi)
  for (let i = 0; i < n; i++) {
    while (hi < n && hi <= i + radius) sum += x[hi++]!
    while (lo < i - radius) sum -= x[lo++]!
    const mean = sum / (hi - lo)
    out[i] = Math.max(0, x[i]! - mean)
  }
  return out
}
