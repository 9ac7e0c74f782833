import { utf8 } from '../../core/lib/bytes.ts'
import { base64urlOf, bytesOfBase64url } from '../../core/lib/crypto.ts'

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const
const keys = new Map<string, Promise<CryptoKey>>()

/**
 * The HMAC key for one purpose: HMAC(SESSION_SECRET, purpose), derived once per isolate, so a
 * ticket, a listener cookie and an address hash can never be swapped for one another.
 */
export function purposeKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`
  let key = keys.get(id)
  if (!key) {
    key = crypto.subtle
      .importKey('raw', utf8(secret), HMAC, false, ['sign'])
      .then((root) => crypto.subtle.sign('HMAC', root, utf8(purpose)))
      .then((raw) => crypto.subtle.importKey('raw', raw, HMAC, false, ['sign', 'verify']))
    keys.set(id, key)
  }
  return key
}

/** `text.signature`, both base64url. */
export async function seal(secret: string, purpose: string, text: string): Promise<string> {
  const body = utf8(text)
  const sig = await crypto.subtle.sign('HMAC', await purposeKey(secret, purpose), body)
  return `${base64urlOf(body)}.${base64urlOf(new Uint8Array(sig))}`
}

/** The text of a sealed value if its signature is ours (checked in constant time), else null. */
export async function unseal(
  secret: string,
  purpose: string,
  sealed: string,
): Promise<string | null> {
  if (sealed.length > 2048) return null
  const [body64, sig64, extra] = sealed.split('.')
  if (extra !== undefined || !body64 || !sig64) return null
  const body = bytesOfBase64url(body64)
  const sig = bytesOfBase64url(sig64)
  if (!body || !sig || sig.length !== 32) return null
  const ok = await crypto.subtle.verify('HMAC', await purposeKey(secret, purpose), sig, body)
  return ok ? new TextDecoder().decode(body) : null
}

/** A keyed hash of a value that must not be stored as is (the client's address). */
export async function keyedHash(secret: string, purpose: string, value: string): Promise<string> {
  const sig = await crypto.subtle.sign('HMAC', await purposeKey(secret, purpose), utf8(value))
  return base64urlOf(new Uint8Array(sig, 0, 16))
}
