/** A seeded pseudo-random source: `next()` in [0, 1), the same sequence for the same seed. */
export type Random = {
  next: () => number
  int: (lo: number, hi: number) => number // lo..hi inclusive
  pick: <T>(items: readonly T[]) => T
  between: (lo: number, hi: number) => number
}

/** A 32-bit FNV-1a hash of the parts, to derive independent streams from one seed. */
export function hashOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** Mulberry32: small, fast and good enough to vary arrangements; not for secrets. */
export function randomFrom(seed: number): Random {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    between: (lo, hi) => lo + next() * (hi - lo),
  }
}
