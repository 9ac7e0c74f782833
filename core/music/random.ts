/** A seeded pseudo-random source: the same seed gives the same sequence (mulberry32). */
export type Random = { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T }

/** A PRNG from a 32-bit seed; `next()` is uniform in [0, 1). */
export function randomFrom(seed: number): Random {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { next, int, pick: (items) => items[int(items.length)]! }
}
