// Test support: clips that must match nothing in a fingerprint catalogue (the false-match sweeps).
import { lcg, pinkNoise } from '../../watermark/testing/audio.ts'
import { FINGERPRINT_RATE } from '../landmarks.ts'

/**
 * Varied music-like signals, unlike the indexed ones: a melody of notes at any pitch (not a
 * 12-chord vocabulary), a random tempo, timbre and note length, and noise hits off the beat.
 */
function melody(seconds: number, seed: number): Float32Array {
  const random = lcg(seed)
  const rate = FINGERPRINT_RATE
  const out = new Float32Array(seconds * rate)
  const note = Math.round((0.12 + random() * 0.5) * rate)
  const harmonics = 1 + Math.floor(random() * 6)
  const decay = Math.exp(-(2 + random() * 8) / note)
  let noise = 0
  for (let start = 0; start < out.length; start += note) {
    const f = 120 * 2 ** (random() * 4)
    const hit = random() < 0.4
    let env = 1
    for (let i = start; i < Math.min(out.length, start + note); i++) {
      const t = (i - start) / rate
      let v = 0
      for (let h = 1; h <= harmonics; h++) v += Math.sin(2 * Math.PI * f * h * t) / h
      noise = 0.6 * noise + (random() - 0.5)
      out[i] = 0.2 * env * v + (hit && i - start < 0.03 * rate ? 0.3 * noise : 0)
      env *= decay
    }
  }
  return out
}

/** The `i`th unrelated 5 s clip: a generated melody, or pink noise, or a tone sweep. */
export function unrelated(i: number): Float32Array {
  const n = 5 * FINGERPRINT_RATE
  if (i % 20 === 19) return pinkNoise(n, 0.1, i)
  if (i % 20 === 18) {
    const out = new Float32Array(n)
    let phase = 0
    for (let k = 0; k < n; k++) {
      phase += (2 * Math.PI * (200 + (1800 * k) / n)) / FINGERPRINT_RATE
      out[k] = 0.3 * Math.sin(phase)
    }
    return out
  }
  return melody(5, 10_000 + i)
}
