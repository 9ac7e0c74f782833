import { describe, expect, it } from 'vitest'
import { FRONT_COVER, id3Text, readId3, writeId3, type Id3Frame } from './id3.ts'

const frames: Id3Frame[] = [
  { kind: 'text', id: 'TIT2', values: ['Night drive — ünïcödé 🌙'] },
  { kind: 'text', id: 'TIPL', values: ['composer', 'Halcyon Drift', 'voice', 'Mira Vale'] },
  { kind: 'userText', description: 'STEMFAIR_EXPORT_ID', value: '0123456789abcdef' },
  { kind: 'userUrl', description: 'licence', url: 'http://localhost:8787/c/copper-moons#licence' },
  { kind: 'comment', language: 'eng', description: 'attribution', text: 'Contains “stems”' },
]
describe('writeId3 / readId3', () => {
  it('round-trips every frame kind in an ID3v2.4 tag', () => {
    const tag = writeId3(frames)
    expect([...tag.subarray(0, 6)]).toEqual([0x49, 0x44, 0x33, 4, 0, 0])
    const read = readId3(tag)!
    expect(read).toEqual({ version: 4, frames, size: tag.length })
    expect(id3Text(read, 'TIT2')).toBe('Night drive — ünïcödé 🌙')
    expect(id3Text(read, 'TXXX:STEMFAIR_EXPORT_ID')).toBe('0123456789abcdef')
    expect(id3Text(read, 'TPE1')).toBeNull()
  })

  it('uses synchsafe sizes, so no size byte has its top bit set', () => {
    const big = writeId3([{ kind: 'text', id: 'TXXX', values: ['x'.repeat(300)] }], 200)
    for (const i of [6, 7, 8, 9]) expect(big[i]! & 0x80).toBe(0)
    expect(readId3(big)!.size).toBe(big.length)
    // 300 bytes of text + encoding = 301 = 0b10_0101101
    expect([...big.subarray(14, 18)]).toEqual([0, 0, 2, 45])
  })

  it('stops at padding and reads a tag followed by audio', () => {
    const tag = writeId3(frames.slice(0, 1), 64)
    const file = new Uint8Array([...tag, 0xff, 0xfb, 0x90, 0x00])
    const read = readId3(file)!
    expect(read.frames).toHaveLength(1)
    expect(read.size).toBe(tag.length)
  })

  it('reads ID3v2.3 with UTF-16 text and plain sizes', () => {
    const utf16 = [1, 0xff, 0xfe, ...[...'Hi'].flatMap((c) => [c.charCodeAt(0), 0])]
    const frame = [0x54, 0x49, 0x54, 0x32, 0, 0, 0, utf16.length, 0, 0, ...utf16]
    const tag = Uint8Array.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, frame.length, ...frame])
    expect(readId3(tag)!.frames).toEqual([{ kind: 'text', id: 'TIT2', values: ['Hi'] }])
  })

  it('answers null without a tag, and refuses malformed tags', () => {
    expect(readId3(Uint8Array.from([0xff, 0xfb, 0x90]))).toBeNull()
    expect(readId3(new Uint8Array(0))).toBeNull()
    const tag = writeId3(frames)
    expect(() => readId3(tag.subarray(0, 8))).toThrow(/truncated/)
    expect(() => readId3(tag.subarray(0, tag.length - 1))).toThrow(/truncated/)
    const v2 = tag.slice()
    v2[3] = 2
    expect(() => readId3(v2)).toThrow(/ID3v2.2/)
    const badSize = tag.slice()
    badSize[9] = 0x80
    expect(() => readId3(badSize)).toThrow(/malformed size/)
    const badFrame = tag.slice()
    badFrame[16] = 0x7f // first frame claims more bytes than the tag has
    expect(() => readId3(badFrame)).toThrow(/runs past the end/)
    const badId = tag.slice()
    badId[10] = 0x3f
    expect(() => readId3(badId)).toThrow(/malformed frame id/)
  })

  it('refuses to write what ID3 cannot hold', () => {
    expect(() => writeId3([{ kind: 'text', id: 'tit2', values: ['x'] }])).toThrow(/frame id/)
    expect(() => writeId3([{ kind: 'userUrl', description: '', url: 'http://x/✓' }])).toThrow(
      /Latin-1/,
    )
  })
})

describe('APIC pictures', () => {
  it('writes a front cover that reads back byte for byte', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0xd, 0])
    const tag = writeId3([
      { kind: 'text', id: 'TIT2', values: ['Song'] },
      {
        kind: 'picture',
        mime: 'image/png',
        pictureType: FRONT_COVER,
        description: 'Cövers',
        data: png,
      },
    ])
    const read = readId3(tag)!
    expect(read.frames[1]).toEqual({
      kind: 'picture',
      mime: 'image/png',
      pictureType: 3,
      description: 'Cövers',
      data: png,
    })
    // Header layout: encoding, MIME, NUL, type, description, NUL, data.
    const at = 10 + (10 + 5) + 10
    expect([...tag.subarray(at, at + 11)]).toEqual([
      3,
      ...[...'image/png'].map((c) => c.charCodeAt(0)),
      0,
    ])
    expect(tag[at + 11]).toBe(3)
  })

  it('refuses a truncated APIC frame', () => {
    const tag = writeId3([{ kind: 'binary', id: 'APIC', data: Uint8Array.from([0, 0x69]) }])
    expect(() => readId3(tag)).toThrow(/APIC/)
  })
})
