import type { BPM, Seconds } from '../units.ts'

/** How strongly the tracker holds to the tempo (Ellis's α). */
const TIGHTNESS = 100

/**
 * Beat frames by dynamic programming (Ellis 2007): each beat maximises the onset strength at it
 * plus the best previous beat's score, penalised by the squared log-ratio of the gap to the period.
 */
export function trackBeats(onset: Float32Array, frameRate: number, tempo: BPM): Int32Array {
  const n = onset.length
  const period = (60 * frameRate) / tempo
  const local = smooth(onset, period / 16)
  let norm = 0
  for (let i = 0; i < n; i++) norm += local[i]! * local[i]!
  norm = Math.sqrt(norm / Math.max(1, n)) || 1
  const score = new Float64Array(n)
  const back = new Int32Array(n).fill(-1)
  const lo = Math.round(period / 2)
  const hi = Math.round(2 * period)
  const penalty = new Float64Array(hi + 1)
  for (let gap = lo; gap <= hi; gap++) penalty[gap] = TIGHTNESS * Math.log(gap / period) ** 2
  for (let t = 0; t < n; t++) {
    let best = 0
    let from = -1
    for (let gap = lo; gap <= hi && t - gap >= 0; gap++) {
      const s = score[t - gap]! - penalty[gap]!
      if (from < 0 || s > best) {
        best = s
        from = t - gap
      }
    }
    score[t] = local[t]! / norm + (from >= 0 ? Math.max(0, best) : 0)
    back[t] = from >= 0 && best > 0 ? from : -1
  }
  // The last beat: the best score within the final period, then follow the links back.
  let last = n - 1
  for (let t = Math.max(0, n - Math.round(period)); t < n; t++)
    if (score[t]! > score[last]!) last = t
  const beats: number[] = []
  for (let t = last; t >= 0; t = back[t]!) beats.push(t)
  beats.reverse()
  return trimQuiet(Int32Array.from(beats), local)
}

/** Drops beats at either end that fall where the music has not started or has stopped. */
function trimQuiet(beats: Int32Array, local: Float32Array): Int32Array {
  let sum = 0
  for (const b of beats) sum += local[b]!
  const threshold = (0.05 * sum) / Math.max(1, beats.length)
  let first = 0
  let last = beats.length - 1
  while (first < last && local[beats[first]!]! < threshold) first++
  while (last > first && local[beats[last]!]! < threshold) last--
  return beats.slice(first, last + 1)
}

/** Gaussian smoothing with standard deviation `sigma` frames. */
function smooth(x: Float32Array, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma))
  const kernel = new Float64Array(2 * radius + 1)
  for (let i = -radius; i <= radius; i++) kernel[i + radius] = Math.exp(-0.5 * (i / sigma) ** 2)
  const n = x.length
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let sum = 0
    for (let j = -radius; j <= radius; j++) {
      const k = i + j
      if (k >= 0 && k < n) sum += x[k]! * kernel[j + radius]!
    }
    out[i] = sum
  }
  return out
}

/** The least-squares line through beat times against beat number: time of beat 0 and the period. */
export function fitBeats(times: readonly Seconds[]): { first: Seconds; period: Seconds } {
  const n = times.length
  if (n < 2) return { first: times[0] ?? 0, period: 0 }
  const meanI = (n - 1) / 2
  let meanT = 0
  for (const t of times) meanT += t / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (i - meanI) * (times[i]! - meanT)
    den += (i - meanI) ** 2
  }
  const period = num / den
  return { first: meanT - period * meanI, period }
}

/** Tempo from beat times: 60 over the least-squares period. */
export function tempoFromBeats(times: readonly Seconds[]): BPM {
  const { period } = fitBeats(times)
  return period > 0 ? 60 / period : 0
}

/**
 * How much stronger onsets are on the beats than anywhere: the mean of each beat's strongest onset
 * within ±2 frames over the mean onset strength. About 1.5 for noise, 3 and more for music with a beat.
 */
export function beatSalience(onset: Float32Array, beats: Int32Array): number {
  let all = 0
  for (let i = 0; i < onset.length; i++) all += onset[i]!
  if (all <= 0 || beats.length === 0) return 0
  let on = 0
  for (const b of beats) {
    let m = 0
    for (let i = Math.max(0, b - 2); i <= Math.min(onset.length - 1, b + 2); i++)
      m = Math.max(m, onset[i]!)
    on += m
  }
  return on / beats.length / (all / onset.length)
}
