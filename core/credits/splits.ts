import { z } from 'zod'

/** The whole, in basis points. */
export const WHOLE_BPS = 10_000

const bps = z.number().int().min(0).max(WHOLE_BPS)

/** An IPI name number, digits only. */
export const IpiSchema = z.string().regex(/^\d{9,11}$/, 'an IPI is 9 to 11 digits')

/** An ISNI, 16 characters without spaces: 15 digits and a check character (a digit or X). */
export const IsniSchema = z.string().regex(/^\d{15}[\dX]$/, 'an ISNI is 16 characters')

/** A person or company credited on a campaign. */
export const ContributorSchema = z.object({
  name: z.string().min(1).max(200),
  roles: z.array(z.string().min(1).max(60)).min(1),
  ipi: IpiSchema.optional(),
  isni: IsniSchema.optional(),
})
export type Contributor = z.infer<typeof ContributorSchema>

/** How one stem's share divides among its rights holders; shares sum to 10 000 bps. */
export const StemSplitSchema = z
  .object({
    stem: z.string().min(1),
    shares: z.array(z.object({ party: z.string().min(1), bps })).min(1),
  })
  .refine((s) => s.shares.reduce((sum, x) => sum + x.bps, 0) === WHOLE_BPS, {
    message: `a stem's shares must sum to ${WHOLE_BPS} basis points`,
    path: ['shares'],
  })

/** A campaign's splits: the fan creator's cut of the whole, then per-stem splits of the rest. */
export const SplitsSchema = z.object({
  fanCreatorBps: bps,
  stems: z.array(StemSplitSchema).min(1),
})
export type Splits = z.infer<typeof SplitsSchema>
