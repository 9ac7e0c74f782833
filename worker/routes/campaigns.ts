import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { PublicRemixView } from '../../core/api/remixes.ts'
import type { CampaignStats } from '../../core/api/stats.ts'
import { apportion } from '../../core/credits/contributions.ts'
import { statementCsv, statementDsr } from '../../core/credits/report.ts'
import { SplitsSchema, WHOLE_BPS, type Splits } from '../../core/credits/splits.ts'
import { checkSplits, CURRENCIES, statementFor } from '../../core/credits/statement.ts'
import { DomainError } from '../../core/errors.ts'
import { licenceStemsFrom } from '../../core/licence/stems.ts'
import type { AppEnv, SignedInEnv } from '../env.ts'
import { requireUser } from '../auth/session.ts'
import { ownedOrAdmin } from '../auth/ownership.ts'
import { findImage, listImages } from '../db/author-campaigns.ts'
import { findCampaignRow, type CampaignRow } from '../db/campaigns.ts'
import { detailFrom, listCampaigns } from '../views/campaigns.ts'
import { contributionsOfCampaign } from '../db/contributions.ts'
import { listPublicRemixes } from '../db/remixes.ts'
import { dailyCountsOf, playsOf, stemUsageOf, topRemixesOf, totalCountsOf } from '../db/stats.ts'
import { listStems } from '../views/stems.ts'
import { listStemRows } from '../db/stems.ts'
import { CampaignHeadsQuery } from '../../core/api/stem-heads.ts'
import { headsResponse, PUBLIC_HEADS } from '../views/stem-heads.ts'
import { serveObject } from '../http/serve-object.ts'
import { valid } from '../validate.ts'

async function campaignOr404(db: D1Database, slug: string) {
  const row = await findCampaignRow(db, slug)
  if (!row || row.status === 'draft')
    throw new DomainError('not_found', `No campaign called “${slug}”.`)
  return row
}

const DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && dayOf(Date.parse(d)) === d, {
    message: 'not a date',
  })

const StatementQuery = z
  .object({
    from: day,
    to: day,
    pool: z
      .string()
      .regex(/^\d{1,15}$/, 'the pool is a whole, non-negative number of minor units (e.g. cents)')
      .transform(Number),
    currency: z.string().refine((c) => CURRENCIES.has(c), 'not a supported ISO 4217 currency code'),
    format: z.enum(['json', 'csv', 'dsr']).default('json'),
  })
  .refine((q) => q.to >= q.from, { message: 'the period ends before it starts', path: ['to'] })

/** The campaign, if the signed-in user owns it or is an admin. */
async function ownedCampaign(c: Context<SignedInEnv>, slug: string): Promise<CampaignRow> {
  return ownedOrAdmin(await findCampaignRow(c.env.DB, slug), c.var.user, {
    notFound: `No campaign called “${slug}”.`,
    forbidden: 'Only the campaign’s artist can see its numbers.',
  })
}

/** The campaign's splits with stems named by their row ids, refused unless they are sound. */
function splitsOf(row: CampaignRow, stemIds: string[]): Splits {
  const rowId = new Map(
    licenceStemsFrom(
      row.slug,
      stemIds.map((id) => ({ id, isVoice: false })),
    ).map((s) => [s.manifestId ?? s.id, s.id]),
  )
  const raw = SplitsSchema.parse(JSON.parse(row.splits))
  const splits = {
    ...raw,
    stems: raw.stems.map((s) => ({ ...s, stem: rowId.get(s.stem) ?? s.stem })),
  }
  const issues = checkSplits(splits, stemIds)
  if (issues.length)
    throw new DomainError(
      'conflict',
      `This campaign’s splits are not sound: ${issues.map((i) => i.message).join('; ')}.`,
    )
  return splits
}

async function campaignStats(db: D1Database, row: CampaignRow): Promise<CampaignStats> {
  const today = Date.parse(`${dayOf(Date.now())}T00:00:00Z`)
  const first = today - (DAYS - 1) * DAY_MS
  const [daily, totals, usage, topRemixes, stems] = await Promise.all([
    dailyCountsOf(db, row.id, dayOf(first)),
    totalCountsOf(db, row.id),
    stemUsageOf(db, row.id),
    topRemixesOf(db, row.id, 10),
    listStems(db, row.id),
  ])
  const days = Array.from({ length: DAYS }, (_, i) => ({
    date: dayOf(first + i * DAY_MS),
    plays: 0,
    exports: 0,
    downloads: 0,
  }))
  const byDate = new Map(days.map((d) => [d.date, d]))
  for (const { day, type, n } of daily) {
    const d = byDate.get(day)
    if (d) d[type === 'play' ? 'plays' : type === 'export' ? 'exports' : 'downloads'] += n
  }
  const shares = apportion(new Map(usage.map((u) => [u.stem_id, u.bps])), WHOLE_BPS)
  return {
    days,
    totals: {
      plays: totals.play,
      exports: totals.export,
      downloads: totals.download,
      heldPlays: totals.heldPlays,
      heldDownloads: totals.heldDownloads,
    },
    stemUsage: stems.map((s) => ({ stem: s.id, name: s.name, bps: shares.get(s.id) ?? 0 })),
    topRemixes,
  }
}

