import type { Decibels, Hertz, Seconds } from '../units.ts'
import type { BarRange } from './types.ts'

/** A bar is audible when its RMS is above this level… */
const FLOOR_DBFS: Decibels = -60
/** …and within this many dB of the stem's loudest bar. */
const BELOW_LOUDEST_DB: Decibels = 30

/** RMS in dBFS of each bar (bar b from `barStarts[b]` to the next start or the end), over all channels. */
export function barLevelsFrom(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  barStarts: readonly Seconds[],
): Float32Array {
  const length = channels[0]?.length ?? 0
  const out = new Float32Array(barStarts.length)
  for (let b = 0; b < barStarts.length; b++) {
    const from = Math.max(0, Math.round(barStarts[b]! * sampleRate))
    const to = Math.min(length, Math.round((barStarts[b + 1] ?? Infinity) * sampleRate))
    let sum = 0
    for (const pcm of channels) for (let i = from; i < to; i++) sum += pcm[i]! * pcm[i]!
    const n = Math.max(1, (to - from) * channels.length)
    out[b] = sum > 0 ? 10 * Math.log10(sum / n) : -Infinity
  }
  return out
}

/** Where a stem is audible: runs of bars whose level passes both thresholds. */
export function activityFrom(
  channels: readonly Float32Array[],
  sampleRate: Hertz,
  barStarts: readonly Seconds[],
): BarRange[] {
  const levels = barLevelsFrom(channels, sampleRate, barStarts)
  let loudest = -Infinity
  for (const l of levels) loudest = Math.max(loudest, l)
  const threshold = Math.max(FLOOR_DBFS, loudest - BELOW_LOUDEST_DB)
  const ranges: BarRange[] = []
  for (let b = 0; b < levels.length; b++) {
    if (!(levels[b]! > threshold)) continue
    const last = ranges.at(-1)
    if (last && last.endBar === b) last.endBar = b + 1
    else ranges.push({ startBar: b, endBar: b + 1 })
  }
  return ranges
}
