import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { id3Text, readId3 } from '../../core/audio/id3.ts'
import { chunkData, readInfo, readWavInfo } from '../../core/audio/wav.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { Subtle } from '../../core/lib/crypto.ts'
import { base64urlOf, bytesOfBase64url } from '../../core/lib/crypto.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import {
  jwkThumbprint,
  signManifestWith,
  verifySignedManifest,
  type Jwks,
  type SignedManifest,
} from '../../core/provenance/signature.ts'
import { runExportJob } from '../../worker/export/index.ts'
import { FAN, manifest as demo, seed, seedInput, seedWithMasters } from './fixture.ts'
import { call, cookieOf, json, requestExport } from './http.ts'
import { shortLicence } from '../support/licence.ts'
import { remixRecipe } from '../support/recipe.ts'

const SLUG = 'signed-moons' // the demo campaign with exports allowed from half a second
const subtle = crypto.subtle as unknown as Subtle
const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/'

const TRANSCRIBE = {
  id: 'ai1',
  tool: '@spotify/basic-pitch',
  version: '1.0.1',
  provider: 'local',
  parameters: { stem: `${SLUG}-bass`, backend: 'wasm', seed: 42 },
  appliedAt: '2026-11-01T10:00:00.000Z',
}

let fan: string
let signed: SignedManifest
let jwks: Jwks
let exportId: string
let remix: RemixView

async function waitReady(id: string): Promise<ExportView> {
  let view: ExportView | undefined
  await vi.waitFor(
    async () => {
      const res = await call(`/api/exports/${id}`, { headers: { Cookie: fan } })
      view = ((await res.json()) as { export: ExportView }).export
      expect(['ready', 'rejected']).toContain(view.status)
    },
    { timeout: 20_000, interval: 100 },
  )
  return view!
}

const objectBytes = async (key: string) =>
  new Uint8Array(await (await env.MEDIA.get(key))!.arrayBuffer())

beforeAll(async () => {
  await seed()
  const licence = shortLicence(demo.licence, { minSeconds: 0.5 })
  await seedWithMasters({ ...(await seedInput()), manifest: { ...demo, slug: SLUG, licence } })
  fan = cookieOf(
    await call('/api/auth/login', {
      method: 'POST',
      ...json({ email: FAN.email, password: FAN.password }),
    }),
  )
  const recipe = remixRecipe({ campaign: SLUG, aiActions: [TRANSCRIBE] })
  const created = await call('/api/remixes', {
    method: 'POST',
    ...json({ campaign: SLUG, title: 'Signed drive', recipe }, fan),
  })
  expect(created.status).toBe(201)
  remix = ((await created.json()) as { remix: RemixView }).remix
  const res = await requestExport(remix.id, 1, fan)
  expect(res.status).toBe(202)
  exportId = ((await res.json()) as { export: ExportView }).export.id
  expect((await waitReady(exportId)).status).toBe('ready')

  const got = await call(`/api/manifests/${exportId}`)
  expect(got.status).toBe(200)
  signed = (await got.json()) as SignedManifest
  const keys = await call('/.well-known/jwks.json')
  expect(keys.status).toBe(200)
  expect(keys.headers.get('Content-Type')).toBe('application/jwk-set+json')
  jwks = (await keys.json()) as Jwks
})