/** Public campaigns and their pages; for the campaign's artist, its stats and revenue-share statements. */
export const campaigns = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ campaigns: await listCampaigns(c.env.DB) }))
  .get('/:slug', async (c) => {
    const row = await campaignOr404(c.env.DB, c.req.param('slug'))
    const [stems, images] = await Promise.all([
      listStems(c.env.DB, row.id),
      listImages(c.env.DB, row.id),
    ])
    const campaign: CampaignDetail = {
      ...detailFrom(row),
      stems,
      images: images.map((i) => ({ id: i.id, url: `/api/campaigns/${row.slug}/images/${i.id}` })),
    }
    return c.json({ campaign })
  })
  // Every stem's first bytes by the campaign's slug: a studio asks for them beside the campaign,
  // not after it (they waited 0.2–0.3 s for the campaign's stem ids).
  .get('/:slug/heads', valid('query', CampaignHeadsQuery), async (c) => {
    const row = await campaignOr404(c.env.DB, c.req.param('slug'))
    const stems = await listStemRows(c.env.DB, row.id)
    return headsResponse(c, stems, c.req.valid('query').bytes, PUBLIC_HEADS)
  })
  .get('/:slug/remixes', async (c) => {
    const row = await campaignOr404(c.env.DB, c.req.param('slug'))
    const found = await listPublicRemixes(c.env.DB, row.id)
    const remixes: PublicRemixView[] = found.map((r) => ({ ...r, shareUrl: `/r/${r.exportId}` }))
    return c.json({ remixes })
  })
  .get('/:slug/artwork', async (c) => {
    const row = await campaignOr404(c.env.DB, c.req.param('slug'))
    if (!row.artwork_key) throw new DomainError('not_found', 'This campaign has no artwork.')
    return serveObject(c, row.artwork_key)
  })
  .get('/:slug/images/:imageId', async (c) => {
    const row = await campaignOr404(c.env.DB, c.req.param('slug'))
    const image = await findImage(c.env.DB, row.id, c.req.param('imageId'))
    if (!image) throw new DomainError('not_found', 'This campaign has no such image.')
    return serveObject(c, image.r2_key)
  })
  .get('/:slug/stats', requireUser(), async (c) => {
    const row = await ownedCampaign(c, c.req.param('slug'))
    return c.json({ stats: await campaignStats(c.env.DB, row) })
  })
  .get('/:slug/statement', requireUser(), valid('query', StatementQuery), async (c) => {
    const row = await ownedCampaign(c, c.req.param('slug'))
    const q = c.req.valid('query')
    const stems = await listStems(c.env.DB, row.id)
    const splits = splitsOf(
      row,
      stems.map((s) => s.id),
    )
    const until = dayOf(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS)
    const [plays, contributions] = await Promise.all([
      playsOf(c.env.DB, row.id, q.from, until),
      contributionsOfCampaign(c.env.DB, row.id),
    ])
    const statement = statementFor({
      campaign: row.slug,
      period: { from: q.from, to: q.to },
      pool: { amount: q.pool, currency: q.currency },
      plays,
      contributions,
      splits,
      stemNames: Object.fromEntries(stems.map((s) => [s.id, s.name])),
    })
    if (q.format === 'json') return c.json({ statement })
    const name = `statement-${row.slug}-${q.from}-${q.to}`
    c.header('Cache-Control', 'private, no-store')
    if (q.format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8')
      c.header('Content-Disposition', `attachment; filename="${name}.csv"`)
      return c.body(statementCsv(statement))
    }
    c.header('Content-Type', 'text/tab-separated-values; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="${name}.tsv"`)
    const isrcs = Object.fromEntries(stems.map((s) => [s.id, s.isrc]))
    return c.body(statementDsr(statement, { recipient: row.artist, isrcs }))
  })
