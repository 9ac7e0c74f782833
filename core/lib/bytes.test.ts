import { describe, expect, it } from 'vitest'
import { bytesOfHex, concatBytes, hexOf, sha256Hex, utf8, utf8Decode } from './bytes.ts'

describe('hexOf', () => {
  it('writes two lowercase digits a byte, zero-padded', () => {
    expect(hexOf(Uint8Array.from([0, 1, 0x0f, 0x10, 0xab, 0xff]))).toBe('00010f10abff')
    expect(hexOf(new Uint8Array(0))).toBe('')
  })
})

describe('bytesOfHex', () => {
  it('reads hexOf back, in either case, and refuses what is not hex bytes', () => {
    const bytes = Uint8Array.from([0, 1, 0x0f, 0x10, 0xab, 0xff])
    expect(bytesOfHex(hexOf(bytes))).toEqual(bytes)
    expect(bytesOfHex('00010F10ABFF')).toEqual(bytes)
    expect(bytesOfHex('')).toEqual(new Uint8Array(0))
    for (const bad of ['0', 'abc', 'zz', '0x12', '12 34']) expect(bytesOfHex(bad)).toBeNull()
  })
})

describe('concatBytes', () => {
  it('joins arrays and byte lists in order', () => {
    expect([...concatBytes([Uint8Array.from([1, 2]), [3], new Uint8Array(0), [4, 5]])]).toEqual([
      1, 2, 3, 4, 5,
    ])
  })
})

describe('sha256Hex', () => {
  it('hashes UTF-8 as WebCrypto does (known SHA-256 vectors)', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(utf8('é€😀')).toEqual(
      Uint8Array.from([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]),
    )
    expect(await sha256Hex('é€😀')).toBe(await sha256Hex(utf8('é€😀')))
  })

  it('hashes the empty input and raw bytes (FIPS 180-2 vectors)', async () => {
    expect(await sha256Hex('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(await sha256Hex(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })
})

describe('utf8', () => {
  it('encodes and decodes one to four byte sequences, astral planes included', () => {
    const text = 'a é ✓ 🌙 \u0000 z'
    const bytes = [0x61, 0x20, 0xc3, 0xa9, 0x20, 0xe2, 0x9c, 0x93, 0x20]
    const moon = [0xf0, 0x9f, 0x8c, 0x99, 0x20, 0x00, 0x20, 0x7a]
    expect([...utf8(text)]).toEqual([...bytes, ...moon])
    expect(utf8Decode(utf8(text))).toBe(text)
  })

  it('replaces malformed sequences', () => {
    expect(utf8Decode(Uint8Array.from([0x61, 0xff, 0x62, 0xe2, 0x82]))).toBe('a\ufffdb\ufffd')
  })
})
