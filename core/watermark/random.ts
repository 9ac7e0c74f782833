/** A 32-bit string hash (FNV-1a followed by a murmur-style finaliser), salted per use. */
export function hashString(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A seeded sfc32 generator answering uniform 32-bit unsigned integers; seeded from a key. */
export function randomFrom(key: string, purpose: string): () => number {
  let a = hashString(key, hashString(purpose, 1))
  let b = hashString(key, hashString(purpose, 2))
  let c = hashString(key, hashString(purpose, 3))
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
