import type { Hertz, Samples } from '../units.ts'
import { SILENCE_FLOOR_DB } from './levels.ts'
import { Decimator } from '../lib/dsp/decimate.ts'
import { DEFAULT_SAMPLES_PER_PEAK, type Peaks } from './peaks.ts'

/**
 * Streaming versions of what the seed computes from whole files: peaks (the same format as
 * `peaksFrom`), levels (as `levelsFrom`), and a decimator that brings high-rate masters down to a
 * rate MP3 supports. Each takes planar blocks of any length, in order.
 */

/** Peaks block by block; `result()` equals `peaksFrom` over the concatenated audio. */
export class PeaksBuilder {
  private readonly peaks: number[][]
  private readonly current: Float64Array
  private filled = 0 // samples in the current bucket
  private length = 0

  private readonly channels: number
  private readonly sampleRate: Hertz
  private readonly samplesPerPeak: Samples

  constructor(
    channels: number,
    sampleRate: Hertz,
    samplesPerPeak: Samples = DEFAULT_SAMPLES_PER_PEAK,
  ) {
    this.channels = channels
    this.sampleRate = sampleRate
    this.samplesPerPeak = samplesPerPeak
    this.peaks = Array.from({ length: channels }, () => [])
    this.current = new Float64Array(channels)
  }

  add(block: readonly Float32Array[], frames: number): void {
    let i = 0
    while (i < frames) {
      const n = Math.min(frames - i, this.samplesPerPeak - this.filled)
      for (let ch = 0; ch < this.channels; ch++) {
        const pcm = block[ch]!
        let max = this.current[ch]!
        for (let j = i; j < i + n; j++) {
          const v = Math.abs(pcm[j]!)
          if (v > max) max = v
        }
        this.current[ch] = max
      }
      i += n
      this.filled += n
      if (this.filled === this.samplesPerPeak) this.flush()
    }
    this.length += frames
  }

  private flush(): void {
    for (let ch = 0; ch < this.channels; ch++) {
      this.peaks[ch]!.push(Math.round(Math.min(1, this.current[ch]!) * 1000) / 1000)
      this.current[ch] = 0
    }
    this.filled = 0
  }

  result(): Peaks {
    if (this.filled > 0) this.flush()
    return {
      version: 1,
      sampleRate: this.sampleRate,
      samplesPerPeak: this.samplesPerPeak,
      length: this.length,
      channels: this.peaks,
    }
  }
}

/** Sample peak and RMS over all channels, as `levelsFrom`. */
export class LevelMeter {
  private peak = 0
  private sumSquares = 0
  private count = 0

  add(block: readonly Float32Array[], frames: number): void {
    for (const pcm of block) {
      let peak = this.peak
      let sum = 0
      for (let i = 0; i < frames; i++) {
        const v = pcm[i]!
        const a = v < 0 ? -v : v
        if (a > peak) peak = a
        sum += v * v
      }
      this.peak = peak
      this.sumSquares += sum
      this.count += frames
    }
  }

  result(): { peakDbfs: number; rmsDbfs: number } {
    const db = (a: number) =>
      a > 0 ? Math.max(SILENCE_FLOOR_DB, 20 * Math.log10(a)) : SILENCE_FLOOR_DB
    const round = (v: number) => Math.round(v * 100) / 100
    const rms = this.count ? Math.sqrt(this.sumSquares / this.count) : 0
    return { peakDbfs: round(db(this.peak)), rmsDbfs: round(db(rms)) }
  }
}

/** The rate the rendition is encoded at, and the integer factor from the master's rate. */
export function renditionRate(sampleRate: Hertz): { rate: Hertz; factor: number } {
  const factor = sampleRate > 96000 ? 4 : sampleRate > 48000 ? 2 : 1
  return { rate: sampleRate / factor, factor }
}

/** Float samples to 16-bit integers (clipped), into `out`. */
export function int16Into(pcm: Float32Array, frames: number, out: Int16Array): Int16Array {
  for (let i = 0; i < frames; i++) {
    const v = pcm[i]! * 32768
    out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v)
  }
  return out.subarray(0, frames)
}

/** Rate of the mono copy the campaign analysis reads: about 11 kHz, an integer factor below the master's. */
export function analysisCopyRate(sampleRate: Hertz): { rate: Hertz; factor: number } {
  const factor = Math.max(1, Math.floor(sampleRate / 11025))
  return { rate: sampleRate / factor, factor }
}

/** The mono downmix of a master, low-passed and decimated to `analysisCopyRate` as blocks come. */
export class AnalysisCopy {
  readonly rate: Hertz
  readonly pcm: Float32Array
  length = 0
  private readonly mono: Float32Array
  private readonly decimator: Decimator

  private readonly channels: number

  constructor(channels: number, sampleRate: Hertz, lengthSamples: number, maxFrames: number) {
    this.channels = channels
    const { rate, factor } = analysisCopyRate(sampleRate)
    this.rate = rate
    this.pcm = new Float32Array(Math.ceil(lengthSamples / factor) + 1)
    this.mono = new Float32Array(maxFrames)
    this.decimator = new Decimator(factor, 1, maxFrames)
  }

  add(block: readonly Float32Array[], frames: number): void {
    const mono = this.mono
    const gain = 1 / this.channels
    mono.set(block[0]!.subarray(0, frames))
    for (let c = 1; c < this.channels; c++) {
      const src = block[c]!
      for (let i = 0; i < frames; i++) mono[i] = mono[i]! + src[i]!
    }
    if (this.channels > 1) for (let i = 0; i < frames; i++) mono[i] = mono[i]! * gain
    const low = this.decimator.process([mono], frames)
    const n = Math.min(low.length, this.pcm.length - this.length)
    this.pcm.set(low.channels[0]!.subarray(0, n), this.length)
    this.length += n
  }

  /** The copy as bytes (little-endian float32, as the platforms this runs on store them). */
  bytes(): Uint8Array {
    return new Uint8Array(this.pcm.buffer, 0, this.length * 4)
  }
}
