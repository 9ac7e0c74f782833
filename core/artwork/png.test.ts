import { describe, expect, it } from 'vitest'
import { checkArtworkPng, pngSize } from './png.ts'

/** The first 33 bytes of a PNG: signature and IHDR of this size. */
export function pngHead(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33)
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const v = new DataView(b.buffer)
  v.setUint32(16, width)
  v.setUint32(20, height)
  b.set([8, 6, 0, 0, 0], 24)
  return b
}

describe('artwork PNG checks', () => {
  it('reads the size from the IHDR', () => {
    expect(pngSize(pngHead(3000, 2000))).toEqual({ width: 3000, height: 2000 })
    expect(checkArtworkPng(pngHead(3000, 3000))).toEqual({ width: 3000, height: 3000 })
  })
  it('refuses what is not a PNG, too large or empty', () => {
    expect(() => pngSize(Uint8Array.from([0xff, 0xd8, 0xff]))).toThrow(/PNG/)
    const jpegish = pngHead(10, 10)
    jpegish[1] = 0
    expect(() => pngSize(jpegish)).toThrow(/PNG/)
    expect(() => checkArtworkPng(pngHead(3001, 100))).toThrow(/3000×3000/)
    expect(() => checkArtworkPng(pngHead(0, 100))).toThrow(/0×100/)
  })
})
