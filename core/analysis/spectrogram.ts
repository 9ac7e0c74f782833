import type { Hertz } from '../units.ts'
import { RealFft } from '../lib/dsp/fft.ts'
import { hannWindow } from '../lib/dsp/window.ts'

/** Magnitudes of a short-time Fourier transform, frame-major: frame f, bin k at `f * bins + k`. */
export type Spectrogram = {
  data: Float32Array
  frames: number
  bins: number // size / 2 + 1
  size: number
  hop: number
  sampleRate: Hertz
}

/** Frames per second of a spectrogram. */
export function frameRateOf(s: Spectrogram): number {
  return s.sampleRate / s.hop
}

/** Hann-windowed STFT magnitudes of `mono`; frame f is centred on sample f · hop. */
export function spectrogramFrom(
  mono: Float32Array,
  sampleRate: Hertz,
  size: number,
  hop: number,
): Spectrogram {
  const fft = new RealFft(size)
  const window = hannWindow(size)
  const bins = size / 2 + 1
  const frames = Math.max(1, Math.ceil(mono.length / hop))
  const data = new Float32Array(frames * bins)
  const power = new Float32Array(bins)
  for (let f = 0; f < frames; f++) {
    fft.power(mono, f * hop - size / 2, window, power)
    const base = f * bins
    for (let k = 0; k < bins; k++) data[base + k] = Math.sqrt(power[k]!)
  }
  return { data, frames, bins, size, hop, sampleRate }
}

/** The average of all channels, one Float32Array. */
export function monoFrom(channels: readonly Float32Array[]): Float32Array {
  const length = channels[0]?.length ?? 0
  const out = new Float32Array(length)
  for (const pcm of channels) for (let i = 0; i < length; i++) out[i] = out[i]! + pcm[i]!
  const g = 1 / Math.max(1, channels.length)
  for (let i = 0; i < length; i++) out[i] = out[i]! * g
  return out
}

/** The power-of-two frame size nearest `seconds` at `sampleRate`. */
export function frameSizeFor(sampleRate: Hertz, seconds: number): number {
  return 2 ** Math.round(Math.log2(sampleRate * seconds))
}

const HALF_BAND_TAPS = 16

/** Halves the rate of `mono` (windowed-sinc low-pass, then every other sample) while it is above 32 kHz. */
export function analysisRateFrom(
  mono: Float32Array,
  sampleRate: Hertz,
): { pcm: Float32Array; sampleRate: Hertz } {
  let pcm = mono
  let rate = sampleRate
  const taps = new Float64Array(2 * HALF_BAND_TAPS + 1)
  for (let k = -HALF_BAND_TAPS; k <= HALF_BAND_TAPS; k++) {
    const sinc = k === 0 ? 1 : Math.sin((Math.PI * k) / 2) / ((Math.PI * k) / 2)
    const hann = 0.5 + 0.5 * Math.cos((Math.PI * k) / (HALF_BAND_TAPS + 1))
    taps[k + HALF_BAND_TAPS] = 0.5 * sinc * hann
  }
  while (rate > 32000) {
    const n = pcm.length
    const out = new Float32Array(Math.ceil(n / 2))
    for (let j = 0; j < out.length; j++) {
      const centre = 2 * j
      let y = 0
      if (centre >= HALF_BAND_TAPS && centre + HALF_BAND_TAPS < n)
        for (let k = 0; k < taps.length; k++) y += taps[k]! * pcm[centre - HALF_BAND_TAPS + k]!
      else
        for (let k = 0; k < taps.length; k++) {
          const at = centre - HALF_BAND_TAPS + k
          if (at >= 0 && at < n) y += taps[k]! * pcm[at]!
        }
      out[j] = y
    }
    pcm = out
    rate /= 2
  }
  return { pcm, sampleRate: rate }
}
