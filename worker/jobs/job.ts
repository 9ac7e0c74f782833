import { z } from 'zod'

/** Messages on the JOBS queue. `noop` proves the queue end to end; `export` runs the export pipeline. */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('noop'), id: z.string().min(1).max(100) }),
  z.object({ type: z.literal('export'), exportId: z.string().regex(/^[0-9a-f]{16}$/) }),
])
export type Job = z.infer<typeof JobSchema>
