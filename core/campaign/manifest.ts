import { z } from 'zod'
import { ContributorSchema, SplitsSchema } from '../credits/splits.ts'
import { LicencePolicySchema } from '../licence/policy.ts'

export const StemRole = z.enum(['drums', 'bass', 'keys', 'pads', 'guitar', 'lead', 'vocals', 'fx'])
export type StemRole = z.infer<typeof StemRole>

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase words joined by hyphens')

/** An ISRC: country, registrant, year and designation, 12 characters without hyphens. */
export const IsrcSchema = z
  .string()
  .regex(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/, 'an ISRC is CC-XXX-YY-NNNNN without hyphens')

/** One stem as a campaign manifest lists it. */
export const ManifestStemSchema = z.object({
  id: slug,
  name: z.string().min(1).max(100),
  role: StemRole,
  isVoice: z.boolean(),
  file: z.string().min(1),
  isrc: IsrcSchema.optional(),
  rightsHolders: z.array(z.string().min(1)).min(1),
})
export type ManifestStem = z.infer<typeof ManifestStemSchema>

/** A campaign as delivered: metadata, stems, credits, splits and licence (stems/manifest.json). */
export const CampaignManifestSchema = z
  .object({
    slug,
    title: z.string().min(1).max(200),
    artist: z.string().min(1).max(200),
    description: z.string().max(5000),
    tempo: z.number().positive().max(400),
    key: z.string().min(1).max(20),
    timeSignature: z.tuple([z.number().int().positive(), z.number().int().positive()]),
    sampleRate: z.number().int().min(22050).max(192000),
    artwork: z.string().min(1),
    opensAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    iswc: z
      .string()
      .regex(/^T\d{10}$/, 'an ISWC is T followed by 10 digits')
      .optional(),
    stems: z.array(ManifestStemSchema).min(1),
    credits: z.array(ContributorSchema).min(1),
    splits: SplitsSchema,
    licence: LicencePolicySchema,
  })
  .superRefine((m, ctx) => {
    const stemIds = new Set(m.stems.map((s) => s.id))
    const credited = new Set(m.credits.map((c) => c.name))
    if (stemIds.size !== m.stems.length)
      ctx.addIssue({ code: 'custom', path: ['stems'], message: 'stem ids must be unique' })
    if (Date.parse(m.closesAt) <= Date.parse(m.opensAt))
      ctx.addIssue({
        code: 'custom',
        path: ['closesAt'],
        message: 'closesAt must be after opensAt',
      })
    m.stems.forEach((s, i) => {
      if (!m.splits.stems.some((x) => x.stem === s.id))
        ctx.addIssue({ code: 'custom', path: ['splits', 'stems'], message: `no split for ${s.id}` })
      s.rightsHolders.forEach((h) => {
        if (!credited.has(h))
          ctx.addIssue({
            code: 'custom',
            path: ['stems', i, 'rightsHolders'],
            message: `${h} holds rights but is not credited`,
          })
      })
    })
    m.splits.stems.forEach((split, i) => {
      if (!stemIds.has(split.stem))
        ctx.addIssue({
          code: 'custom',
          path: ['splits', 'stems', i, 'stem'],
          message: `split names unknown stem ${split.stem}`,
        })
    })
  })
export type CampaignManifest = z.infer<typeof CampaignManifestSchema>
