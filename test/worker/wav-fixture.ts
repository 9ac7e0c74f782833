import { encodeWav, type WavEncoding } from '../../core/audio/wav.ts'

/** What a test upload is made of; a stereo float render of the studio by default. */
export type WavOptions = {
  sampleRate?: number
  channels?: number
  encoding?: WavEncoding
}

/** A render as the studio uploads it: a quiet two-tone chord, `seconds` long. */
export function renderWav(seconds: number, options: WavOptions = {}): Uint8Array {
  const { sampleRate = 44100, channels = 2, encoding = 'float32' } = options
  const frames = Math.round(seconds * sampleRate)
  const planar = Array.from({ length: channels }, (_, ch) => {
    const pcm = new Float32Array(frames)
    const hz = 220 * (ch + 1)
    for (let i = 0; i < frames; i++) pcm[i] = 0.25 * Math.sin((2 * Math.PI * hz * i) / sampleRate)
    return pcm
  })
  return encodeWav(planar, sampleRate, { encoding })
}

/** The first `bytes` of a WAV, as a cut-off upload would arrive. */
export function truncated(wav: Uint8Array, bytes: number): Uint8Array {
  return wav.slice(0, bytes)
}

/** Counts MPEG-1 Layer III frames by walking their headers; throws at the first broken one. */
export function mp3FrameCount(bytes: Uint8Array, from: number): number {
  const RATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
  const SAMPLE_RATES = [44100, 48000, 32000]
  let count = 0
  for (let at = from; at + 4 <= bytes.length; count++) {
    if (bytes[at] !== 0xff || (bytes[at + 1]! & 0xfe) !== 0xfa)
      throw new Error(`no MPEG-1 Layer III frame at byte ${at}`)
    const kbps = RATES[bytes[at + 2]! >> 4]!
    const rate = SAMPLE_RATES[(bytes[at + 2]! >> 2) & 3]!
    const padding = (bytes[at + 2]! >> 1) & 1
    at += Math.floor((144000 * kbps) / rate) + padding
  }
  return count
}
