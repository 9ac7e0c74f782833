import { JobSchema, type Job } from './job.ts'
import type { Bindings } from '../env.ts'
import { recordJobRun } from '../db/jobs.ts'

async function runJob(env: Bindings, job: Job): Promise<void> {
  switch (job.type) {
    case 'noop':
      await recordJobRun(env.DB, job.id, job.type)
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
      await runJob(env, parsed.data)
      message.ack()
    } catch (err) {
      console.error('job failed, will retry', message.id, err)
      message.retry()
    }
  }
}
