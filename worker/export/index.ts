// The export pipeline: one queue job per export, steps top to bottom.
//
//   load    the export, the recipe snapshot it was made of, the campaign's rate and stems
//   cover   the remix's artwork, for the files' tags (written first, so it comes before the audio)
//   render  the recipe from the stems' masters (or renditions), block by block   ┐ one streamed
//   mark    each block with the export's watermark                               │ pass
//   encode  each block into every chosen file (MP3 320/192, WAV 16/24, FLAC,     │
//           the stems zip), streamed into R2 uploads                             ┘ (render.ts)
//   check   the watermark read back from the stored MP3 the share page plays (none is
//           embedded, and none read back, when the manifest says the stems cannot carry it)
//   sign    the manifest, with the files' hashes
//   credit  the stems' contributions, from the recipe snapshot
//   count   the export's one ledger event, then ready
//
// Every step can run again: a retried job writes the same keys, signs the same manifest, and
// inserts no second contribution or event. A failure retrying cannot fix (a missing, corrupt or
// truncated stem), or the queue giving up after its retries, rejects the export and leaves no
// files behind: every object under the export's prefix goes, whatever its format.
import { contributionsFrom } from '../../core/credits/contributions.ts'
import { DomainError } from '../../core/errors.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import type { Bindings } from '../env.ts'
import { contributionsOf, recordContributions } from '../db/contributions.ts'
import {
  findExportRow,
  markProcessing,
  markReady,
  formatsOf,
  markRejected,
  saveOutputs,
  setStage,
  type ExportRow,
} from '../db/exports.ts'
import { recordLedgerEvent } from '../events/store.ts'
import { listStems } from '../views/stems.ts'
import { signExportManifest } from '../provenance/sign.ts'
import { checkWatermark, type WatermarkCheck } from './check.ts'
import { cover, load, type ExportJob } from './load.ts'
import { exportPrefix } from '../storage/keys.ts'
import { formatsToWrite, streamFormatOf } from '../../core/api/formats.ts'
import { renderMarkEncode } from './render.ts'

/** Render, mark and encode, then check the mark reads back; the outputs go into the manifest. */
async function makeFiles(env: Bindings, job: ExportJob): Promise<void> {
  const id = job.row.id
  await setStage(env.DB, id, 'rendering', 0)
  const png = await cover(env, job)
  const formats = formatsToWrite(formatsOf(job.row))
  const { outputs, seconds } = await renderMarkEncode(env, job, formats, png, (f) =>
    setStage(env.DB, id, 'rendering', f),
  )
  await setStage(env.DB, id, 'encoding', 1)
  const stream = outputs[streamFormatOf(formats)]!
  const watermark: WatermarkCheck = job.manifest.watermark
    ? { checked: false, reason: job.manifest.watermark.note }
    : await checkWatermark(env.MEDIA, stream.key, id, env.WATERMARK_KEY)
  const manifest: ExportManifest = { ...job.manifest, outputs }
  await saveOutputs(env.DB, id, {
    mp3: stream,
    wav: outputs['wav-24'] ?? outputs['wav-16'] ?? null,
    seconds,
    manifest: JSON.stringify(manifest),
    watermark: JSON.stringify(watermark),
  })
}

/** What each stem contributes to the export, from its recipe snapshot; recorded once. */
async function credit(env: Bindings, job: ExportJob): Promise<void> {
  if (Object.keys(await contributionsOf(env.DB, job.row.id)).length > 0) return
  const stems = await listStems(env.DB, job.row.campaign_id)
  await recordContributions(env.DB, job.row.id, contributionsFrom(job.recipe, stems))
}

/** The export's one ledger event (its id is the idempotency key). */
async function count(env: Bindings, row: ExportRow): Promise<void> {
  await recordLedgerEvent(env, {
    id: `export:${row.id}`,
    type: 'export',
    exportId: row.id,
    remixId: row.remix_id,
    campaignId: row.campaign_id,
    occurredAt: row.created_at,
  })
}

async function pipeline(env: Bindings, row: ExportRow): Promise<void> {
  if (!(await markProcessing(env.DB, row.id))) return
  const job = await load(env, row)
  if (!row.mp3_sha256) await makeFiles(env, job)
  await setStage(env.DB, row.id, 'signing', 1)
  await signExportManifest(env, row.id)
  await credit(env, job)
  await count(env, row)
  await markReady(env.DB, row.id)
}

/** Rejects an export with a reason for the fan; every file of it that was completed goes too. */
async function reject(env: Bindings, row: ExportRow, reason: string): Promise<void> {
  await deleteExportObjects(env.MEDIA, row.id)
  await markRejected(env.DB, row.id, reason)
}

/** Deletes every object under an export's prefix (all formats, the stems' WAVs, the cover). */
async function deleteExportObjects(bucket: R2Bucket, exportId: string): Promise<void> {
  let cursor: string | undefined
  do {
    const listed = await bucket.list({ prefix: exportPrefix(exportId), cursor })
    if (listed.objects.length) await bucket.delete(listed.objects.map((o) => o.key))
    cursor = listed.truncated ? listed.cursor : undefined
  } while (cursor)
}

/** Runs the export pipeline for one export (worker/jobs/consumer.ts delivers it). */
export async function runExportJob(env: Bindings, exportId: string): Promise<void> {
  const row = await findExportRow(env.DB, exportId)
  if (!row || row.status === 'ready' || row.status === 'rejected') return
  try {
    await pipeline(env, row)
  } catch (err) {
    if (err instanceof DomainError) return reject(env, row, err.message)
    throw err // retried by the queue
  }
}

/** Gives up an export whose every attempt failed (its job reached the dead-letter queue). */
export async function abandonExportJob(env: Bindings, exportId: string): Promise<void> {
  const row = await findExportRow(env.DB, exportId)
  if (!row || row.status === 'ready' || row.status === 'rejected') return
  await reject(env, row, 'We could not process this export. Please export again.')
}
