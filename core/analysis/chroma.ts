import type { Hertz } from '../units.ts'
import type { Spectrogram } from './spectrogram.ts'

/** Pitch range mapped to chroma: A1 to about C8. */
const LO_HZ: Hertz = 55
const HI_HZ: Hertz = 4200

/**
 * Chroma per frame (frame-major, 12 per frame, C = 0): each bin's magnitude goes to the pitch class
 * of its frequency, weighted by closeness to the semitone's centre so leakage between notes counts less.
 */
export function chromaFrom(s: Spectrogram): Float32Array {
  const { frames, bins, data } = s
  const binHz = s.sampleRate / s.size
  const lo = Math.max(1, Math.ceil(LO_HZ / binHz))
  const hi = Math.min(bins - 1, Math.floor(HI_HZ / binHz))
  const pitchClass = new Uint8Array(bins)
  const weight = new Float32Array(bins)
  for (let k = lo; k <= hi; k++) {
    const midi = 69 + 12 * Math.log2((k * binHz) / 440)
    const nearest = Math.round(midi)
    pitchClass[k] = ((nearest % 12) + 12) % 12
    weight[k] = Math.cos(Math.PI * (midi - nearest)) ** 2
  }
  const out = new Float32Array(frames * 12)
  for (let f = 0; f < frames; f++) {
    const base = f * bins
    const o = f * 12
    for (let k = lo; k <= hi; k++)
      out[o + pitchClass[k]!] = out[o + pitchClass[k]!]! + weight[k]! * data[base + k]!
  }
  return out
}
