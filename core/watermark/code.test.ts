import { describe, expect, it } from 'vitest'
import { bitsFromHex, CODED_BITS, decodeSoft, encodePayload, hexFromBits } from './code.ts'
import { gaussianNoise, lcg } from './testing/audio.ts'

const soften = (coded: Uint8Array) => Float64Array.from(coded, (b) => (b ? -1 : 1))

describe('payload code', () => {
  it('maps hex to bits and back', () => {
    expect(hexFromBits(bitsFromHex('0123456789abcdef'))).toBe('0123456789abcdef')
    expect(Array.from(bitsFromHex('8000000000000001')).join('')).toBe('1' + '0'.repeat(62) + '1')
  })

  it('decodes clean soft bits, and corrects scattered hard errors', () => {
    const bits = bitsFromHex('c0ffee0123456789')
    const soft = soften(encodePayload(bits))
    expect(soft).toHaveLength(CODED_BITS)
    expect(hexFromBits(decodeSoft(soft).payload!)).toBe('c0ffee0123456789')
    for (let i = 0; i < CODED_BITS; i += 13) soft[i] = -soft[i]!
    const decoded = decodeSoft(soft)
    expect(hexFromBits(decoded.payload!)).toBe('c0ffee0123456789')
    expect(decoded.bitErrors).toBe(Math.ceil(CODED_BITS / 13))
  })

  it('decodes through Gaussian noise at a 15 % raw error rate nearly always', () => {
    const random = lcg(11)
    let ok = 0
    for (let t = 0; t < 50; t++) {
      const hex = Array.from({ length: 16 }, () => Math.floor(random() * 16).toString(16)).join('')
      const noise = gaussianNoise(CODED_BITS, 1, t + 1)
      const soft = soften(encodePayload(bitsFromHex(hex))).map((v, i) => v + noise[i]!)
      if (hexFromBits(decodeSoft(soft).payload ?? new Uint8Array(64)) === hex) ok++
    }
    expect(ok).toBeGreaterThanOrEqual(45)
  })

  it('rejects noise: the CRC fails on random soft bits', () => {
    let accepted = 0
    for (let t = 0; t < 300; t++)
      if (decodeSoft(Float64Array.from(gaussianNoise(CODED_BITS, 1, 1000 + t))).payload) accepted++
    expect(accepted).toBe(0)
  })
})
