import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { windowViolation } from '../../core/campaign/authoring.ts'
import type { ExportView } from '../../core/api/exports.ts'
import type { Contributor } from '../../core/credits/splits.ts'
import { DomainError } from '../../core/errors.ts'
import { hexOf } from '../../core/lib/bytes.ts'
import { evaluateLicence, type Violation } from '../../core/licence/evaluate.ts'
import { dailyExportCap } from '../../core/licence/export-cap.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { exportMarkingFor } from '../../core/campaign/markability.ts'
import { markabilityOf } from '../db/campaigns.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { claimFrom } from '../../core/provenance/claim.ts'
import { manifestFrom, type ExportManifest } from '../../core/provenance/manifest.ts'
import { DEFAULT_FORMATS, EXPORT_FORMATS, type ExportFormat } from '../../core/api/formats.ts'
import { RecipeSchema } from '../../core/recipe/schema.ts'
import type { AppEnv, Bindings, SignedInEnv } from '../env.ts'
import { requireUser } from '../auth/session.ts'
import { ownedBy } from '../auth/ownership.ts'
import { findCampaignRow, windowOf } from '../db/campaigns.ts'
import {
  countExportsSince,
  deleteUnstartedExport,
  exportFrom,
  findExportByKey,
  findExportRow,
  formatsOf,
  insertExport,
  listExportsOf,
  type ExportRow,
} from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../views/stems.ts'
import { signDownloads } from '../http/download-link.ts'
import { needsApproval } from '../../core/licence/policy.ts'
import { recordExported } from '../db/moderation.ts'
import { valid } from '../validate.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * What a fan asks to export: a saved version of their remix, in the formats chosen (a set; when
 * absent, today's 16-bit WAV and 192 kbit/s MP3). The server renders it.
 */
const CreateBody = z.strictObject({
  remix: z.string().min(1).max(100),
  version: z.number().int().min(1),
  formats: z
    .array(z.enum(EXPORT_FORMATS))
    .min(1, 'Choose at least one format.')
    .refine((f) => new Set(f).size === f.length, 'Name each format once.')
    .optional(),
})

/** The formats asked for, in the order core lists them. */
const formatsAsked = (asked: readonly ExportFormat[] | undefined): ExportFormat[] =>
  EXPORT_FORMATS.filter((f) => (asked ?? DEFAULT_FORMATS).includes(f))

/** A client-chosen key (RFC draft "Idempotency-Key"): one export per key and fan. */
const IdempotencyKey = z
  .string({ error: 'Send an Idempotency-Key header (for example a random UUID).' })
  .regex(/^[\x21-\x7e]{8,200}$/, 'An Idempotency-Key is 8 to 200 visible ASCII characters.')

/** A 64-bit random id as 16 hex digits: the export id and the watermark payload. */
function newExportId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return hexOf(bytes)
}

function licenceViolation(violations: Violation[]) {
  const message = violations.map((v) => v.message).join(' ')
  return new DomainError('licence_violation', message, { violations })
}

function conflict(current: number) {
  const message = `This remix has been saved since (version ${current}). Save, then export again.`
  return new DomainError('conflict', message, { current })
}

/** The browser used to upload a WAV here: that route is gone, the server renders every export. */
function isOldUpload(c: Context<SignedInEnv>): boolean {
  const type = c.req.header('Content-Type') ?? ''
  return (
    /^(audio\/|application\/octet-stream)/i.test(type) ||
    c.req.query('remix') !== undefined ||
    c.req.query('version') !== undefined
  )
}

async function viewOf(env: Bindings, row: ExportRow): Promise<ExportView> {
  const ready = row.status === 'ready' && row.manifest
  return exportFrom(
    row,
    ready ? await signDownloads(env, row.id, JSON.parse(row.manifest!) as ExportManifest) : null,
  )
}

/**
 * The same export for a replayed key. A key is never reused for another export: another remix,
 * version or set of formats is a 409 (the formats compared as a set, absent meaning the default).
 */
function replayOf(row: ExportRow, remix: string, version: number, formats: ExportFormat[]) {
  const same = formatsOf(row).join() === formats.join()
  if (row.remix_id !== remix || row.remix_version !== version || !same)
    throw new DomainError(
      'conflict',
      'This Idempotency-Key was used for another export; send a new key for a new export.',
    )
  return row
}

/**
 * A fan's exports: ask the server to render a saved remix (a queue job, worker/export/), follow
 * it through the pipeline, download it.
 */
