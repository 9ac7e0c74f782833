// Measures how far the studio's render (Tone.js graph) is from core/render's: the null residual
// for linear chains, 1/3-octave band energies and integrated loudness for nonlinear ones.
import { loudnessFrom } from '../../core/analysis/loudness.ts'
import { Fft } from '../../core/lib/dsp/fft.ts'
import { hannInto } from '../../core/lib/dsp/window.ts'

/** The residual a − b relative to b, in dB over both channels (−Infinity when identical). */
export function residualDb(a: Float32Array[], b: Float32Array[]): number {
  let err = 0
  let ref = 0
  for (let c = 0; c < b.length; c++)
    for (let i = 0; i < b[c]!.length; i++) {
      const d = a[c]![i]! - b[c]![i]!
      err += d * d
      ref += b[c]![i]! * b[c]![i]!
    }
  return 10 * Math.log10(err / ref)
}

const SIZE = 8192
const fft = new Fft(SIZE)
const hann = hannInto(new Float64Array(SIZE))

/** Energy per 1/3-octave band (centres 25 Hz … 16 kHz), in dB, of both channels summed. */
export function bandEnergies(channels: Float32Array[], sampleRate: number): number[] {
  const power = new Float64Array(SIZE / 2 + 1)
  const re = new Float64Array(SIZE)
  const im = new Float64Array(SIZE)
  for (const data of channels)
    for (let at = 0; at + SIZE <= data.length; at += SIZE / 2) {
      for (let i = 0; i < SIZE; i++) {
        re[i] = data[at + i]! * hann[i]!
        im[i] = 0
      }
      fft.transform(re, im)
      for (let k = 0; k <= SIZE / 2; k++) power[k] = power[k]! + re[k]! ** 2 + im[k]! ** 2
    }
  const bands: number[] = []
  for (let k = -16; k <= 12; k++) {
    const centre = 1000 * 2 ** (k / 3)
    const lo = Math.ceil((centre * 2 ** (-1 / 6) * SIZE) / sampleRate)
    const hi = Math.floor((centre * 2 ** (1 / 6) * SIZE) / sampleRate)
    let sum = 0
    for (let b = lo; b <= hi && b <= SIZE / 2; b++) sum += power[b]!
    bands.push(10 * Math.log10(sum + 1e-30))
  }
  return bands
}

/** The largest band difference in dB over bands within 50 dB of the loudest band. */
export function worstBandDb(a: Float32Array[], b: Float32Array[], sampleRate: number): number {
  const ea = bandEnergies(a, sampleRate)
  const eb = bandEnergies(b, sampleRate)
  const top = Math.max(...eb)
  let worst = 0
  eb.forEach((e, i) => {
    if (e > top - 50) worst = Math.max(worst, Math.abs(ea[i]! - e))
  })
  return worst
}

/** The difference of integrated loudness, in LU. */
export function loudnessDiff(a: Float32Array[], b: Float32Array[], sampleRate: number): number {
  return Math.abs(
    loudnessFrom(a, sampleRate).integratedLufs - loudnessFrom(b, sampleRate).integratedLufs,
  )
}
