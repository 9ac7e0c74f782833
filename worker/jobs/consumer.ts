import { JobSchema, type Job } from './job.ts'
import type { Bindings } from '../env.ts'
import { recordJobRun } from '../db/jobs.ts'
import { EXPORT_ATTEMPTS, runExportJob } from './export-job.ts'
import { INGEST_ATTEMPTS, runIngestJob, runNullTestJob } from './ingest-job.ts'
import { runFingerprintJob } from '../fingerprint/index-stem.ts'

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
