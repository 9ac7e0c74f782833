import { z } from 'zod'

const reason = z.string().trim().min(3, 'give a reason (3 characters or more)').max(500)

/** The reason an artist gives for a rejection or takedown, and anyone for a report. */
export const ReasonSchema = z.object({ reason })

/** A reason that may be left out (dismissing a report). */
export const OptionalReasonSchema = z.object({ reason: reason.optional() })
