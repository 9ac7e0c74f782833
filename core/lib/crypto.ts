// The small part of WebCrypto that core needs. Core has no DOM or Workers types, so callers
// inject their `crypto.subtle` (the worker's, the browser's or Node's), which fits this shape.

/** An opaque WebCrypto key. */
export type KeyLike = object

/** The `SubtleCrypto` methods used to hash, sign and verify manifests. */
export interface Subtle {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>
  importKey(
    format: 'jwk',
    keyData: { kty: string; crv: string; x: string; d?: string },
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ('sign' | 'verify')[],
  ): Promise<KeyLike>
  sign(algorithm: 'Ed25519', key: KeyLike, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>
  verify(
    algorithm: 'Ed25519',
    key: KeyLike,
    signature: Uint8Array<ArrayBuffer>,
    data: Uint8Array<ArrayBuffer>,
  ): Promise<boolean>
}

/** The platform's WebCrypto (every runtime Stemfair runs in has `globalThis.crypto.subtle`). */
export const platformSubtle = (): Subtle =>
  (globalThis as unknown as { crypto: { subtle: Subtle } }).crypto.subtle

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Unpadded base64url (RFC 4648 §5) of bytes. */
export function base64urlOf(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const left = bytes.length - i
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!
    if (left > 1) out += ALPHABET[(n >> 6) & 63]!
    if (left > 2) out += ALPHABET[n & 63]!
  }
  return out
}

/** Bytes of unpadded base64url text; null if it is not base64url. */
export function bytesOfBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let bits = 0
  let acc = 0
  let n = 0
  for (const ch of text) {
    acc = (acc << 6) | ALPHABET.indexOf(ch)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[n++] = (acc >> bits) & 0xff
    }
  }
  return out
}
