import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { readMasterInfo, type MasterInfo } from '../../core/audio/container.ts'
import { StemRole } from '../../core/campaign/manifest.ts'
import { DomainError } from '../../core/errors.ts'
import { requireRole } from '../auth/session.ts'
import { ownedOrAdmin } from '../auth/ownership.ts'
import type { AppEnv, Bindings, SignedInEnv } from '../env.ts'
import { authorStemView } from '../views/author-stems.ts'
import {
  completeReferenceUpload,
  completeStemUpload,
  deleteProcessingStem,
  deleteUpload,
  findUploadCampaign,
  findUploadRow,
  listUploadParts,
  recordUploadPart,
  uploadViewFrom,
  type UploadRow,
} from '../db/uploads.ts'
import { r2Source } from '../storage/r2-source.ts'
import { valid } from '../validate.ts'

const PartParams = z.object({
  uploadId: z.string().min(1).max(64),
  n: z.coerce.number().int().min(1).max(10000),
})

async function uploadFor(c: Context<SignedInEnv>): Promise<UploadRow> {
  const id = c.req.param('uploadId') ?? ''
  return ownedOrAdmin(await findUploadRow(c.env.DB, id), c.var.user, {
    notFound: `No upload with id “${id}”.`,
    forbidden: 'Only the campaign’s artist can see or change this upload.',
  })
}

async function viewOf(db: D1Database, row: UploadRow) {
  const parts = await listUploadParts(db, row.id)
  return uploadViewFrom(
    row,
    parts.map((p) => p.part_number),
  )
}

/** A stem's starting name and role, guessed from its file name; the artist edits both. */
export function stemNameAndRole(fileName: string): { name: string; role: StemRole } {
  const name =
    fileName
      .replace(/\.[A-Za-z0-9]{1,5}$/, '')
      .trim()
      .slice(0, 100) || 'Stem'
  const lower = name.toLowerCase()
  const guesses: [RegExp, StemRole][] = [
    [/vox|vocal|voice|sing|rap|choir|acapella/, 'vocals'],
    [/drum|kick|snare|hat|perc|beat|loop/, 'drums'],
    [/bass|sub\b|808/, 'bass'],
    [/guitar|gtr/, 'guitar'],
    [/pad|string|atmo/, 'pads'],
    [/key|piano|rhodes|organ|synth|chord/, 'keys'],
    [/lead|melody|hook/, 'lead'],
  ]
  return { name, role: guesses.find(([re]) => re.test(lower))?.[1] ?? 'fx' }
}

/** Removes everything a refused upload left: its object and rows. */
async function discard(env: Bindings, upload: UploadRow): Promise<void> {
  await env.MEDIA.delete(upload.object_key)
  await deleteUpload(env.DB, upload.id)
}

/** Assembles the parts in R2 (or finds them assembled by an earlier try); answers the object's size. */
async function assemble(env: Bindings, upload: UploadRow): Promise<number> {
  const parts = await listUploadParts(env.DB, upload.id)
  const have = new Set(parts.map((p) => p.part_number))
  const missing: number[] = []
  for (let n = 1; n <= upload.part_count; n++) if (!have.has(n)) missing.push(n)
  if (missing.length > 0)
    throw new DomainError(
      'bad_request',
      `The upload is missing part${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; send ${missing.length > 1 ? 'them' : 'it'}, then complete.`,
    )
  try {
    await env.MEDIA.resumeMultipartUpload(upload.object_key, upload.r2_upload_id).complete(
      parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })),
    )
  } catch (err) {
    // A retry after a completion whose answer was lost: the object is already there.
    const head = await env.MEDIA.head(upload.object_key)
    if (!head) throw err
  }
  const head = await env.MEDIA.head(upload.object_key)
  if (!head) throw new DomainError('bad_request', 'The uploaded file is gone; upload it again.')
  return head.size
}

/** Reads the master's container from R2 (never from what the browser said). */
async function inspect(env: Bindings, upload: UploadRow, size: number): Promise<MasterInfo> {
  if (size !== upload.size)
    throw new DomainError(
      'invalid_audio',
      `The file is ${size} bytes but ${upload.size} were announced: it is truncated. Upload it again.`,
    )
  return readMasterInfo(r2Source(env.MEDIA, upload.object_key), size)
}

async function completeStem(c: Context<SignedInEnv>, upload: UploadRow, info: MasterInfo) {
  const campaign = await findUploadCampaign(c.env.DB, upload.campaign_id)
  if (!campaign || campaign.status !== 'draft')
    throw new DomainError('conflict', 'Stems can only be added while the campaign is a draft.')
  const stemId = `stm-${upload.id}`
  const { name, role } = stemNameAndRole(upload.file_name)
  await completeStemUpload(
    c.env.DB,
    upload.id,
    {
      id: stemId,
      campaignId: upload.campaign_id,
      name,
      role,
      isVoice: role === 'vocals',
      masterKey: upload.object_key,
      fileName: upload.file_name,
      format: info.format,
      sampleRate: info.sampleRate,
      channels: info.channels,
      bitDepth: info.bitDepth,
      lengthSamples: info.lengthSamples,
    },
    new Date().toISOString(),
  )
  await c.env.INGEST.send({ type: 'ingest', stemId })
  return stemId
}

