import { NullTest } from '../../core/analysis/null-test.ts'
import { readMasterInfo } from '../../core/audio/container.ts'
import { MasterStream } from '../../core/audio/master-stream.ts'
import { LENGTH_TOLERANCE_SAMPLES } from '../../core/campaign/stem-shape.ts'
import { DomainError } from '../../core/errors.ts'
import { listAuthorStemRows, type AuthorStemRow } from '../db/author-stems.ts'
import { findReference, saveNullTest } from '../db/ingest.ts'
import type { Bindings } from '../env.ts'
import { r2Source } from '../storage/r2-source.ts'

const FRAMES = 1 << 16

async function openStream(env: Bindings, key: string): Promise<MasterStream> {
  const head = await env.MEDIA.head(key)
  if (!head) throw new DomainError('invalid_audio', 'A master is gone; upload it again.')
  const source = r2Source(env.MEDIA, key, head.size)
  return new MasterStream(source, head.size, await readMasterInfo(source, head.size), FRAMES)
}

/** Residual of the stems' sum against the reference (core/analysis/null-test.ts), or why not. */
async function nullTest(
  env: Bindings,
  referenceKey: string,
  rows: AuthorStemRow[],
): Promise<number | string> {
  const reference = await openStream(env, referenceKey)
  const stems: MasterStream[] = []
  for (const row of rows) stems.push(await openStream(env, row.master_key!))
  const { sampleRate, lengthSamples, channels } = reference.info
  for (const [i, s] of stems.entries()) {
    if (s.info.sampleRate !== sampleRate)
      return `The reference mix is at ${sampleRate} Hz but stem “${rows[i]!.name}” is at ${s.info.sampleRate} Hz.`
    if (Math.abs(s.info.lengthSamples - lengthSamples) > LENGTH_TOLERANCE_SAMPLES)
      return `The reference mix lasts ${lengthSamples} samples but stem “${rows[i]!.name}” lasts ${s.info.lengthSamples}; export both from the same start to the same end.`
  }
  const ref = Array.from({ length: channels }, () => new Float32Array(FRAMES))
  const stemBlock = [new Float32Array(FRAMES), new Float32Array(FRAMES)]
  const test = new NullTest(channels, FRAMES)
  for (;;) {
    const n = await reference.next(ref)
    if (n === 0) break
    test.begin(n)
    for (const stream of stems) {
      const block = stemBlock.slice(0, stream.info.channels).map((b) => b.subarray(0, n))
      const m = await stream.next(block)
      test.addStem(block, m)
    }
    test.end(ref, n)
  }
  return test.result() ?? 'The reference mix is silent; upload the full mix.'
}

/**
 * The null test: sums every stem's master and compares it with the reference mix. Runs when the
 * reference arrives and when the last stem is processed; waits while a stem is still processing.
 * Stores the residual in dB (more negative is closer), or why it could not run.
 */
export async function runNullTestJob(env: Bindings, campaignId: string): Promise<void> {
  const campaign = await findReference(env.DB, campaignId)
  const referenceKey = campaign?.reference_key
  if (!referenceKey) return
  const rows = await listAuthorStemRows(env.DB, campaignId)
  if (rows.some((r) => r.ingest_status === 'processing')) return // the last ingest queues it again
  const fail = (error: string) =>
    saveNullTest(env.DB, campaignId, referenceKey, { db: null, error })
  if (rows.length === 0) return fail('Upload the stems; the null test sums them.')
  if (rows.some((r) => r.ingest_status === 'failed' || !r.master_key))
    return fail('Every stem must be processed (with its master) before the null test can run.')
  try {
    const result = await nullTest(env, referenceKey, rows)
    if (typeof result === 'string') return fail(result)
    await saveNullTest(env.DB, campaignId, referenceKey, { db: result, error: null })
  } catch (err) {
    if (err instanceof DomainError) return fail(err.message)
    throw err // retried by the queue
  }
}

/** Records a null test whose every attempt failed (its job reached the dead-letter queue). */
export async function abandonNullTestJob(env: Bindings, campaignId: string): Promise<void> {
  const referenceKey = (await findReference(env.DB, campaignId))?.reference_key
  if (!referenceKey) return
  await saveNullTest(env.DB, campaignId, referenceKey, {
    db: null,
    error: 'The null test failed; upload the reference mix again to retry.',
  })
}
