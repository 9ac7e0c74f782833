import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { UserView } from '../../core/api/users.ts'
import { DomainError } from '../../core/errors.ts'
import { LicencePolicySchema, type LicencePolicy } from '../../core/licence/policy.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import { licenceCheckFrom } from '../../core/moderation/licence-check.ts'
import {
  statusAfterExport,
  transitionOf,
  type ModerationDecision,
} from '../../core/moderation/rules.ts'
import { recipeSummaryFrom } from '../../core/moderation/summary.ts'
import type { QueueItem } from '../../core/api/moderation.ts'
import { recipeFrom } from '../../core/recipe/migrate.ts'
import type { AppEnv } from '../env.ts'
import { requireRole } from '../auth/session.ts'
import {
  dismissReport,
  findReportRow,
  insertReport,
  listAudit,
  listPublicRemixes,
  listQueue,
  openReportsOf,
  recordDecision,
  recordExported,
  type QueueRow,
} from '../db/moderation.ts'
import { findRemixRow, remixFrom, type RemixRow } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { rateLimit } from '../http/rate-limit.ts'
import { valid } from '../validate.ts'
import { sharedOr404 } from './share.ts'

/** How many entries the audit log answers at most, newest first. */
const AUDIT_LIMIT = 500

/** How many remixes the list of public remixes answers at most, newest export first. */
const PUBLIC_REMIX_LIMIT = 200

/** Reports each address may send in a window. */
export const REPORT_LIMIT = { limit: 5, windowSeconds: 60 * 60 }

const reason = z.string().trim().min(3, 'give a reason (3 characters or more)').max(500)
const ReasonSchema = z.object({ reason })
const OptionalReasonSchema = z.object({ reason: reason.optional() })
/** The audit log and the public remixes, of every campaign the caller moderates or of one. */
const CampaignQuery = z.object({ campaign: z.string().min(1).max(100).optional() })

// Per route, not `use()`: this router shares the /artist prefix with the campaign and upload routes.
const artistOnly = requireRole('artist', 'admin')

const user = (c: Context<AppEnv>) => c.get('user') as UserView

/** The remix, if the signed-in artist owns its campaign or is an admin: else 404 or 403. */
async function moderatedRemix(c: Context<AppEnv>, id: string) {
  const remix = await findRemixRow(c.env.DB, id)
  if (!remix) throw new DomainError('not_found', 'No such remix.')
  const owner = await c.env.DB.prepare('SELECT owner_id FROM campaigns WHERE id = ?1')
    .bind(remix.campaign_id)
    .first<string>('owner_id')
  if (owner !== user(c).id && user(c).role !== 'admin')
    throw new DomainError('forbidden', 'Only the artist of this campaign can moderate its remixes.')
  return remix
}

/** The campaign filter of a list, checked: 404 for an unknown campaign, 403 for another's. */
async function moderatedCampaign(c: Context<AppEnv>, campaign: string | undefined) {
  if (!campaign) return null
  const owner = await c.env.DB.prepare('SELECT owner_id FROM campaigns WHERE id = ?1')
    .bind(campaign)
    .first<string>('owner_id')
  if (!owner) throw new DomainError('not_found', 'No such campaign.')
  if (owner !== user(c).id && user(c).role !== 'admin')
    throw new DomainError('forbidden', 'Only the artist of this campaign can moderate it.')
  return campaign
}

/** Applies a decision: 409 when the remix is not in a state it applies to. */
async function decide(c: Context<AppEnv>, decision: ModerationDecision, why: string | null) {
  const id = c.req.param('id') ?? ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const remix = await moderatedRemix(c, id)
    const next = transitionOf(remix.status, decision)
    if (!next.allowed) throw new DomainError('conflict', next.message)
    if (!next.changed) return c.json({ remix: remixFrom(remix) })
    const done = await recordDecision(c.env.DB, {
      entry: {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        actor: { id: user(c).id, name: user(c).displayName },
        action: decision,
        remixId: remix.id,
        reason: why,
      },
      from: remix.status,
      to: next.status,
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
        kind: row.status === 'submitted' ? 'approval' : 'report',
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
        reports: reports.get(row.remix_id) ?? [],
      } satisfies QueueItem
    }),
  )
}

/**
 * After a fan's export is queued: the remix waits for the artist when the licence asks for
 * approval (the submission logged), and is public otherwise.
 */
export async function submitExported(
  db: D1Database,
  p: { remix: RemixRow; fan: UserView; exportId: string; policy: LicencePolicy },
): Promise<void> {
  await recordExported(db, {
    to: statusAfterExport(p.policy, p.remix.status),
    entry: {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
      actor: { id: p.fan.id, name: p.fan.displayName },
      action: 'submit',
      remixId: p.remix.id,
      exportId: p.exportId,
    },
  })
}

/**
 * The artist's side of moderation: the queue, the public remixes, decisions on remixes, reports
 * and the audit log.
 */
export const moderation = new Hono<AppEnv>()
  .get('/queue', artistOnly, async (c) => {
    const rows = await listQueue(c.env.DB, user(c).role === 'admin' ? null : user(c).id)
    return c.json({ items: await queueItemsFrom(c.env.DB, rows) })
  })
  .post('/remixes/:id/approve', artistOnly, (c) => decide(c, 'approve', null))
  .post('/remixes/:id/reject', artistOnly, valid('json', ReasonSchema), (c) =>
    decide(c, 'reject', c.req.valid('json').reason),
  )
  .post('/remixes/:id/takedown', artistOnly, valid('json', ReasonSchema), (c) =>
    decide(c, 'takedown', c.req.valid('json').reason),
  )
  .post('/reports/:id/dismiss', artistOnly, valid('json', OptionalReasonSchema), async (c) => {
    const report = await findReportRow(c.env.DB, c.req.param('id'))
    if (!report) throw new DomainError('not_found', 'No such report.')
    if (report.owner_id !== user(c).id && user(c).role !== 'admin')
      throw new DomainError(
        'forbidden',
        'Only the artist of this campaign can dismiss its reports.',
      )
    const dismissed = await dismissReport(c.env.DB, {
      entry: {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        actor: { id: user(c).id, name: user(c).displayName },
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
      ownerId: user(c).role === 'admin' ? null : user(c).id,
      campaignId: await moderatedCampaign(c, c.req.valid('query').campaign),
      limit: PUBLIC_REMIX_LIMIT,
    })
    return c.json({ remixes })
  })
  .get('/audit', artistOnly, valid('query', CampaignQuery), async (c) => {
    const entries = await listAudit(c.env.DB, {
      ownerId: user(c).role === 'admin' ? null : user(c).id,
      campaignId: await moderatedCampaign(c, c.req.valid('query').campaign),
      limit: AUDIT_LIMIT,
    })
    return c.json({ entries })
  })

/** Reports from anyone who can see a shared remix, signed in or not; rate-limited per address. */
export const reports = new Hono<AppEnv>().post(
  '/:id/reports',
  rateLimit({ name: 'reports', ...REPORT_LIMIT }),
  valid('json', ReasonSchema),
  async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const reporter = c.get('user')
    const id = crypto.randomUUID()
    await insertReport(c.env.DB, {
      entry: {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        actor: { id: reporter?.id ?? null, name: reporter?.displayName ?? 'anonymous' },
        action: 'report',
        remixId: shared.row.remix_id,
        exportId: shared.row.id,
        reportId: id,
        reason: c.req.valid('json').reason,
      },
    })
    return c.json({ report: { id } }, 201)
  },
)
