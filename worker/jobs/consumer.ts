import { JobSchema, type Job } from './job.ts'
import type { Bindings } from '../env.ts'
import { recordJobRun } from '../db/jobs.ts'
import { runExportJob } from '../export/index.ts'
import { runCampaignAnalysisJob } from '../ingest/campaign-analysis.ts'
import { runIngestJob } from '../ingest/job.ts'
import { runNullTestJob } from '../ingest/null-test.ts'
import { runFingerprintJob } from '../fingerprint/index-stem.ts'

/** How often the INGEST queue delivers a message: wrangler.toml's `max_retries` (3) plus the first try. */
export const INGEST_ATTEMPTS = 4

/** How often the queue delivers an export job: wrangler.toml's `max_retries` (3) plus the first try. */
const EXPORT_ATTEMPTS = 4

async function runJob(env: Bindings, job: Job, attempts: number): Promise<void> {
  switch (job.type) {
    case 'noop':
      await recordJobRun(env.DB, job.id, job.type)
      break
    case 'export':
      await runExportJob(env, job.exportId, { finalAttempt: attempts >= EXPORT_ATTEMPTS })
      break
    case 'ingest':
      await runIngestJob(env, job.stemId, { finalAttempt: attempts >= INGEST_ATTEMPTS })
      break
    case 'null-test':
      await runNullTestJob(env, job.campaignId, { finalAttempt: attempts >= INGEST_ATTEMPTS })
      break
    case 'campaign-analysis':
      await runCampaignAnalysisJob(env, job.campaignId)
      break
    case 'fingerprint':
      await runFingerprintJob(env, job.stemId)
  }
}

/** Queue consumer: validates each message, runs it, acks it; a failing job is retried. */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    const parsed = JobSchema.safeParse(message.body)
    if (!parsed.success) {
      console.error('dropping malformed job', message.id, parsed.error.issues)
      message.ack()
      continue
    }
    try {
      await runJob(env, parsed.data, message.attempts)
      message.ack()
    } catch (err) {
      console.error('job failed, will retry', message.id, err)
      message.retry()
    }
  }
}
