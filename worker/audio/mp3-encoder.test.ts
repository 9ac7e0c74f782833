import { describe, expect, it } from 'vitest'
import { loadMpegDecoder } from './decoders.ts'
import { createMp3Encoder, type Mp3Encoder } from './mp3-encoder.ts'

/** A sine sweeping from `from` to `to` Hz at `amplitude`, `frames` long (no two lags look alike). */
function sweep(frames: number, rate: number, from: number, to: number, amplitude: number) {
  const pcm = new Float32Array(frames)
  const seconds = frames / rate
  for (let i = 0; i < frames; i++) {
    const t = i / rate
    pcm[i] = amplitude * Math.sin(2 * Math.PI * (from * t + ((to - from) * t * t) / (2 * seconds)))
  }
  return pcm
}

/** Feeds `channels` to the encoder in blocks of the given sizes (cycled) and joins the output. */
function encodeAll(encoder: Mp3Encoder, channels: Float32Array[], sizes: number[]): Uint8Array {
  const out: number[] = []
  const frames = channels[0]!.length
  for (let at = 0, k = 0; at < frames; k++) {
    const n = Math.min(sizes[k % sizes.length]!, frames - at)
    out.push(...encoder.encode(channels.map((c) => c.subarray(at, at + n))))
    at += n
  }
  out.push(...encoder.finish())
  return new Uint8Array(out)
}

const KBPS_INDEX = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
const RATE_INDEX = [44100, 48000, 32000]

/** Walks the MPEG-1 Layer III frame headers: bit rate, sample rate and mode of every frame. */
function frames(mp3: Uint8Array) {
  const found: { kbps: number; rate: number; mono: boolean }[] = []
  let at = 0
  while (at + 4 <= mp3.length) {
    const [a, b, c, d] = [mp3[at]!, mp3[at + 1]!, mp3[at + 2]!, mp3[at + 3]!]
    if (a !== 0xff || (b & 0xfe) !== 0xfa) throw new Error(`no frame header at byte ${at}`)
    const kbps = KBPS_INDEX[c >> 4]!
    const rate = RATE_INDEX[(c >> 2) & 3]!
    found.push({ kbps, rate, mono: d >> 6 === 3 })
    at += Math.floor((144000 * kbps) / rate) + ((c >> 1) & 1)
  }
  expect(at).toBe(mp3.length) // whole frames only
  return found
}

/** Pearson correlation of a and b (same length). */
function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!
    aa += a[i]! * a[i]!
    bb += b[i]! * b[i]!
  }
  return ab / Math.sqrt(aa * bb)
}

/** The decoder's output aligned with the input: the lag (encoder delay) of best correlation. */
function aligned(decoded: Float32Array, input: Float32Array): Float32Array {
  const probe = input.subarray(4096, 4096 + 8192)
  let best = { lag: 0, r: -Infinity }
  for (let lag = 0; lag <= 4000; lag++) {
    const r = correlation(decoded.subarray(4096 + lag, 4096 + lag + probe.length), probe)
    if (r > best.r) best = { lag, r }
  }
  return decoded.subarray(best.lag, best.lag + input.length)
}

/** Signal-to-noise ratio of `decoded` against `input`, in dB. */
function snrDb(decoded: Float32Array, input: Float32Array): number {
  let signal = 0
  let noise = 0
  for (let i = 0; i < input.length; i++) {
    signal += input[i]! * input[i]!
    noise += (decoded[i]! - input[i]!) ** 2
  }
  return 10 * Math.log10(signal / noise)
}

async function decode(mp3: Uint8Array) {
  const decoder = await loadMpegDecoder()
  try {
    return decoder.decode(mp3)
  } finally {
    decoder.free()
  }
}

describe('createMp3Encoder', () => {
  it('encodes stereo 48 kHz at 192 kbit/s that mpg123 decodes back to the input', async () => {
    const rate = 48000
    const n = 3 * rate
    const input = [sweep(n, rate, 200, 4000, 0.5), sweep(n, rate, 3000, 300, 0.3)]
    const mp3 = encodeAll(
      await createMp3Encoder({ sampleRate: rate, channels: 2, kbps: 192 }),
      input,
      [1000, 4096, 7, 32768],
    )
    const found = frames(mp3)
    expect(found.every((f) => f.kbps === 192 && f.rate === rate && !f.mono)).toBe(true)
    // LAME's delay and padding add less than two frames; nothing of the input is missing.
    expect(found.length * 1152).toBeGreaterThanOrEqual(n)
    expect(found.length * 1152).toBeLessThan(n + 3 * 1152)

    const decoded = await decode(mp3)
    expect(decoded.sampleRate).toBe(rate)
    expect(decoded.samplesDecoded).toBe(found.length * 1152)
    for (const [c, pcm] of input.entries()) {
      const out = aligned(decoded.channelData[c]!, pcm)
      expect(out).toHaveLength(n)
      expect(correlation(out, pcm)).toBeGreaterThan(0.999)
      expect(snrDb(out, pcm)).toBeGreaterThan(30)
    }
    // Left stays left: the rising sweep is not in the right channel.
    const right = aligned(decoded.channelData[1]!, input[1]!)
    expect(Math.abs(correlation(right, input[0]!))).toBeLessThan(0.05)
  }, 60_000)

  it('streams: any block sizes give the same bytes, mono 44.1 kHz at 128 kbit/s', async () => {
    const rate = 44100
    const input = [sweep(2 * rate, rate, 100, 2000, 0.7)]
    const options = { sampleRate: rate, channels: 1, kbps: 128 } as const
    const whole = encodeAll(await createMp3Encoder(options), input, [input[0]!.length])
    const pieces = encodeAll(await createMp3Encoder(options), input, [1, 333, 1152, 5000])
    expect(pieces).toEqual(whole)
    const found = frames(whole)
    expect(found.every((f) => f.kbps === 128 && f.rate === rate && f.mono)).toBe(true)
    const decoded = await decode(whole)
    const out = aligned(decoded.channelData[0]!, input[0]!)
    expect(snrDb(out, input[0]!)).toBeGreaterThan(20)
  }, 60_000)

  it('refuses what MP3 cannot carry, and use after finish', async () => {
    await expect(createMp3Encoder({ sampleRate: 96000, channels: 2, kbps: 192 })).rejects.toThrow(
      /96000 Hz is not an MP3 sample rate/,
    )
    await expect(createMp3Encoder({ sampleRate: 48000, channels: 2, kbps: 191 })).rejects.toThrow(
      /191 kbit\/s/,
    )
    const encoder = await createMp3Encoder({ sampleRate: 48000, channels: 2, kbps: 192 })
    expect(() => encoder.encode([new Float32Array(10)])).toThrow(/2 channels/)
    expect(() => encoder.encode([new Float32Array(10), new Float32Array(9)])).toThrow(/differ/)
    encoder.finish()
    expect(() => encoder.encode([new Float32Array(10), new Float32Array(10)])).toThrow(/finished/)
  })
})
