import { describe, expect, it } from 'vitest'
import { fnv1a, hashOf, keyedStream, randomFrom, seededRandom } from './random.ts'

describe('seededRandom', () => {
  it('is mulberry32: the published first outputs for seed 1', () => {
    const next = seededRandom(1)
    expect([next(), next(), next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ])
  })

  it('repeats for a seed, differs across seeds, stays in [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
  })
})

describe('randomFrom', () => {
  it('draws from the seeded sequence: int inclusive, pick, between', () => {
    const raw = seededRandom(7)
    const r = randomFrom(7)
    const u = raw()
    expect(r.next()).toBe(u)
    const v = raw()
    expect(r.int(3, 5)).toBe(3 + Math.floor(v * 3))
    expect(r.pick(['a', 'b', 'c', 'd'])).toBe(['a', 'b', 'c', 'd'][Math.floor(raw() * 4)])
    const w = raw()
    expect(r.between(-2, 2)).toBe(-2 + w * 4)
    const ints = Array.from({ length: 500 }, () => r.int(0, 5))
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]))
  })
})

describe('fnv1a and hashOf', () => {
  it('matches the FNV-1a 32-bit test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
    expect(fnv1a('foobar')).toBe(0xbf9cf968)
  })

  it('hashes parts joined by NUL, so part boundaries matter', () => {
    expect(hashOf('ab', 'c')).toBe(fnv1a('ab\u0000c'))
    expect(hashOf('ab', 'c')).not.toBe(hashOf('a', 'bc'))
  })
})

describe('keyedStream', () => {
  it('is a fixed sequence for a key and purpose (the watermark layout depends on it)', () => {
    const next = keyedStream('stemfair', 'layout')
    expect([next(), next(), next()]).toEqual([2070966192, 625660462, 2391683798])
  })

  it('gives independent streams per key and per purpose', () => {
    const take = (k: string, p: string) => {
      const next = keyedStream(k, p)
      return Array.from({ length: 8 }, () => next())
    }
    expect(take('k', 'p')).toEqual(take('k', 'p'))
    expect(take('k', 'p')).not.toEqual(take('k', 'q'))
    expect(take('k', 'p')).not.toEqual(take('j', 'p'))
    expect(take('k', 'p').every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true)
  })
})