describe('the export job signs the manifest', () => {
  it('serves the manifest with its Ed25519 signature and URL', async () => {
    const url = `http://x/api/manifests/${exportId}` // the origin that served the requests
    expect(signed).toMatchObject({
      url,
      status: 'ready',
      signature: { alg: 'EdDSA', kid: jwks.keys[0]!.kid },
      manifest: {
        exportId,
        manifestUrl: url,
        remix: { id: remix.id, version: 1, title: 'Signed drive', fan: FAN.displayName },
        licence: { uid: demo.licence.uid, version: demo.licence.version },
        credits: demo.credits,
        aiActions: [TRANSCRIBE],
        digitalSourceType: `${IPTC}compositeWithTrainedAlgorithmicMedia`,
        trainingMining: 'notAllowed',
      },
    })
    const row = await env.DB.prepare('SELECT * FROM exports WHERE id = ?1')
      .bind(exportId)
      .first<{ manifest: string; manifest_signature: string; recipe_hash: string }>()
    expect(JSON.parse(row!.manifest)).toEqual(signed.manifest)
    expect(JSON.parse(row!.manifest_signature)).toEqual(signed.signature)
    expect(signed.manifest.remix.recipeSha256).toBe(row!.recipe_hash)
    // The outputs' hashes are those of the stored files.
    for (const format of ['wav-16', 'mp3-192'] as const) {
      const output = signed.manifest.outputs![format]!
      expect(await sha256Hex(await objectBytes(output.key))).toBe(output.sha256)
    }
  })

  it('publishes one Ed25519 key whose kid is its RFC 7638 thumbprint, and no private part', async () => {
    expect(jwks.keys).toHaveLength(1)
    const [key] = jwks.keys
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x'])
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })
    expect(await jwkThumbprint(key!, subtle)).toBe(key!.kid)
  })

  it('verifies with WebCrypto against the JWKS, and by POST /api/manifests/verify', async () => {
    expect(await verifySignedManifest(signed.manifest, signed.signature, jwks, subtle)).toEqual({
      verified: true,
      kid: jwks.keys[0]!.kid,
    })
    const mp3 = signed.manifest.outputs!['mp3-192']!.sha256
    const res = await call('/api/manifests/verify', {
      method: 'POST',
      ...json({ manifest: signed.manifest, signature: signed.signature, sha256: mp3 }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      verified: true,
      kid: jwks.keys[0]!.kid,
      file: { kind: 'exact', format: 'mp3-192' },
    })
  })

  it('does not verify a tampered field, a tampered signature or another key’s signature', async () => {
    const tamper: ((m: ExportManifest) => void)[] = [
      (m) => (m.remix.fan = 'Someone else'),
      (m) => (m.aiActions = []),
      (m) => (m.digitalSourceType = `${IPTC}humanEdits`),
      (m) => (m.licence.version += 1),
      (m) => (m.outputs!['wav-16']!.sha256 = '0'.repeat(64)),
      (m) => (m.credits[0]!.name = 'Not the artist'),
    ]
    for (const change of tamper) {
      const m = structuredClone(signed.manifest)
      change(m)
      expect((await verifySignedManifest(m, signed.signature, jwks, subtle)).verified).toBe(false)
      const res = await call('/api/manifests/verify', {
        method: 'POST',
        ...json({ manifest: m, signature: signed.signature }),
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ verified: false })
    }
    const bytes = bytesOfBase64url(signed.signature.value)!
    bytes[0]! ^= 0x80
    const flipped = { ...signed.signature, value: base64urlOf(bytes) }
    expect((await verifySignedManifest(signed.manifest, flipped, jwks, subtle)).verified).toBe(
      false,
    )

    const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const forged = await signManifestWith(
      signed.manifest,
      other.privateKey,
      signed.signature.kid,
      subtle,
    )
    expect((await verifySignedManifest(signed.manifest, forged, jwks, subtle)).verified).toBe(false)
    const res = await call('/api/manifests/verify', {
      method: 'POST',
      ...json({ manifest: signed.manifest, signature: forged }),
    })
    expect(await res.json()).toMatchObject({ verified: false })
  })

  it('the files’ tags carry the manifest URL and the claim hash', async () => {
    const m = signed.manifest
    const mp3 = readId3(await objectBytes(m.outputs!['mp3-192']!.key))!
    expect(id3Text(mp3, 'TXXX:STEMFAIR_MANIFEST_URL')).toBe(signed.url)
    expect(id3Text(mp3, 'TXXX:STEMFAIR_MANIFEST_SHA256')).toBe(m.claimSha256)
    expect(id3Text(mp3, 'TXXX:DIGITAL_SOURCE_TYPE')).toBe(m.digitalSourceType)
    const wav = await objectBytes(m.outputs!['wav-16']!.key)
    const info = readWavInfo(wav)
    expect(readInfo(wav, info).ICMT).toContain(`Signed manifest: ${signed.url}`)
    expect(readInfo(wav, info).ICMT).toContain(m.claimSha256)
    const tag = readId3(chunkData(wav, info, 'id3 ')!)!
    expect(id3Text(tag, 'TXXX:STEMFAIR_MANIFEST_URL')).toBe(signed.url)
  })
})

describe('signing is part of the idempotent job', () => {
  it('a job that died after writing the outputs signs on its retry, the same signature', async () => {
    // As if the isolate died between saving the outputs and signing.
    await env.DB.prepare(
      "UPDATE exports SET status = 'processing', manifest_signature = NULL WHERE id = ?1",
    )
      .bind(exportId)
      .run()
    expect((await call(`/api/manifests/${exportId}`)).status).toBe(404)
    await runExportJob(env, exportId)
    const again = (await (await call(`/api/manifests/${exportId}`)).json()) as SignedManifest
    expect(again.status).toBe('ready')
    expect(again.signature).toEqual(signed.signature) // Ed25519 is deterministic
    expect(again.manifest).toEqual(signed.manifest)
    await runExportJob(env, exportId) // a replay of a ready export changes nothing
    expect((await (await call(`/api/manifests/${exportId}`)).json()) as SignedManifest).toEqual(
      again,
    )
  })
})

describe('GET /api/manifests/:exportId refuses', () => {
  it('404 for an unknown export, 400 for a malformed id; bad verify bodies are 400', async () => {
    const unknown = await call('/api/manifests/0000000000000000')
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found')
    expect((await call('/api/manifests/nope')).status).toBe(400)
    for (const body of [{}, { manifest: 1, signature: signed.signature }, { manifest: {} }]) {
      const res = await call('/api/manifests/verify', { method: 'POST', ...json(body) })
      expect(res.status).toBe(400)
    }
    const text = await call('/api/manifests/verify', { method: 'POST', body: 'x' })
    expect(text.status).toBe(400)
  })

  it('still serves a taken-down remix’s manifest, with its status', async () => {
    await env.DB.prepare("UPDATE remixes SET status = 'taken_down' WHERE id = ?1")
      .bind(remix.id)
      .run()
    const res = await call(`/api/manifests/${exportId}`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as SignedManifest
    expect(body.status).toBe('taken_down')
    expect(body.signature).toEqual(signed.signature)
  })
})
