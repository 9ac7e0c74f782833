import { describe, expect, it } from 'vitest'
import { encodeWav } from '../../core/audio/wav.ts'
import { createMp3Encoder } from './mp3-encoder.ts'

async function encodeMp3(channels: Float32Array[], sampleRate: number): Promise<Uint8Array> {
  const encoder = await createMp3Encoder({ sampleRate, channels: 2, kbps: 192 })
  const parts = [encoder.encode(channels).slice(), encoder.finish().slice()]
  const out = new Uint8Array(parts[0]!.length + parts[1]!.length)
  out.set(parts[0]!)
  out.set(parts[1]!, parts[0]!.length)
  return out
}
import { encodeFlac } from '../../test/worker/flac-fixture.ts'
import { decodeAudio, sniffFormat } from './decode.ts'

const RATE = 44100

/** A sine per channel, 0.25 peak, `seconds` long. */
function tones(seconds: number, channels = 2): Float32Array[] {
  return Array.from({ length: channels }, (_, ch) => {
    const pcm = new Float32Array(Math.round(seconds * RATE))
    for (let i = 0; i < pcm.length; i++)
      pcm[i] = 0.25 * Math.sin((2 * Math.PI * 440 * (ch + 1) * i) / RATE)
    return pcm
  })
}

const bytes = (...values: number[]) => new Uint8Array(values)
const ascii = (text: string) => new TextEncoder().encode(text)

describe('sniffFormat', () => {
  it('knows each container by its magic numbers', () => {
    expect(sniffFormat(encodeWav(tones(0.1), RATE))).toBe('wav')
    expect(sniffFormat(ascii('fLaC\0\0\0\x22'))).toBe('flac')
    expect(sniffFormat(bytes(0xff, 0xfb, 0x90, 0x64))).toBe('mp3')
    const page = (packet: string) =>
      new Uint8Array([...ascii('OggS'), ...new Uint8Array(22), 1, 30, ...ascii(packet)])
    expect(sniffFormat(page('\x01vorbis'))).toBe('ogg-vorbis')
    expect(sniffFormat(page('\x7fFLAC'))).toBe('flac')
    expect(() => sniffFormat(page('OpusHead'))).toThrow(/Ogg Opus is not supported/)
  })

  it('refuses what it cannot read, in words', () => {
    expect(() => sniffFormat(new Uint8Array(0))).toThrow('The file is empty.')
    expect(() => sniffFormat(ascii('....ftypM4A '))).toThrow(/AAC\/MP4 audio is not supported/)
    expect(() => sniffFormat(bytes(0xff, 0xf1, 0x50, 0x80))).toThrow(/not an audio file/) // AAC ADTS
    expect(() => sniffFormat(ascii('hello, world'))).toThrow(/not an audio file/)
  })
})

describe('decodeAudio', () => {
  it('decodes only the first seconds asked for, of WAV and MP3', async () => {
    const wav = await decodeAudio(encodeWav(tones(3), RATE, { encoding: 'pcm24' }), 1.5)
    expect(wav).toMatchObject({ format: 'wav', sampleRate: RATE })
    expect(wav.channels.map((c) => c.length)).toEqual([1.5 * RATE, 1.5 * RATE])
    expect(wav.channels[1]![10]).toBeCloseTo(tones(1)[1]![10]!, 5)

    const encoded = await encodeMp3(tones(3), RATE)
    const mp3 = await decodeAudio(encoded, 1.5)
    expect(mp3).toMatchObject({ format: 'mp3', sampleRate: RATE })
    expect(mp3.channels.map((c) => c.length)).toEqual([1.5 * RATE, 1.5 * RATE])
    const whole = await decodeAudio(encoded, 60)
    expect(whole.channels[0]!.length).toBeGreaterThanOrEqual(3 * RATE)
  }, 60_000)

  it('keeps the first two channels of a wider WAV', async () => {
    const decoded = await decodeAudio(encodeWav(tones(0.5, 4), RATE), 60)
    expect(decoded.channels).toHaveLength(2)
  })
})

describe("decodeAudio of FLAC (core's FlacDecoder)", () => {
  const scaled = (pcm: Float32Array, bits: number) => {
    const scale = 2 ** (bits - 1)
    return Float32Array.from(pcm, (v) => Math.round(v * scale) / scale || 0)
  }

  it('decodes the first seconds of 16-bit stereo and 24-bit mono, sample for sample', async () => {
    const stereo = tones(3)
    const flac16 = await decodeAudio(encodeFlac(stereo, RATE, 16), 1.5)
    expect(flac16).toMatchObject({ format: 'flac', sampleRate: RATE })
    expect(flac16.channels.map((c) => c.length)).toEqual([1.5 * RATE, 1.5 * RATE])
    expect(flac16.channels[1]).toEqual(scaled(stereo[1]!, 16).subarray(0, 1.5 * RATE))

    const mono = tones(2, 1)
    const flac24 = await decodeAudio(encodeFlac(mono, 48000, 24), 60)
    expect(flac24).toMatchObject({ format: 'flac', sampleRate: 48000 })
    expect(flac24.channels).toHaveLength(1)
    expect(flac24.channels[0]).toEqual(scaled(mono[0]!, 24))
  })

  it('reads a FLAC whose STREAMINFO gives no length to its end', async () => {
    const pcm = tones(1)
    const decoded = await decodeAudio(encodeFlac(pcm, RATE, 16, 0), 60)
    expect(decoded.channels[0]).toEqual(scaled(pcm[0]!, 16))
  })

  it('keeps the first two channels of a wider FLAC', async () => {
    const decoded = await decodeAudio(encodeFlac(tones(0.5, 4), RATE, 16), 60)
    expect(decoded.channels).toHaveLength(2)
    expect(decoded.channels[1]).toEqual(scaled(tones(0.5, 4)[1]!, 16))
  })

  it('refuses a truncated or corrupt FLAC, but reads the intact start of a cut-off one', async () => {
    const whole = encodeFlac(tones(3), RATE, 16)
    const cut = whole.subarray(0, Math.floor(whole.length / 2))
    await expect(decodeAudio(cut, 60)).rejects.toThrow(/The FLAC file is truncated/)
    const start = await decodeAudio(cut, 0.5)
    expect(start.channels[0]).toHaveLength(0.5 * RATE)

    const corrupt = whole.slice()
    for (let i = 10_000; i < 10_200; i++) corrupt[i] = (i * 7919) % 251
    await expect(decodeAudio(corrupt, 60)).rejects.toThrow(/The FLAC file is corrupt/)
    await expect(decodeAudio(whole.subarray(0, 30), 60)).rejects.toThrow(
      /The FLAC file is truncated inside its metadata/,
    )
  })

  it('refuses Ogg FLAC in words', async () => {
    const page = new Uint8Array([
      ...ascii('OggS'),
      ...new Uint8Array(22),
      1,
      30,
      ...ascii('\x7fFLAC'),
    ])
    await expect(decodeAudio(page, 60)).rejects.toThrow(
      'Ogg FLAC is not supported; send native FLAC, WAV, MP3 or Ogg Vorbis.',
    )
  })
})
