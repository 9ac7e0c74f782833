import type { ExportManifest } from '../../core/provenance/manifest.ts'
import {
  jwkThumbprint,
  signManifestWith,
  type Jwks,
  type ManifestSignature,
  type PublicJwk,
} from '../../core/provenance/signature.ts'
import type { Bindings } from '../env.ts'

/** The manifest-signing key: private key, its public JWK and its RFC 7638 thumbprint (the kid). */
export type SigningKey = { privateKey: CryptoKey; publicJwk: PublicJwk; kid: string }

let cached: { secret: string; key: Promise<SigningKey> } | null = null

async function importSigningKey(secret: string): Promise<SigningKey> {
  let jwk: JsonWebKey
  try {
    jwk = JSON.parse(secret) as JsonWebKey
  } catch {
    throw new Error('SIGNING_KEY is not a JSON Web Key')
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x || !jwk.d)
    throw new Error('SIGNING_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, x, d)')
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
    { name: 'Ed25519' },
    false,
    ['sign'],
  )
  const kid = await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, crypto.subtle)
  return {
    privateKey,
    kid,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' },
  }
}

/** The signing key from the `SIGNING_KEY` secret (a private Ed25519 JWK), imported once per isolate. */
export function signingKeyOf(env: Pick<Bindings, 'SIGNING_KEY'>): Promise<SigningKey> {
  if (!env.SIGNING_KEY) throw new Error('SIGNING_KEY is not set: manifests cannot be signed')
  if (cached?.secret !== env.SIGNING_KEY) {
    const key = importSigningKey(env.SIGNING_KEY)
    cached = { secret: env.SIGNING_KEY, key }
    key.catch(() => (cached = null))
  }
  return cached.key
}

/** The key set published at /.well-known/jwks.json. */
export async function jwksOf(env: Pick<Bindings, 'SIGNING_KEY'>): Promise<Jwks> {
  return { keys: [(await signingKeyOf(env)).publicJwk] }
}

/** Signs a manifest, outputs included; Ed25519 is deterministic, so signing again gives the same value. */
export async function signManifest(
  env: Pick<Bindings, 'SIGNING_KEY'>,
  manifest: ExportManifest,
): Promise<ManifestSignature> {
  const { privateKey, kid } = await signingKeyOf(env)
  return signManifestWith(manifest, privateKey, kid, crypto.subtle)
}
