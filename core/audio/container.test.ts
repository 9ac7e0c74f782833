import { describe, expect, it } from 'vitest'
import { bytesSource, readMasterInfo, type MasterInfo } from './container.ts'
import { decodeWavFrames } from '../lib/audio/wav-layout.ts'
import { utf8 } from '../lib/bytes.ts'
import { encodeWav } from './wav.ts'

const tone = (frames: number) =>
  Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000))

const read = (bytes: Uint8Array, size = bytes.length) => readMasterInfo(bytesSource(bytes), size)

/** Rewrites a plain 44-byte-header WAV as WAVE_FORMAT_EXTENSIBLE (fmt chunk of 40 bytes). */
function extensible(wav: Uint8Array): Uint8Array {
  const out = new Uint8Array(wav.length + 24)
  out.set(wav.subarray(0, 20))
  const view = new DataView(out.buffer)
  view.setUint32(4, out.length - 8, true)
  view.setUint32(16, 40, true)
  out.set(wav.subarray(20, 36), 20)
  const tag = view.getUint16(20, true)
  view.setUint16(20, 0xfffe, true)
  view.setUint16(36, 22, true) // cbSize
  view.setUint16(38, view.getUint16(34, true), true) // valid bits
  view.setUint32(40, 3, true) // channel mask
  view.setUint16(44, tag, true) // sub-format GUID starts with the real tag
  out.set(wav.subarray(36), 60)
  return out
}

/** Rewrites a plain WAV as RF64 with a ds64 chunk and 0xFFFFFFFF sizes. */
function rf64(wav: Uint8Array): Uint8Array {
  const ds64 = 8 + 28
  const out = new Uint8Array(wav.length + ds64)
  const view = new DataView(out.buffer)
  out.set([0x52, 0x46, 0x36, 0x34]) // RF64
  view.setUint32(4, 0xffffffff, true)
  out.set(wav.subarray(8, 12), 8) // WAVE
  out.set([0x64, 0x73, 0x36, 0x34], 12) // ds64
  view.setUint32(16, 28, true)
  const dataSize = new DataView(wav.buffer, wav.byteOffset).getUint32(40, true)
  view.setUint32(20, out.length - 8, true)
  view.setUint32(28, dataSize, true)
  view.setUint32(36, dataSize / 4, true)
  out.set(wav.subarray(12), 12 + ds64)
  view.setUint32(12 + ds64 + 28 + 4, 0xffffffff, true) // data chunk size
  return out
}

describe('readMasterInfo', () => {
  it('reads 16-bit, 24-bit and float WAV headers', async () => {
    for (const [encoding, bits] of [
      ['pcm16', 16],
      ['pcm24', 24],
      ['float32', 32],
    ] as const) {
      const wav = encodeWav([tone(4800), tone(4800)], 48000, { encoding })
      const info = await read(wav)
      expect(info).toMatchObject({
        format: 'wav',
        encoding,
        sampleRate: 48000,
        channels: 2,
        bitDepth: bits,
        lengthSamples: 4800,
        dataOffset: 44,
      })
    }
  })

  it('reads WAVE_FORMAT_EXTENSIBLE and RF64', async () => {
    const wav = encodeWav([tone(4800), tone(4800)], 96000, { encoding: 'pcm24' })
    expect(await read(extensible(wav))).toMatchObject({
      encoding: 'pcm24',
      sampleRate: 96000,
      lengthSamples: 4800,
      dataOffset: 68,
    })
    const big = encodeWav([tone(1000), tone(1000)], 48000, { encoding: 'pcm16' })
    expect(await read(rf64(big))).toMatchObject({
      encoding: 'pcm16',
      lengthSamples: 1000,
      dataBytes: 4000,
    })
  })

  it('decodes frames like decodeWav', async () => {
    const pcm = tone(1000)
    const wav = encodeWav([pcm], 48000, { encoding: 'pcm24' })
    const info: MasterInfo = await read(wav)
    const out = [new Float32Array(1000)]
    decodeWavFrames(wav.subarray(info.dataOffset), info, 1000, out)
    for (let i = 0; i < 1000; i++) expect(Math.abs(out[0]![i]! - pcm[i]!)).toBeLessThan(1e-6)
  })

  it('names lossy and other files instead of reading them as masters', async () => {
    const mp3 = new Uint8Array([0xff, 0xfb, 0x90, 0x64, ...new Array(100).fill(0)])
    await expect(read(mp3)).rejects.toThrow(/MP3, a lossy format/)
    await expect(read(utf8('ID3\x04\x00\x00\x00\x00\x00\x00'))).rejects.toThrow(/lossy/)
    await expect(read(utf8('OggS\x00\x02 rest of page'))).rejects.toThrow(/Ogg/)
    await expect(read(utf8('\x00\x00\x00\x20ftypM4A '))).rejects.toThrow(/MP4/)
    await expect(read(utf8('%PDF-1.7 not audio at all'))).rejects.toThrow(/not audio/)
  })

  it('refuses truncated, corrupt and unsupported WAVs with a sentence', async () => {
    const wav = encodeWav([tone(4800), tone(4800)], 48000, { encoding: 'pcm16' })
    await expect(read(wav.subarray(0, wav.length - 1000))).rejects.toThrow(/truncated/)
    await expect(read(wav.subarray(0, 30))).rejects.toThrow(/truncated|corrupt/)
    const odd = wav.slice()
    new DataView(odd.buffer).setUint32(40, 4801 * 4 - 2, true)
    await expect(read(odd, odd.length + 10)).rejects.toThrow(/middle of a sample frame/)
    const eight = encodeWav([tone(100)], 48000, { encoding: 'pcm16' })
    new DataView(eight.buffer).setUint16(34, 8, true)
    await expect(read(eight)).rejects.toThrow(/16- or 24-bit PCM or 32-bit float/)
    const surround = wav.slice()
    new DataView(surround.buffer).setUint16(22, 6, true)
    new DataView(surround.buffer).setUint16(32, 12, true)
    await expect(read(surround)).rejects.toThrow(/6 channels; a stem must be mono or stereo/)
    const odd44 = encodeWav([tone(100)], 11025)
    await expect(read(odd44)).rejects.toThrow(/11025 Hz/)
  })

  it('refuses a master over 15 minutes from its header alone', async () => {
    const wav = encodeWav([tone(100)], 48000, { encoding: 'pcm16' })
    const frames = 48000 * 60 * 15 + 1
    new DataView(wav.buffer).setUint32(40, frames * 2, true)
    await expect(read(wav, 44 + frames * 2)).rejects.toThrow(/15 minutes/)
  })
})
