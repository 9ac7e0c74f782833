import { describe, expect, it } from 'vitest'
import { utf8 } from '../lib/bytes.ts'
import { chunkData, decodeWav, encodeWav, infoChunk, readInfo, readWavInfo } from './wav.ts'

const ramp = (n: number, scale = 1) =>
  Float32Array.from({ length: n }, (_, i) => scale * ((i / n) * 2 - 1))

function patch(bytes: Uint8Array, at: number, value: number, width: 2 | 4) {
  const copy = bytes.slice()
  const view = new DataView(copy.buffer)
  if (width === 2) view.setUint16(at, value, true)
  else view.setUint32(at, value, true)
  return copy
}

describe('encodeWav / decodeWav', () => {
  it('round-trips 16-bit samples exactly on the 16-bit grid', () => {
    const left = Float32Array.from([0, 0.5, -0.5, -1, 32767 / 32768, 1 / 32768])
    const right = Float32Array.from([1 / 32768, 0, 0.25, -0.25, 0, -1])
    const bytes = encodeWav([left, right], 44100)
    expect(bytes.length).toBe(44 + 6 * 2 * 2)
    const info = readWavInfo(bytes)
    expect(info).toMatchObject({ encoding: 'pcm16', channels: 2, sampleRate: 44100, frames: 6 })
    const { sampleRate, channels } = decodeWav(bytes)
    expect(sampleRate).toBe(44100)
    expect(channels).toEqual([left, right])
  })

  it('clips full scale and beyond instead of wrapping', () => {
    const { channels } = decodeWav(encodeWav([Float32Array.from([1, 2, -2])], 8000))
    expect([...channels[0]!]).toEqual([32767 / 32768, 32767 / 32768, -1])
  })

  it('round-trips 24-bit within one step and float32 exactly', () => {
    const pcm = ramp(1000, 0.9)
    const deep = decodeWav(encodeWav([pcm, pcm], 48000, { encoding: 'pcm24' }))
    deep.channels[1]!.forEach((v, i) =>
      expect(Math.abs(v - pcm[i]!)).toBeLessThanOrEqual(1 / 8388608),
    )
    const float = decodeWav(encodeWav([pcm], 48000, { encoding: 'float32' }))
    expect(float.channels[0]).toEqual(pcm)
    expect(readWavInfo(encodeWav([pcm], 48000, { encoding: 'float32' })).encoding).toBe('float32')
  })

  it('writes extra chunks after the audio, padded to even sizes, and reads LIST/INFO back', () => {
    const info = infoChunk({ INAM: 'Night drive', IART: 'Halcyon Drift (Ana remix)', ICMT: 'é ✓' })
    const id3 = { id: 'id3 ', data: Uint8Array.from([1, 2, 3]) }
    const bytes = encodeWav([ramp(11)], 44100, { chunks: [info, id3] })
    expect(bytes.length % 2).toBe(0)
    const parsed = readWavInfo(bytes)
    expect(parsed.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'LIST', 'id3 '])
    expect(parsed.frames).toBe(11)
    expect(readInfo(bytes, parsed)).toEqual({
      INAM: 'Night drive',
      IART: 'Halcyon Drift (Ana remix)',
      ICMT: 'é ✓',
    })
    expect(chunkData(bytes, parsed, 'id3 ')).toEqual(Uint8Array.from([1, 2, 3]))
    expect(chunkData(bytes, parsed, 'bext')).toBeNull()
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.length - 8)
  })

  it('reads WAVE_FORMAT_EXTENSIBLE and skips unknown chunks before the data', () => {
    const pcm = Float32Array.from([0.5, -0.5])
    const plain = encodeWav([pcm], 44100)
    // fmt of 40 bytes with the extensible tag, a JUNK chunk, then the same data chunk.
    const fmt = new Uint8Array(48)
    const v = new DataView(fmt.buffer)
    fmt.set([0x66, 0x6d, 0x74, 0x20])
    v.setUint32(4, 40, true)
    fmt.set(plain.subarray(20, 36), 8)
    v.setUint16(8, 0xfffe, true)
    v.setUint16(8 + 16, 22, true)
    v.setUint16(8 + 24, 1, true)
    const junk = Uint8Array.from([0x4a, 0x55, 0x4e, 0x4b, 3, 0, 0, 0, 9, 9, 9, 0])
    const bytes = new Uint8Array([...plain.subarray(0, 12), ...fmt, ...junk, ...plain.subarray(36)])
    expect(decodeWav(bytes).channels[0]).toEqual(pcm)
  })
})

describe('readWavInfo refuses malformed input with a sentence', () => {
  const good = encodeWav([ramp(100), ramp(100)], 44100)

  it('refuses what is not a WAV', () => {
    for (const bytes of [new Uint8Array(0), utf8('ID3 not a wav at all')])
      expect(() => readWavInfo(bytes)).toThrow(/not a WAV file/)
  })

  it('refuses a truncated file, naming the bytes that arrived', () => {
    expect(() => readWavInfo(good.subarray(0, 300))).toThrow(
      'The WAV is truncated: its data chunk declares 400 bytes but only 256 arrived.',
    )
    expect(() => readWavInfo(good.subarray(0, 30))).toThrow(/truncated/)
    expect(() => readWavInfo(good.subarray(0, 299))).toThrow(/truncated/)
  })

  it('refuses a data size that is not whole frames', () => {
    expect(() => readWavInfo(patch(good, 40, 399, 4))).toThrow(/middle of a sample frame/)
  })

  it('refuses unsupported formats: 8-bit, 32-bit int, A-law', () => {
    expect(() => readWavInfo(patch(good, 34, 8, 2))).toThrow(/this one is 8-bit PCM/)
    expect(() => readWavInfo(patch(good, 34, 32, 2))).toThrow(/32-bit PCM/)
    expect(() => readWavInfo(patch(good, 20, 6, 2))).toThrow(/format 6/)
  })

  it('refuses a missing format or data chunk and an inconsistent block size', () => {
    const noFmt = Uint8Array.from([...good.subarray(0, 12), ...good.subarray(36)])
    expect(() => readWavInfo(noFmt)).toThrow(/no format chunk/)
    expect(() => readWavInfo(good.subarray(0, 36))).toThrow(/no audio data/)
    expect(() => readWavInfo(patch(good, 32, 3, 2))).toThrow(/malformed format/)
    expect(() => readWavInfo(patch(good, 22, 0, 2))).toThrow(/malformed format/)
  })

  it('refuses a malformed LIST/INFO chunk', () => {
    const bytes = encodeWav([ramp(2)], 44100, { chunks: [infoChunk({ INAM: 'x' })] })
    const info = readWavInfo(bytes)
    const list = info.chunks.find((c) => c.id === 'LIST')!
    const broken = patch(bytes, list.offset + 8, 1000, 4)
    expect(() => readInfo(broken, readWavInfo(broken))).toThrow(/malformed LIST/)
  })
})
