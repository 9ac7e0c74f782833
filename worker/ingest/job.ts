import { DomainError } from '../../core/errors.ts'
import { queueFingerprint } from '../fingerprint/index-stem.ts'
import { findAuthorStemRow } from '../db/author-stems.ts'
import { countProcessingStems, endStemIngest, findCampaignMusic } from '../db/ingest.ts'
import type { Bindings } from '../env.ts'
import { ingestOutputKeys, peaksKey, renditionKey } from '../storage/keys.ts'
import { streamMaster, type MasterMeasures } from './stream-master.ts'

// The stem ingest pipeline, one queue message per stem (so a campaign's stems ingest in parallel):
//   1. claim      — the stem must still be 'processing' (a replay of a finished one does nothing)
//   2. stream     — one pass over the master in R2: hash, levels, loudness, peaks, analysis copy,
//                   MP3 rendition (./stream-master.ts)
//   3. end        — 'ready' with its outputs, or 'failed' with the reason and no outputs; in the
//                   same transaction, whether it was the campaign's last stem processing
//   4. campaign   — the last stem queues the campaign analysis (./campaign-analysis.ts) and, with
//                   a reference mix, the null test (./null-test.ts), and the markability
//                   (./markability.ts): each runs once per batch.

const FAILED_FOR_GOOD = 'Processing this stem failed; retry it, or upload the file again.'

/**
 * Processes an uploaded stem. Idempotent: a stem that is not 'processing' is left alone, and
 * outputs have fixed keys. A bad master fails the stem at once with the reason; other errors are
 * retried by the queue, and fail it once it gives up (abandonIngestJob). A failed stem keeps no rendition or peaks.
 */
export async function runIngestJob(env: Bindings, stemId: string): Promise<void> {
  // 1. claim
  const row = await findAuthorStemRow(env.DB, stemId)
  if (!row) return
  const stem = { id: row.id, campaignId: row.campaign_id }
  if (row.ingest_status !== 'processing') {
    // A redelivery after the end was written but before the campaign jobs were queued: queue
    // them again (they rewrite the same result).
    if ((await countProcessingStems(env.DB, row.campaign_id)) === 0)
      await queueCampaignJobs(env, row.campaign_id)
    return
  }
  const outputs = ingestOutputKeys(row)

  // 2. stream
  let measures: MasterMeasures
  try {
    measures = await streamMaster(env, row)
  } catch (err) {
    await env.MEDIA.delete(outputs)
    if (!(err instanceof DomainError)) throw err // retried by the queue
    // 3. end (failed)
    const { last } = await endStemIngest(env.DB, stem, { status: 'failed', error: err.message })
    if (last) await queueCampaignJobs(env, row.campaign_id)
    return
  }

  // 3. end (ready)
  const music = await findCampaignMusic(env.DB, row.campaign_id)
  const analysis = {
    tempo: music?.tempo ?? 0,
    key: music?.musical_key ?? '',
    peakDbfs: measures.levels.peakDbfs,
    rmsDbfs: measures.levels.rmsDbfs,
    loudness: measures.loudness,
  }
  const { ended, last } = await endStemIngest(env.DB, stem, {
    status: 'ready',
    renditionKey: renditionKey(row),
    peaksKey: peaksKey(row),
    sha256: measures.sha256,
    analysis: JSON.stringify(analysis),
  })
  if (!ended) {
    // Deleted (or finished by a duplicate delivery) meanwhile: keep nothing that no row names.
    const now = await findAuthorStemRow(env.DB, stemId)
    if (!now || now.r2_key !== renditionKey(row)) await env.MEDIA.delete(outputs)
    return
  }
  // 4. fingerprint: the stem into the index, and its matches with other campaigns' stems
  await queueFingerprint(env, stemId)
  // 5. campaign
  if (last) await queueCampaignJobs(env, row.campaign_id)
}

/** The campaign's jobs once no stem is processing: its analysis, and the null test if it has a reference. */
/** Fails a stem whose every attempt failed (its job reached the dead-letter queue). */
export async function abandonIngestJob(env: Bindings, stemId: string): Promise<void> {
  const row = await findAuthorStemRow(env.DB, stemId)
  if (!row || row.ingest_status !== 'processing') return
  await env.MEDIA.delete(ingestOutputKeys(row))
  const stem = { id: row.id, campaignId: row.campaign_id }
  const { last } = await endStemIngest(env.DB, stem, { status: 'failed', error: FAILED_FOR_GOOD })
  if (last) await queueCampaignJobs(env, row.campaign_id)
}

async function queueCampaignJobs(env: Bindings, campaignId: string): Promise<void> {
  const music = await findCampaignMusic(env.DB, campaignId)
  await env.INGEST.sendBatch([
    { body: { type: 'campaign-analysis', campaignId } },
    { body: { type: 'markability' as const, campaignId } },
    ...(music?.reference_key ? [{ body: { type: 'null-test' as const, campaignId } }] : []),
  ])
}