/**
 * Artists' uploads of stem masters and reference mixes: R2 multipart uploads through the worker,
 * one part per request, resumable (the parts already in R2 are listed), checked by reading the
 * container once assembled. An upload starts at POST /api/artist/campaigns/:id/uploads.
 */
export const artistUploads = new Hono<AppEnv>()
  .use(requireRole('artist', 'admin'))
  .get('/:uploadId', async (c) => {
    const upload = await uploadFor(c)
    return c.json({ upload: await viewOf(c.env.DB, upload) })
  })
  .put('/:uploadId/parts/:n', valid('param', PartParams), async (c) => {
    const upload = await uploadFor(c)
    const { n } = c.req.valid('param')
    if (upload.status !== 'open')
      throw new DomainError('conflict', 'This upload is already complete.')
    if (n > upload.part_count)
      throw new DomainError(
        'bad_request',
        `This upload has ${upload.part_count} part${upload.part_count > 1 ? 's' : ''}; there is no part ${n}.`,
      )
    const expected =
      n < upload.part_count
        ? upload.part_size
        : upload.size - (upload.part_count - 1) * upload.part_size
    // The body streams into R2 (never buffered here): its length is checked up front from
    // Content-Length and enforced by a FixedLengthStream.
    const declared = Number(c.req.header('Content-Length') ?? NaN)
    if (declared > expected)
      throw new DomainError(
        'payload_too_large',
        `Part ${n} must be ${expected} bytes; more were sent.`,
      )
    if (declared !== expected || !c.req.raw.body)
      throw new DomainError(
        'bad_request',
        Number.isInteger(declared)
          ? `Part ${n} must be ${expected} bytes; ${declared} were sent. Send it again.`
          : `Send part ${n} with its Content-Length (${expected} bytes).`,
      )
    const { readable, writable } = new FixedLengthStream(expected)
    // Whether the whole body arrived: a short or broken body fails the pipe, not only R2's call.
    const piped = c.req.raw.body.pipeTo(writable).then(
      () => true,
      () => false,
    )
    let part: R2UploadedPart
    try {
      part = await c.env.MEDIA.resumeMultipartUpload(
        upload.object_key,
        upload.r2_upload_id,
      ).uploadPart(n, readable)
    } catch (err) {
      if (!(await piped))
        throw new DomainError('bad_request', `Part ${n} arrived incomplete; send it again.`)
      throw err
    }
    await piped
    if (
      !(await recordUploadPart(c.env.DB, upload.id, { number: n, etag: part.etag, size: expected }))
    )
      throw new DomainError('conflict', 'This upload was completed or cancelled meanwhile.')
    return c.json({ part: n, etag: part.etag })
  })
  .post('/:uploadId/complete', async (c) => {
    const upload = await uploadFor(c)
    if (upload.status === 'completed') {
      // A replay: answer what the first completion made.
      if (upload.kind === 'reference')
        return c.json({ reference: { fileName: upload.file_name } }, 202)
      const stem = upload.stem_id ? await authorStemView(c.env.DB, upload.stem_id) : null
      if (!stem) throw new DomainError('not_found', 'The stem of this upload was deleted.')
      return c.json({ stem }, 202)
    }
    const size = await assemble(c.env, upload)
    let info: MasterInfo
    try {
      info = await inspect(c.env, upload, size)
    } catch (err) {
      if (err instanceof DomainError) await discard(c.env, upload)
      throw err
    }
    if (upload.kind === 'reference') {
      const campaign = await findUploadCampaign(c.env.DB, upload.campaign_id)
      await completeReferenceUpload(c.env.DB, upload, info.format, new Date().toISOString())
      if (campaign?.reference_key && campaign.reference_key !== upload.object_key)
        await c.env.MEDIA.delete(campaign.reference_key)
      await c.env.INGEST.send({ type: 'null-test', campaignId: upload.campaign_id })
      return c.json({ reference: { fileName: upload.file_name } }, 202)
    }
    let stemId: string
    try {
      stemId = await completeStem(c, upload, info)
    } catch (err) {
      await deleteProcessingStem(c.env.DB, `stm-${upload.id}`)
      await discard(c.env, upload)
      throw err
    }
    return c.json({ stem: await authorStemView(c.env.DB, stemId) }, 202)
  })
  .delete('/:uploadId', async (c) => {
    const upload = await uploadFor(c)
    if (upload.status === 'completed')
      throw new DomainError(
        'conflict',
        'This upload is complete; delete its stem from the campaign instead.',
      )
    try {
      await c.env.MEDIA.resumeMultipartUpload(upload.object_key, upload.r2_upload_id).abort()
    } catch {
      // Already aborted or never started in R2: nothing to clean there.
    }
    await discard(c.env, upload)
    return c.body(null, 204)
  })
