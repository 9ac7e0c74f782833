// Deterministic randomness: one seeded generator for variety (arrangements, noise, artwork, test
// signals) and one keyed stream for secrets-derived layouts (the watermark). Neither is for secrets.

const FNV_BASIS = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** A seeded source: `next()` uniform in [0, 1), the same sequence for the same seed. */
export type Random = {
  next: () => number
  /** A whole number in lo..hi inclusive. */
  int: (lo: number, hi: number) => number
  pick: <T>(items: readonly T[]) => T
  between: (lo: number, hi: number) => number
}

/** The 32-bit FNV-1a hash of a string's UTF-16 code units, from the given offset basis. */
export function fnv1a(text: string, basis: number = FNV_BASIS): number {
  let h = basis >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, FNV_PRIME)
  }
  return h >>> 0
}

/**
 * A 32-bit hash of the parts (FNV-1a of their NUL-joined text, one code unit per code point), to
 * derive independent seeds from one seed.
 */
export function hashOf(...parts: (string | number)[]): number {
  return fnv1a(Array.from(parts.join('\u0000'), (ch) => ch[0]!).join(''))
}

/** Mulberry32: uniform numbers in [0, 1) from a 32-bit seed; small, fast, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A `Random` over `seededRandom(seed)`. */
export function randomFrom(seed: number): Random {
  const next = seededRandom(seed)
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    between: (lo, hi) => lo + next() * (hi - lo),
  }
}

/** FNV-1a salted per use, then a murmur-style finaliser: a well-mixed 32-bit hash. */
function mixedHash(text: string, salt: number): number {
  let h = fnv1a(text, FNV_BASIS ^ salt)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * An sfc32 stream of uniform 32-bit unsigned integers keyed by a secret and a purpose, so that one
 * key gives independent streams for independent uses.
 */
export function keyedStream(key: string, purpose: string): () => number {
  let a = mixedHash(key, mixedHash(purpose, 1))
  let b = mixedHash(key, mixedHash(purpose, 2))
  let c = mixedHash(key, mixedHash(purpose, 3))
  let d = 1
  const next = () => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 16; i++) next()
  return next
}
