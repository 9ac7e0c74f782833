import { beforeAll, describe, expect, it } from 'vitest'
import { utf8 } from '../lib/bytes.ts'
import type { KeyLike, Subtle } from '../lib/crypto.ts'
import { base64urlOf, bytesOfBase64url } from '../lib/crypto.ts'
import { manifestFrom, type ExportManifest } from './manifest.ts'
import {
  fileMatchOf,
  jwkThumbprint,
  signManifestWith,
  verifySignedManifest,
  type Jwks,
  type ManifestSignature,
  type PublicJwk,
} from './signature.ts'
import { claim } from './testing/claim.ts'

/** The platform's WebCrypto, with the two calls that make a test key (core has no DOM types). */
const webcrypto = (
  globalThis as unknown as {
    crypto: {
      subtle: Subtle & {
        generateKey(a: { name: 'Ed25519' }, e: boolean, u: string[]): Promise<KeyPair>
        exportKey(f: 'jwk', k: KeyLike): Promise<{ x?: string }>
      }
    }
  }
).crypto.subtle
type KeyPair = { privateKey: KeyLike; publicKey: KeyLike }
const subtle: Subtle = webcrypto

async function keyPair() {
  const pair = await webcrypto.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
  const { x } = await webcrypto.exportKey('jwk', pair.publicKey)
  const jwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: x! }
  const kid = await jwkThumbprint(jwk, subtle)
  return { privateKey: pair.privateKey, jwks: { keys: [{ ...jwk, kid }] } as Jwks, kid }
}

let key: Awaited<ReturnType<typeof keyPair>>
let manifest: ExportManifest
let signature: ManifestSignature

beforeAll(async () => {
  key = await keyPair()
  manifest = {
    ...(await manifestFrom(claim)),
    outputs: {
      wav: { key: 'exports/a.wav', sha256: 'a'.repeat(64), bytes: 100 },
      mp3: { key: 'exports/a.mp3', sha256: 'b'.repeat(64), bytes: 50 },
    },
  }
  signature = await signManifestWith(manifest, key.privateKey, key.kid, subtle)
})

describe('base64url', () => {
  it('encodes RFC 4648’s vectors unpadded, with the URL alphabet, and round-trips', () => {
    const vectors = ['', 'Zg', 'Zm8', 'Zm9v', 'Zm9vYg', 'Zm9vYmE', 'Zm9vYmFy']
    vectors.forEach((text, n) => {
      const bytes = utf8('foobar'.slice(0, n))
      expect(base64urlOf(bytes)).toBe(text)
      expect(bytesOfBase64url(text)).toEqual(bytes)
    })
    expect(base64urlOf(Uint8Array.from([0xfb, 0xff]))).toBe('-_8')
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255)
      expect(bytesOfBase64url(base64urlOf(bytes))).toEqual(bytes)
    }
    expect(bytesOfBase64url('a+b/')).toBeNull()
  })
})

describe('jwkThumbprint', () => {
  it('is RFC 8037 appendix A.3’s value for its example key', async () => {
    const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'
    expect(await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, subtle)).toBe(
      'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
    )
  })
})

describe('verifySignedManifest', () => {
  it('verifies a manifest signed with the published key', async () => {
    expect(signature).toMatchObject({ alg: 'EdDSA', kid: key.kid })
    expect(bytesOfBase64url(signature.value)).toHaveLength(64)
    expect(await verifySignedManifest(manifest, signature, key.jwks, subtle)).toEqual({
      verified: true,
      kid: key.kid,
    })
  })

  it('refuses a manifest changed in any field, a nested one, or an output hash', async () => {
    const changes: ((m: ExportManifest) => void)[] = [
      (m) => (m.remix.title = 'Another'),
      (m) => (m.licence.version += 1),
      (m) => (m.aiActions[0]!.parameters['seed'] = 8),
      (m) => (m.digitalSourceType = 'http://cv.iptc.org/newscodes/digitalsourcetype/humanEdits'),
      (m) => (m.outputs!.mp3!.sha256 = 'c'.repeat(64)),
      (m) => (m.credits = []),
    ]
    for (const change of changes) {
      const tampered = JSON.parse(JSON.stringify(manifest)) as ExportManifest
      change(tampered)
      const check = await verifySignedManifest(tampered, signature, key.jwks, subtle)
      expect(check).toEqual({ verified: false, reason: expect.stringMatching(/signature/) })
    }
  })

  it('refuses a changed signature, another key, or a key that is not published', async () => {
    const bytes = bytesOfBase64url(signature.value)!
    bytes[10]! ^= 1
    const flipped = { ...signature, value: base64urlOf(bytes) }
    expect((await verifySignedManifest(manifest, flipped, key.jwks, subtle)).verified).toBe(false)
    expect(
      (await verifySignedManifest(manifest, { ...signature, value: 'abc' }, key.jwks, subtle))
        .verified,
    ).toBe(false)

    const other = await keyPair()
    const byOther = await signManifestWith(manifest, other.privateKey, other.kid, subtle)
    expect(await verifySignedManifest(manifest, byOther, key.jwks, subtle)).toMatchObject({
      verified: false,
      reason: expect.stringMatching(/does not publish/),
    })
    // The other key's signature under our kid, or our kid naming the other key's x.
    const forged = { ...byOther, kid: key.kid }
    expect((await verifySignedManifest(manifest, forged, key.jwks, subtle)).verified).toBe(false)
    const swapped: Jwks = { keys: [{ ...other.jwks.keys[0]!, kid: key.kid }] }
    expect(await verifySignedManifest(manifest, signature, swapped, subtle)).toMatchObject({
      verified: false,
      reason: expect.stringMatching(/key id/),
    })
  })

  it('refuses a signed manifest whose claim hash is not its claim’s', async () => {
    const bad = { ...manifest, claimSha256: '0'.repeat(64) }
    const signed = await signManifestWith(bad, key.privateKey, key.kid, subtle)
    expect(await verifySignedManifest(bad, signed, key.jwks, subtle)).toMatchObject({
      verified: false,
      reason: expect.stringMatching(/claim hash/),
    })
  })
})

describe('fileMatchOf', () => {
  it('tells this exact file from a transcoded copy', () => {
    expect(fileMatchOf(manifest, 'b'.repeat(64))).toEqual({ kind: 'exact', format: 'mp3-192' })
    expect(fileMatchOf(manifest, 'd'.repeat(64))).toEqual({ kind: 'transcoded' })
  })
})
