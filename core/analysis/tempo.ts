import type { BPM } from '../units.ts'

/** Tempo search range and the prior's centre and width (in octaves), after Ellis 2007. */
const MIN_BPM = 55
const MAX_BPM = 215
const PRIOR_BPM = 120
const PRIOR_OCTAVES = 1
const STEP_BPM = 0.1

/**
 * The tempo of an onset-strength envelope (`frameRate` frames a second): the lag whose comb of
 * autocorrelation peaks (lag, 2·lag, 3·lag, 4·lag) scores best under a log-normal prior around 120 BPM.
 */
export function estimateTempo(onset: Float32Array, frameRate: number): BPM {
  const maxLag = Math.min(onset.length - 1, Math.ceil((4 * 60 * frameRate) / MIN_BPM) + 2)
  const ac = autocorrelation(onset, maxLag)
  let best = PRIOR_BPM
  let bestScore = -Infinity
  for (let bpm = MIN_BPM; bpm <= MAX_BPM; bpm += STEP_BPM) {
    const lag = (60 * frameRate) / bpm
    let comb = 0
    for (let k = 1; k <= 4; k++) comb += at(ac, k * lag) / k
    const octaves = Math.log2(bpm / PRIOR_BPM) / PRIOR_OCTAVES
    const score = comb * Math.exp(-0.5 * octaves * octaves)
    if (score > bestScore) {
      bestScore = score
      best = bpm
    }
  }
  return best
}

/** Unbiased autocorrelation of `x` for lags 0..maxLag. */
function autocorrelation(x: Float32Array, maxLag: number): Float64Array {
  const n = x.length
  const ac = new Float64Array(maxLag + 1)
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0
    for (let i = lag; i < n; i++) sum += x[i]! * x[i - lag]!
    ac[lag] = sum / (n - lag)
  }
  return ac
}

/** Linear interpolation of `a` at a fractional index; zero outside. */
function at(a: Float64Array, x: number): number {
  const i = Math.floor(x)
  if (i < 0 || i + 1 >= a.length) return 0
  const t = x - i
  return a[i]! * (1 - t) + a[i + 1]! * t
}
