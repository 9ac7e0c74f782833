// The stem pipeline's front door, which the artist routes call: the limits of a master upload,
// who may upload to a campaign, and starting an upload (an R2 multipart upload and its row).
// What follows a completed upload runs on the INGEST queue (worker/ingest/job.ts).
import { z } from 'zod'
import type { UserView } from '../../core/api/users.ts'
import { DomainError } from '../../core/errors.ts'
import type { Bindings } from '../env.ts'
import { ownedOrAdmin } from '../auth/ownership.ts'
import {
  findUploadCampaign,
  insertUpload,
  type UploadCampaignRow,
  type UploadRow,
} from '../db/uploads.ts'
import { masterKey } from '../storage/keys.ts'

/** Each part is 8 MiB (R2 wants at least 5 MiB for every part but the last, and equal sizes). */
export const PART_SIZE = 8 * 1024 * 1024

/**
 * The largest master: 15 minutes of 96 kHz 32-bit float stereo is 691.2 MB of samples; 720 MiB
 * leaves room for headers and metadata chunks. (15 minutes at 192 kHz does not fit: use 96 kHz.)
 */
export const MAX_MASTER_BYTES = 720 * 1024 * 1024

/** What an artist announces before sending a master's parts. */
export const UploadBody = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((s) => !/[\\/\u0000-\u001f]/.test(s), 'a file name, without folders'),
  size: z.number().int().positive(),
  kind: z.enum(['stem', 'reference']),
})
export type UploadBody = z.infer<typeof UploadBody>

/** The campaign, if the user may see or change its uploads: else 404 or 403. */
export async function uploadCampaignFor(
  db: D1Database,
  user: UserView,
  id: string,
): Promise<UploadCampaignRow> {
  return ownedOrAdmin(await findUploadCampaign(db, id), user, {
    notFound: `No campaign with id “${id}”.`,
    forbidden: 'Only the campaign’s artist can see or change its uploads.',
  })
}

/** Refuses a master larger than MAX_MASTER_BYTES. */
export function tooLarge(): never {
  throw new DomainError(
    'payload_too_large',
    `A master can be at most ${MAX_MASTER_BYTES / 1024 / 1024} MiB (15 minutes of 96 kHz 32-bit float stereo).`,
  )
}

/** Starts the R2 multipart upload of a master and records it; its parts follow one by one. */
export async function startUpload(
  env: Bindings,
  user: UserView,
  campaign: UploadCampaignRow,
  body: UploadBody,
): Promise<UploadRow> {
  if (body.size > MAX_MASTER_BYTES) tooLarge()
  if (body.kind === 'stem' && campaign.status !== 'draft')
    throw new DomainError('conflict', 'Stems can only be added while the campaign is a draft.')
  const id = crypto.randomUUID().replaceAll('-', '')
  const key = masterKey(campaign.id, id)
  const multipart = await env.MEDIA.createMultipartUpload(key, {
    httpMetadata: { contentType: 'application/octet-stream' },
    customMetadata: { uploadId: id, kind: body.kind },
  })
  const now = new Date().toISOString()
  const row: UploadRow = {
    id,
    campaign_id: campaign.id,
    owner_id: user.role === 'admin' ? campaign.owner_id : user.id,
    kind: body.kind,
    file_name: body.fileName,
    size: body.size,
    part_size: PART_SIZE,
    part_count: Math.max(1, Math.ceil(body.size / PART_SIZE)),
    object_key: key,
    r2_upload_id: multipart.uploadId,
    status: 'open',
    stem_id: null,
    created_at: now,
    updated_at: now,
  }
  try {
    await insertUpload(env.DB, row)
  } catch (err) {
    await multipart.abort()
    throw err
  }
  return row
}

/** Notes an artist's browser made for an uploaded stem, checked and stored (./notes.ts). */
export { licenceGrantsNotes, storeSentNotes } from './notes.ts'
