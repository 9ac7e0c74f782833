import { z } from 'zod'

/** Messages on the JOBS queue. `noop` proves the queue end to end; exports come later. */
export const JobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('noop'), id: z.string().min(1).max(100) }),
])
export type Job = z.infer<typeof JobSchema>
