import { z } from 'zod'

/** Messages on the JOBS queue (`noop` proves the queue end to end; `export` runs the export
 * pipeline) and on the INGEST queue (`ingest`, `null-test`, `campaign-analysis` process artists'
 * uploads). One consumer reads both. */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('noop'), id: z.string().min(1).max(100) }),
  z.object({ type: z.literal('export'), exportId: z.string().regex(/^[0-9a-f]{16}$/) }),
  // On the INGEST queue (worker/ingest/): an uploaded stem master (rendition, peaks, hash, loudness),
  z.object({ type: z.literal('ingest'), stemId: z.string().min(1).max(100) }),
  // the sum of a campaign's stems against its reference mix,
  z.object({ type: z.literal('null-test'), campaignId: z.string().min(1).max(100) }),
  // and the campaign's analysis (grid, key, sections, each stem's activity) after its last stem.
  z.object({ type: z.literal('campaign-analysis'), campaignId: z.string().min(1).max(100) }),
  // whether the stems and their mix carry the watermark, after the last stem (worker/ingest/markability.ts),
  z.object({ type: z.literal('markability'), campaignId: z.string().min(1).max(100) }),
  // A processed stem into the fingerprint index, with its matches (worker/fingerprint).
  z.object({ type: z.literal('fingerprint'), stemId: z.string().min(1).max(100) }),
])
export type Job = z.infer<typeof JobSchema>
