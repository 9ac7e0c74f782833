// Stems with almost no energy where the watermark lives (0.9–6 kHz): a sine bass at 55 Hz, a soft
// chord under 800 Hz, and short noise bursts. Together they make the campaign issue 16 found
// every export of failing. Pure (no Node), for unit, worker and end-to-end tests alike.
import { seededRandom } from '../../lib/random.ts'
import type { Hertz, Seconds } from '../../units.ts'

/** The three stems by name, mono, at `rate`. */
export type LowEnergyStems = Record<'bass' | 'chord' | 'bursts', Float32Array>

const TAU = 2 * Math.PI
const BEAT: Seconds = 0.5

/** Generates the stems, `seconds` long. */
export function lowEnergyStems(seconds: Seconds, rate: Hertz): LowEnergyStems {
  const n = Math.round(seconds * rate)
  const bass = new Float32Array(n)
  const chord = new Float32Array(n)
  const bursts = new Float32Array(n)
  const random = seededRandom(0x5eed)
  const burst = Math.round(0.004 * rate)
  for (let i = 0; i < n; i++) {
    const t = i / rate
    bass[i] = 0.3 * Math.sin(TAU * 55 * t)
    let v = 0
    for (const f of [220, 261.63, 329.63]) v += Math.sin(TAU * f * t)
    chord[i] = 0.03 * v
    // A 4 ms click of noise every other beat, decaying fast.
    const at = i % Math.round(2 * BEAT * rate)
    bursts[i] = at < burst ? 0.2 * Math.exp(-at / (0.001 * rate)) * (2 * random() - 1) : 0
  }
  return { bass, chord, bursts }
}
