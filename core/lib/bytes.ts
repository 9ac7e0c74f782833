import { platformSubtle, type Subtle } from './crypto.ts'

/** Joins byte arrays (or plain byte lists) into one Uint8Array. */
export function concatBytes(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length * 3)
  let n = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c < 0x80) out[n++] = c
    else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6)
      out[n++] = 0x80 | (c & 63)
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12)
      out[n++] = 0x80 | ((c >> 6) & 63)
      out[n++] = 0x80 | (c & 63)
    } else {
      out[n++] = 0xf0 | (c >> 18)
      out[n++] = 0x80 | ((c >> 12) & 63)
      out[n++] = 0x80 | ((c >> 6) & 63)
      out[n++] = 0x80 | (c & 63)
    }
  }
  return out.slice(0, n)
}

/** A string from UTF-8 bytes; malformed sequences become U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!
    if (b < 0x80) {
      out += String.fromCharCode(b)
      i++
      continue
    }
    const need =
      b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : 0
    let cp = b & (0x3f >> need)
    let k = 1
    for (; k <= need && (bytes[i + k]! & 0xc0) === 0x80; k++) cp = (cp << 6) | (bytes[i + k]! & 63)
    out += need > 0 && k > need && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd'
    i += k
  }
  return out
}

/** Lowercase hex of bytes. */
export function hexOf(bytes: Uint8Array): string {
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return hex
}

/** The bytes of an even-length hex string (either case), or null when it is not one. */
export function bytesOfHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return bytes
}

/** Lowercase hex SHA-256 of bytes or of a string's UTF-8, with the given (or the platform's) WebCrypto. */
export async function sha256Hex(
  data: Uint8Array | string,
  subtle: Subtle = platformSubtle(),
): Promise<string> {
  // A view over a SharedArrayBuffer never reaches here; the cast only narrows the type.
  const bytes = (typeof data === 'string' ? utf8(data) : data) as Uint8Array<ArrayBuffer>
  return hexOf(new Uint8Array(await subtle.digest('SHA-256', bytes)))
}
