import { z } from 'zod'

/** Messages on the JOBS queue. `noop` proves the queue end to end; `export` runs the export pipeline;
 * `ingest` and `null-test` process artists' uploads. */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('noop'), id: z.string().min(1).max(100) }),
  z.object({ type: z.literal('export'), exportId: z.string().regex(/^[0-9a-f]{16}$/) }),
  // An uploaded stem master: rendition, peaks, hash (worker/jobs/ingest-job.ts).
  z.object({ type: z.literal('ingest'), stemId: z.string().min(1).max(100) }),
  // The sum of a campaign's stems against its reference mix.
  z.object({ type: z.literal('null-test'), campaignId: z.string().min(1).max(100) }),
  // A processed stem into the fingerprint index, with its matches (worker/fingerprint).
  z.object({ type: z.literal('fingerprint'), stemId: z.string().min(1).max(100) }),
])
export type Job = z.infer<typeof JobSchema>
