import type { Subtle } from '../../../core/lib/crypto.ts'
import { sha256Hex } from '../../../core/lib/bytes.ts'
import {
  verifySignedManifest,
  type Jwks,
  type ManifestCheck,
  type SignedManifest,
} from '../../../core/provenance/signature.ts'
import { jsonInit, request } from '../../request.ts'

/** The browser's WebCrypto in the shape core/provenance takes. */
export const browserSubtle = () => crypto.subtle as unknown as Subtle

/** A signed manifest and how it was checked: here in the browser, or by the server's fallback. */
export type ManifestResult = SignedManifest & {
  check: ManifestCheck
  checkedBy: 'browser' | 'server'
}

/** Whether this browser's WebCrypto can verify Ed25519 (Chromium 137+, Firefox 129+, Safari 17+). */
async function ed25519Supported(jwks: Jwks): Promise<boolean> {
  const key = jwks.keys[0]
  if (!key) return true // nothing to import: the check itself says the key is not published
  try {
    await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: key.x },
      'Ed25519',
      false,
      ['verify'],
    )
    return true
  } catch {
    return false
  }
}

/**
 * Fetches an export's signed manifest and the published keys, and verifies the signature with the
 * browser's WebCrypto; a browser without Ed25519 asks POST /api/manifests/verify instead.
 */
export async function fetchAndVerifyManifest(
  exportId: string,
  signal: AbortSignal,
): Promise<ManifestResult> {
  const [signed, jwks] = await Promise.all([
    request<SignedManifest>(`/api/manifests/${encodeURIComponent(exportId)}`, undefined, signal),
    request<Jwks>('/.well-known/jwks.json', undefined, signal),
  ])
  if (await ed25519Supported(jwks)) {
    const check = await verifySignedManifest(
      signed.manifest,
      signed.signature,
      jwks,
      browserSubtle(),
    )
    return { ...signed, check, checkedBy: 'browser' }
  }
  const check = await request<ManifestCheck>(
    '/api/manifests/verify',
    jsonInit({ manifest: signed.manifest, signature: signed.signature }),
    signal,
  )
  return { ...signed, check, checkedBy: 'server' }
}

/** SHA-256 of a file the user chose, computed here; the file never leaves for this. */
export async function fileSha256(file: Blob): Promise<string> {
  return sha256Hex(new Uint8Array(await file.arrayBuffer()), browserSubtle())
}