export const exportsRoute = new Hono<AppEnv>()
  .use(requireUser())
  .post(
    '/',
    async (c, next) => {
      if (isOldUpload(c))
        throw new DomainError(
          'not_found',
          'Exports are no longer uploaded: the server renders the saved remix. ' +
            'POST {"remix", "version"} as JSON with an Idempotency-Key header.',
        )
      return next()
    },
    valid('json', CreateBody),
    async (c) => {
      const user = c.var.user
      const key = IdempotencyKey.parse(c.req.header('Idempotency-Key'))
      const asked = c.req.valid('json')
      const formats = formatsAsked(asked.formats)
      const earlier = await findExportByKey(c.env.DB, user.id, key)
      if (earlier)
        return c.json(
          { export: await viewOf(c.env, replayOf(earlier, asked.remix, asked.version, formats)) },
          202,
        )

      const remix = ownedBy(await findRemixRow(c.env.DB, asked.remix), user, {
        notFound: 'No such remix.',
        forbidden: 'Only the fan who made this remix can export it.',
      })
      if (remix.status === 'taken_down')
        throw new DomainError('forbidden', 'This remix was taken down and cannot be exported.')
      if (remix.version !== asked.version) throw conflict(remix.version)

      const campaign = await findCampaignRow(c.env.DB, remix.campaign_slug)
      if (!campaign) throw new DomainError('not_found', 'No such campaign.')
      const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
      const recipe = RecipeSchema.parse(JSON.parse(remix.recipe))
      const stems = await listStems(c.env.DB, campaign.id)
      const now = new Date()
      const closed = windowViolation(windowOf(campaign), now.toISOString())
      if (closed) throw licenceViolation([closed])
      const since = new Date(now.getTime() - DAY_MS).toISOString()
      const judge = async () =>
        evaluateLicence(policy, {
          action: 'export',
          at: now.toISOString(),
          country: (c.req.raw.cf?.country as string | undefined) ?? null,
          purpose: 'non-commercial',
          recipe,
          stems: licenceStemsFrom(campaign.slug, stems),
          exportsToday: await countExportsSince(c.env.DB, user.id, campaign.id, since),
          approved: remix.status === 'published',
          names: Object.fromEntries(stems.map((s) => [s.id, s.name])),
        })
      const decision = await judge()
      if (!decision.allowed) throw licenceViolation(decision.violations)
      const marking = exportMarkingFor(markabilityOf(campaign), policy)
      if ('refused' in marking) throw new DomainError('unprocessable', marking.reason)

      const id = newExportId()
      const manifest = await manifestFrom(
        await claimFrom({
          id,
          now,
          // links in the files follow the host the app is served from
          origin: new URL(c.req.url).origin,
          remix: {
            id: remix.id,
            version: remix.version,
            title: remix.title,
            fan: remix.owner_name,
          },
          campaign: { ...campaign, credits: JSON.parse(campaign.credits) as Contributor[] },
          policy,
          recipe,
          stems,
          decision,
          ...(marking.watermark ? {} : { unwatermarked: marking.label }),
        }),
      )
      const cap = dailyExportCap(policy)
      const inserted = await insertExport(c.env.DB, {
        id,
        remixId: remix.id,
        remixVersion: remix.version,
        campaignId: campaign.id,
        ownerId: user.id,
        licenceVersion: policy.version,
        recipeHash: manifest.remix.recipeSha256,
        recipe: remix.recipe,
        manifest: JSON.stringify(manifest),
        createdAt: now.toISOString(),
        idempotencyKey: key,
        formats,
        needsApproval: needsApproval(policy),
        limit: cap === null ? null : { max: cap, since },
      })
      if (inserted.outcome === 'limited') {
        // Another request took the last export of the day meanwhile: the licence words why.
        const late = await judge()
        throw licenceViolation(
          late.violations.length
            ? late.violations
            : [{ code: 'export_limit', message: 'The daily export limit is reached.' }],
        )
      }
      if (inserted.outcome === 'existing')
        return c.json(
          {
            export: await viewOf(
              c.env,
              replayOf(inserted.row, asked.remix, asked.version, formats),
            ),
          },
          202,
        )
      try {
        const entry = { id: crypto.randomUUID(), at: new Date().toISOString(), remixId: remix.id }
        const actor = { id: user.id, name: user.displayName }
        await recordExported(c.env.DB, {
          entry: { ...entry, actor, action: 'submit', exportId: id },
        })
        await c.env.JOBS.send({ type: 'export', exportId: id })
      } catch (err) {
        await deleteUnstartedExport(c.env.DB, id)
        throw err
      }
      return c.json({ export: await viewOf(c.env, inserted.row) }, 202)
    },
  )
  .get('/', async (c) => {
    const rows = await listExportsOf(c.env.DB, c.var.user.id)
    return c.json({ exports: await Promise.all(rows.map((row) => viewOf(c.env, row))) })
  })
  .get('/:id', async (c) => {
    const row = ownedBy(await findExportRow(c.env.DB, c.req.param('id')), c.var.user, {
      notFound: 'No such export.',
      forbidden: 'Only the fan who made this export can see it.',
    })
    return c.json({ export: await viewOf(c.env, row) })
  })
