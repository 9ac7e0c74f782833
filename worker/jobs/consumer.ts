import { JobSchema, type Job } from './job.ts'
import type { Bindings } from '../env.ts'
import { recordJobRun } from '../db/jobs.ts'
import { abandonExportJob, runExportJob } from '../export/index.ts'
import { runCampaignAnalysisJob } from '../ingest/campaign-analysis.ts'
import { abandonIngestJob, runIngestJob } from '../ingest/job.ts'
import { runMarkabilityJob } from '../ingest/markability.ts'
import { abandonNullTestJob, runNullTestJob } from '../ingest/null-test.ts'
import { runFingerprintJob } from '../fingerprint/index-stem.ts'

/**
 * The dead-letter queues (wrangler.consumer.toml `dead_letter_queue`): a job lands there once the queue
 * has retried it `max_retries` times, so how often a job is tried lives only in wrangler.consumer.toml.
 */
export const isDeadLetterQueue = (queue: string) => queue.endsWith('-failed')

async function runJob(env: Bindings, job: Job): Promise<void> {
  switch (job.type) {
    case 'noop':
      await recordJobRun(env.DB, job.id, job.type)
      break
    case 'export':
      await runExportJob(env, job.exportId)
      break
    case 'ingest':
      await runIngestJob(env, job.stemId)
      break
    case 'null-test':
      await runNullTestJob(env, job.campaignId)
      break
    case 'campaign-analysis':
      await runCampaignAnalysisJob(env, job.campaignId)
      break
    case 'markability':
      await runMarkabilityJob(env, job.campaignId)
      break
    case 'fingerprint':
      await runFingerprintJob(env, job.stemId)
  }
}

/** The "gave up" step of a job whose every attempt failed: fail it for its user, leave nothing. */
async function abandonJob(env: Bindings, job: Job): Promise<void> {
  switch (job.type) {
    case 'export':
      return abandonExportJob(env, job.exportId)
    case 'ingest':
      return abandonIngestJob(env, job.stemId)
    case 'null-test':
      return abandonNullTestJob(env, job.campaignId)
    default:
      console.error('job given up after its retries', job)
  }
}

/**
 * Queue consumer of JOBS and INGEST and of their dead-letter queues: validates each message,
 * runs it (or, from a dead-letter queue, gives it up) and acks it; a failing one is retried.
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const handle = isDeadLetterQueue(batch.queue) ? abandonJob : runJob
  for (const message of batch.messages) {
    const parsed = JobSchema.safeParse(message.body)
    if (!parsed.success) {
      console.error('dropping malformed job', message.id, parsed.error.issues)
      message.ack()
      continue
    }
    try {
      await handle(env, parsed.data)
      message.ack()
    } catch (err) {
      console.error('job failed, will retry', message.id, err)
      message.retry()
    }
  }
}
