// PBKDF2-SHA256 through WebCrypto. 100 000 iterations is the most workerd allows.
const ITERATIONS = 100_000
const encoder = new TextEncoder()

function base64From(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function bytesFrom(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  )
  return new Uint8Array(bits)
}

/** Hashes a password as `pbkdf2-sha256$iterations$salt$hash` (base64 parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(password, salt, ITERATIONS)
  return `pbkdf2-sha256$${ITERATIONS}$${base64From(salt)}$${base64From(hash)}`
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, expected] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !expected) return false
  const actual = await derive(password, bytesFrom(salt), Number(iterations))
  const wanted = bytesFrom(expected)
  if (actual.length !== wanted.length) return false
  let diff = 0
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ wanted[i]!
  return diff === 0
}

/** A hash of a random password: login against it costs the same time as a real check. */
export const DUMMY_HASH =
  'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
