import { Hono } from 'hono'
import { z } from 'zod'
import { DomainError } from '../../core/errors.ts'
import { manifestUrlOf, type ExportManifest } from '../../core/provenance/manifest.ts'
import {
  fileMatchOf,
  verifySignedManifest,
  type SignedManifest,
} from '../../core/provenance/signature.ts'
import type { AppEnv } from '../env.ts'
import { findExportRow, statusNowOf } from '../db/exports.ts'
import { manifestSignatureOf } from '../db/provenance.ts'
import { findRemixRow } from '../db/remixes.ts'
import { jwksOf } from '../provenance/keys.ts'
import { valid } from '../validate.ts'

const Params = z.object({ exportId: z.string().regex(/^[0-9a-f]{16}$/, 'an export id') })

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex')

/** A signed manifest to check; the manifest is checked by its signature, not by a schema. */
const VerifyBody = z.object({
  manifest: z.record(z.string(), z.unknown()),
  signature: z.object({
    alg: z.literal('EdDSA'),
    kid: z.string().min(1).max(100),
    value: z.string().min(1).max(200),
  }),
  sha256: Sha256.optional(),
})

/**
 * Signed export manifests. `GET /:exportId` serves a manifest with its signature (also for a remix
 * taken down since: what was published stays provable, with its status); `POST /verify` checks a
 * signed manifest server-side for clients without Ed25519 in WebCrypto, and optionally which
 * output a file's SHA-256 is.
 */
export const manifests = new Hono<AppEnv>()
  .get('/:exportId', valid('param', Params), async (c) => {
    const { exportId } = c.req.valid('param')
    const row = await findExportRow(c.env.DB, exportId)
    const signature = row?.manifest ? await manifestSignatureOf(c.env.DB, exportId) : null
    if (!row?.manifest || !signature)
      throw new DomainError(
        'not_found',
        row && row.status !== 'rejected'
          ? 'This export is still being made; its manifest is signed when it is ready.'
          : 'No such export manifest.',
      )
    const remix = await findRemixRow(c.env.DB, row.remix_id)
    const body: SignedManifest = {
      manifest: JSON.parse(row.manifest) as ExportManifest,
      signature,
      url: manifestUrlOf(new URL(c.req.url).origin, exportId),
      status: statusNowOf(row, remix?.status),
    }
    c.header('Cache-Control', 'public, max-age=60')
    return c.json(body)
  })
  .post('/verify', valid('json', VerifyBody), async (c) => {
    const { manifest, signature, sha256 } = c.req.valid('json')
    const signed = manifest as unknown as ExportManifest
    const check = await verifySignedManifest(signed, signature, await jwksOf(c.env), crypto.subtle)
    const file =
      sha256 && check.verified && signed.outputs && typeof signed.outputs === 'object'
        ? fileMatchOf(signed, sha256)
        : null
    return c.json({ ...check, ...(file ? { file } : {}) })
  })
