import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { DomainError } from '../../core/errors.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { licenceCheckFrom } from '../../core/moderation/licence-check.ts'
import { approvalAfter, takedownOf } from '../../core/moderation/rules.ts'
import { OptionalReasonSchema, ReasonSchema } from '../../core/moderation/reason.ts'
import { recipeSummaryFrom } from '../../core/moderation/summary.ts'
import type { QueueItem } from '../../core/api/moderation.ts'
import { recipeFrom } from '../../core/recipe/migrate.ts'
import type { AppEnv, SignedInEnv } from '../env.ts'
import { requireRole } from '../auth/session.ts'
import { ownedOrAdmin, ownerScope, ownsOrAdmin } from '../auth/ownership.ts'
import {
  campaignOwnerOf,
  dismissReport,
  findReportRow,
  listAudit,
  listPublicRemixes,
  listQueue,
  openReportsOf,
  recordApproval,
  recordTakedown,
  type QueueRow,
} from '../db/moderation.ts'
import { exportFrom, findExportRow } from '../db/exports.ts'
import { findRemixRow, remixFrom } from '../db/remixes.ts'
import { listStems } from '../views/stems.ts'
import { valid } from '../validate.ts'

/** How many entries the audit log answers at most, newest first. */
const AUDIT_LIMIT = 500

/** How many remixes the list of public remixes answers at most, newest export first. */
const PUBLIC_REMIX_LIMIT = 200

/** The audit log and the public remixes, of every campaign the caller moderates or of one. */
const CampaignQuery = z.object({ campaign: z.string().min(1).max(100).optional() })

// Per route, not `use()`: this router shares the /artist prefix with the campaign and upload routes.
const artistOnly = requireRole('artist', 'admin')

/** 403 unless the signed-in artist owns the campaign or is an admin. */
async function mayModerate(c: Context<SignedInEnv>, campaignId: string, what: string) {
  const owner = await campaignOwnerOf(c.env.DB, campaignId)
  if (!ownsOrAdmin(c.var.user, owner))
    throw new DomainError('forbidden', `Only the artist of this campaign can moderate ${what}.`)
}

/** The campaign filter of a list, checked: 404 for an unknown campaign, 403 for another's. */
async function moderatedCampaign(c: Context<SignedInEnv>, campaign: string | undefined) {
  if (!campaign) return null
  if (!(await campaignOwnerOf(c.env.DB, campaign)))
    throw new DomainError('not_found', 'No such campaign.')
  await mayModerate(c, campaign, 'it')
  return campaign
}

const actor = (c: Context<SignedInEnv>) => ({ id: c.var.user.id, name: c.var.user.displayName })

/**
 * Approves or rejects one export, on its own: 409 unless it waits for approval. The decision is
 * one conditional transaction, so of concurrent decisions exactly one wins and the others (and
 * any replay) get 409 and change nothing.
 */
async function decideExport(
  c: Context<SignedInEnv>,
  decision: 'approve' | 'reject',
  why: string | null,
) {
  const id = c.req.param('id') ?? ''
  const row = await findExportRow(c.env.DB, id)
  if (!row) throw new DomainError('not_found', 'No such export.')
  await mayModerate(c, row.campaign_id, 'its remixes')
  const next = approvalAfter(row.approval, decision)
  if (!next.allowed) throw new DomainError('conflict', next.message)
  if (row.status !== 'ready')
    throw new DomainError('conflict', 'This export is not ready to be heard yet.')
  const done = await recordApproval(c.env.DB, {
    entry: {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
      actor: actor(c),
      action: decision,
      remixId: row.remix_id,
      exportId: row.id,
      reason: why,
    },
  })
  const after = (await findExportRow(c.env.DB, id))!
  if (!done) {
    const late = approvalAfter(after.approval, decision)
    throw new DomainError('conflict', late.allowed ? 'This remix was taken down.' : late.message)
  }
  return c.json({
    export: exportFrom(after),
    remix: remixFrom((await findRemixRow(c.env.DB, row.remix_id))!),
  })
}

