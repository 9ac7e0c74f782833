import { describe, expect, it } from 'vitest'
import { fmtChunkOf, fourcc, unsupportedWavMessage, wavEncodingOf } from './wav-header.ts'

/** A `fmt ` chunk body: tag, channels, rate, block align, bits, and an optional sub-format tag. */
function fmtBody(tag: number, channels: number, rate: number, bits: number, sub?: number) {
  const body = new Uint8Array(sub === undefined ? 16 : 40)
  const view = new DataView(body.buffer)
  view.setUint16(0, tag, true)
  view.setUint16(2, channels, true)
  view.setUint32(4, rate, true)
  view.setUint32(8, (rate * channels * bits) / 8, true)
  view.setUint16(12, (channels * bits) / 8, true)
  view.setUint16(14, bits, true)
  if (sub !== undefined) view.setUint16(24, sub, true)
  return view
}

describe('fmtChunkOf', () => {
  it('reads a plain PCM format chunk', () => {
    expect(fmtChunkOf(fmtBody(1, 2, 48000, 24), 0, 16)).toEqual({
      tag: 1,
      channels: 2,
      sampleRate: 48000,
      blockAlign: 6,
      bits: 24,
    })
  })

  it('resolves WAVE_FORMAT_EXTENSIBLE through its sub-format, or gives null when too short', () => {
    expect(fmtChunkOf(fmtBody(0xfffe, 1, 44100, 32, 3), 0, 40).tag).toBe(3)
    expect(fmtChunkOf(fmtBody(0xfffe, 1, 44100, 32), 0, 16).tag).toBeNull()
  })
})

describe('wavEncodingOf', () => {
  it('accepts 16/24-bit PCM and 32-bit float only', () => {
    expect(wavEncodingOf(1, 16)).toBe('pcm16')
    expect(wavEncodingOf(1, 24)).toBe('pcm24')
    expect(wavEncodingOf(3, 32)).toBe('float32')
    expect(wavEncodingOf(1, 8)).toBeNull()
    expect(wavEncodingOf(3, 64)).toBeNull()
    expect(unsupportedWavMessage(1, 8)).toMatch(/8-bit PCM/)
    expect(unsupportedWavMessage(85, 16)).toMatch(/16-bit format 85/)
  })
})

describe('fourcc', () => {
  it('reads four ASCII characters', () => {
    expect(fourcc(Uint8Array.from([0, 0x52, 0x49, 0x46, 0x46]), 1)).toBe('RIFF')
  })
})
