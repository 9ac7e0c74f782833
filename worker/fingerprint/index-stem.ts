// The fingerprint step of ingest: index a stem's hashes and record where it matches recordings of
// other campaigns (or protected ones) in stem_matches, all in one transaction.
import { fingerprintOf, indexRowsOf } from '../../core/fingerprint/fingerprint.ts'
import type { Hertz } from '../../core/units.ts'
import type { Bindings } from '../env.ts'
import { findAuthorStemRow } from '../db/author-stems.ts'
import {
  fingerprintRefOf,
  indexStatements,
  insertStemMatchStatement,
  isFingerprinted,
  type StemMatchInsert,
} from '../db/fingerprints.ts'
import { analysisCopyKey as analysisCopyKeyOf } from '../storage/keys.ts'
import { identify } from './identify.ts'

/** Queues the fingerprint step for a stem whose ingest just finished. */
export async function queueFingerprint(env: Bindings, stemId: string): Promise<void> {
  await env.JOBS.send({ type: 'fingerprint', stemId })
}

/** A recording's fingerprint and length: what the index holds of it. */
export type RecordingPrint = { hashes: ReturnType<typeof fingerprintOf>; seconds: number }

/** Fingerprints one recording (mono PCM): the CPU-bound half of indexing it. */
export function printOf(pcm: Float32Array, sampleRate: Hertz): RecordingPrint {
  return { hashes: fingerprintOf(pcm, sampleRate), seconds: pcm.length / sampleRate }
}

/**
 * Indexes one recording's print under `stemId` and writes its matches with other campaigns'
 * stems. Idempotent: an indexed stem is left alone; a retry reuses its index number.
 */
export async function indexRecording(
  db: D1Database,
  stem: { id: string; campaignId: string },
  { hashes, seconds }: RecordingPrint,
): Promise<StemMatchInsert[]> {
  if (await isFingerprinted(db, stem.id)) return []
  const ref = await fingerprintRefOf(db, stem.id, stem.campaignId, seconds)
  const found = await identify(db, hashes)
  const matches = found
    .filter(
      ({ row }) =>
        row.stem_id !== stem.id && (row.campaign_id !== stem.campaignId || row.protected === 1),
    )
    .map(({ match, row }) => ({
      stemId: stem.id,
      matchedStemId: row.stem_id,
      matchedCampaignId: row.campaign_id,
      stemStart: match.queryStart,
      stemEnd: match.queryEnd,
      matchedStart: match.refStart,
      matchedEnd: match.refEnd,
      strength: match.strength,
    }))
  const now = new Date().toISOString()
  await db.batch([
    ...indexStatements(db, ref, indexRowsOf(ref, hashes), now),
    ...matches.map((m) => insertStemMatchStatement(db, m, now)),
  ])
  return matches
}

/** The 'fingerprint' job: reads the stem's mono analysis copy and indexes it. */
export async function runFingerprintJob(env: Bindings, stemId: string): Promise<void> {
  const row = await findAuthorStemRow(env.DB, stemId)
  if (!row || row.ingest_status !== 'ready') return
  const object = await env.MEDIA.get(analysisCopyKeyOf(row))
  if (!object) {
    console.error('fingerprint: no analysis copy for', stemId)
    return
  }
  const rate = Number(object.customMetadata?.sampleRate)
  const pcm = new Float32Array(await object.arrayBuffer())
  await indexRecording(env.DB, { id: row.id, campaignId: row.campaign_id }, printOf(pcm, rate))
}