/** Takes a whole remix down: every export of it goes with it. */
async function takedown(c: Context<SignedInEnv>, why: string) {
  const id = c.req.param('id') ?? ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const remix = await findRemixRow(c.env.DB, id)
    if (!remix) throw new DomainError('not_found', 'No such remix.')
    await mayModerate(c, remix.campaign_id, 'its remixes')
    const next = takedownOf(remix.status)
    if (!next.allowed) throw new DomainError('conflict', next.message)
    if (!next.changed) return c.json({ remix: remixFrom(remix) })
    const done = await recordTakedown(c.env.DB, {
      entry: {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        actor: actor(c),
        action: 'takedown',
        remixId: remix.id,
        reason: why,
      },
      from: remix.status,
    })
    // Another decision got there first: judge again against what it left.
    if (done) return c.json({ remix: remixFrom((await findRemixRow(c.env.DB, id))!) })
  }
  throw new DomainError('conflict', 'Someone else is moderating this remix; reload and try again.')
}

async function queueItemsFrom(db: D1Database, rows: QueueRow[]): Promise<QueueItem[]> {
  const reports = await openReportsOf(
    db,
    rows.map((r) => r.remix_id),
  )
  const stemsOf = new Map<string, ReturnType<typeof listStems>>()
  return Promise.all(
    rows.map(async (row) => {
      if (!stemsOf.has(row.campaign_id))
        stemsOf.set(row.campaign_id, listStems(db, row.campaign_id))
      const stems = await stemsOf.get(row.campaign_id)!
      const recipe = recipeFrom(JSON.parse(row.recipe))
      const licenceStems = licenceStemsFrom(row.campaign_slug, stems)
      const named = licenceStems.map((s, i) => ({ ...s, name: stems[i]!.name }))
      return {
        kind: row.kind,
        remix: {
          id: row.remix_id,
          title: row.title,
          fan: row.fan,
          status: row.status,
          campaignSlug: row.campaign_slug,
        },
        exportId: row.export_id,
        audioUrl: `/api/share/${row.export_id}/audio`,
        recipeSummary: recipeSummaryFrom(recipe, named),
        licenceCheck: licenceCheckFrom(LicencePolicySchema.parse(JSON.parse(row.licence)), {
          recipe,
          stems: licenceStems,
          exportedAt: row.exported_at,
          names: Object.fromEntries(stems.map((s) => [s.id, s.name])),
        }),
        reports: row.kind === 'report' ? (reports.get(row.remix_id) ?? []) : [],
      } satisfies QueueItem
    }),
  )
}

/**
 * The artist's side of moderation: the queue, the public remixes, decisions on each export,
 * takedowns of remixes, reports
 * and the audit log.
 */
export const moderation = new Hono<AppEnv>()
  .get('/queue', artistOnly, async (c) => {
    const rows = await listQueue(c.env.DB, ownerScope(c.var.user))
    return c.json({ items: await queueItemsFrom(c.env.DB, rows) })
  })
  .post('/exports/:id/approve', artistOnly, (c) => decideExport(c, 'approve', null))
  .post('/exports/:id/reject', artistOnly, valid('json', ReasonSchema), (c) =>
    decideExport(c, 'reject', c.req.valid('json').reason),
  )
  .post('/remixes/:id/takedown', artistOnly, valid('json', ReasonSchema), (c) =>
    takedown(c, c.req.valid('json').reason),
  )
  .post('/reports/:id/dismiss', artistOnly, valid('json', OptionalReasonSchema), async (c) => {
    const report = ownedOrAdmin(await findReportRow(c.env.DB, c.req.param('id')), c.var.user, {
      notFound: 'No such report.',
      forbidden: 'Only the artist of this campaign can dismiss its reports.',
    })
    const dismissed = await dismissReport(c.env.DB, {
      entry: {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        actor: { id: c.var.user.id, name: c.var.user.displayName },
        action: 'dismiss',
        remixId: report.remix_id,
        reportId: report.id,
        reason: c.req.valid('json').reason ?? null,
      },
    })
    if (!dismissed) throw new DomainError('conflict', 'This report was already dealt with.')
    return c.json({ report: { id: report.id, resolved: true } })
  })
  .get('/remixes', artistOnly, valid('query', CampaignQuery), async (c) => {
    const remixes = await listPublicRemixes(c.env.DB, {
      ownerId: ownerScope(c.var.user),
      campaignId: await moderatedCampaign(c, c.req.valid('query').campaign),
      limit: PUBLIC_REMIX_LIMIT,
    })
    return c.json({ remixes })
  })
  .get('/audit', artistOnly, valid('query', CampaignQuery), async (c) => {
    const entries = await listAudit(c.env.DB, {
      ownerId: ownerScope(c.var.user),
      campaignId: await moderatedCampaign(c, c.req.valid('query').campaign),
      limit: AUDIT_LIMIT,
    })
    return c.json({ entries })
  })
