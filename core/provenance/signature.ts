// Ed25519 signatures over a manifest's canonical JSON, checked the same way by the worker's tests
// and in the browser: every function takes the WebCrypto `Subtle` to use.
import { canonicalJson, checkManifest, claimOf, type ExportManifest } from './manifest.ts'
import { sha256Hex, utf8 } from '../lib/bytes.ts'
import { base64urlOf, bytesOfBase64url, type KeyLike, type Subtle } from '../lib/crypto.ts'
import type { OutputFormat } from '../api/formats.ts'

export { base64urlOf, bytesOfBase64url, type Subtle } from '../lib/crypto.ts'

/** A public Ed25519 key as a JWK (RFC 8037), as published at /.well-known/jwks.json. */
export type PublicJwk = {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid?: string
  alg?: 'EdDSA'
  use?: 'sig'
}

/** A JSON Web Key Set. */
export type Jwks = { keys: PublicJwk[] }

/** A detached signature of a manifest's canonical JSON. */
export type ManifestSignature = { alg: 'EdDSA'; kid: string; value: string }

/** What GET /api/manifests/:exportId answers. */
export type SignedManifest = {
  manifest: ExportManifest
  signature: ManifestSignature
  url: string
  /** The export's status now (`taken_down` once the artist took the remix down). */
  status: string
}

/** RFC 7638 thumbprint of an Ed25519 key: base64url SHA-256 of {"crv","kty","x"} in that order. */
export async function jwkThumbprint(jwk: Pick<PublicJwk, 'crv' | 'kty' | 'x'>, subtle: Subtle) {
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })
  const digest = await subtle.digest('SHA-256', utf8(members))
  return base64urlOf(new Uint8Array(digest))
}

/** The bytes that are signed: the manifest's canonical JSON as UTF-8. */
export const signedBytesOf = (manifest: ExportManifest) => utf8(canonicalJson(manifest))

/** Signs a manifest (outputs included) with an Ed25519 private key. */
export async function signManifestWith(
  manifest: ExportManifest,
  privateKey: KeyLike,
  kid: string,
  subtle: Subtle,
): Promise<ManifestSignature> {
  const signature = await subtle.sign('Ed25519', privateKey, signedBytesOf(manifest))
  return { alg: 'EdDSA', kid, value: base64urlOf(new Uint8Array(signature)) }
}

/** The outcome of checking a signed manifest. */
export type ManifestCheck = { verified: true; kid: string } | { verified: false; reason: string }

/**
 * Checks a signed manifest against a key set: the key named by `kid` is published and its
 * thumbprint is that kid, the Ed25519 signature holds over the canonical JSON, and the claim's
 * hash (the one in the files' tags) is the hash of the claim.
 */
export async function verifySignedManifest(
  manifest: ExportManifest,
  signature: ManifestSignature,
  jwks: Jwks,
  subtle: Subtle,
): Promise<ManifestCheck> {
  if (signature?.alg !== 'EdDSA')
    return { verified: false, reason: 'The signature is not an EdDSA signature.' }
  const jwk = jwks.keys.find((k) => k.kid === signature.kid)
  if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519')
    return {
      verified: false,
      reason: 'The manifest is signed with a key Stemfair does not publish.',
    }
  if ((await jwkThumbprint(jwk, subtle)) !== signature.kid)
    return { verified: false, reason: 'The published key does not match its key id.' }
  const value = bytesOfBase64url(signature.value)
  if (!value || value.length !== 64)
    return { verified: false, reason: 'The signature is malformed.' }
  let key: KeyLike
  try {
    key = await subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
      { name: 'Ed25519' },
      false,
      ['verify'],
    )
  } catch {
    return { verified: false, reason: 'The published key is malformed.' }
  }
  const bytes = signedBytesOf(manifest)
  if (!(await subtle.verify('Ed25519', key, value, bytes)))
    return { verified: false, reason: 'The signature does not match the manifest.' }
  if ((await sha256Hex(canonicalJson(claimOf(manifest)), subtle)) !== manifest.claimSha256)
    return { verified: false, reason: "The manifest's claim hash does not match its claim." }
  return { verified: true, kid: signature.kid }
}

/** What a file is to a manifest that its watermark (or its tags) pointed to. */
export type FileMatch = { kind: 'exact'; format: OutputFormat } | { kind: 'transcoded' }

/** Whether a file is one of the manifest's outputs byte for byte, or another copy (transcoded, re-tagged). */
export function fileMatchOf(
  manifest: Pick<ExportManifest, 'outputs'>,
  fileSha256: string,
): FileMatch {
  const hit = checkManifest(manifest, fileSha256)
  return hit ? { kind: 'exact', format: hit.format } : { kind: 'transcoded' }
}
