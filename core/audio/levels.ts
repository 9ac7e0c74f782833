import type { Decibels } from '../units.ts'

/** Floor reported for digital silence. */
export const SILENCE_FLOOR_DB: Decibels = -120

function dbFrom(amplitude: number): Decibels {
  return amplitude > 0 ? Math.max(SILENCE_FLOOR_DB, 20 * Math.log10(amplitude)) : SILENCE_FLOOR_DB
}

/** Sample peak and RMS over all channels, in dBFS, rounded to 0.01 dB. */
export function levelsFrom(channels: readonly Float32Array[]): {
  peakDbfs: Decibels
  rmsDbfs: Decibels
} {
  let peak = 0
  let sumSquares = 0
  let count = 0
  for (const pcm of channels) {
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i]!
      const a = Math.abs(v)
      if (a > peak) peak = a
      sumSquares += v * v
    }
    count += pcm.length
  }
  const rms = count ? Math.sqrt(sumSquares / count) : 0
  const round = (db: Decibels) => Math.round(db * 100) / 100
  return { peakDbfs: round(dbFrom(peak)), rmsDbfs: round(dbFrom(rms)) }
}
