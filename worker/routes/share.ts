import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { ShareView } from '../../core/campaign/views.ts'
import { DomainError } from '../../core/errors.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { territoryViolation } from '../../core/licence/evaluate.ts'
import { LicencePolicySchema, type LicencePolicy } from '../../core/licence/policy.ts'
import type { AppEnv } from '../env.ts'
import { errorBody } from '../errors.ts'
import { exportArtworkKey } from '../artwork/cover.ts'
import { findLicenceVersion } from '../db/author-campaigns.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { findExportRow, type ExportRow } from '../db/exports.ts'
import { recordLedgerEvent } from '../db/ledger.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { serveObject } from '../http/serve-object.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import { valid } from '../validate.ts'
import { aiDisclosureOf } from '../../core/provenance/disclosure.ts'

const PlaySchema = z.object({
  listener: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a listener id is 8-64 letters, digits, _ or -'),
})

type Shared = {
  row: ExportRow & { mp3_key: string }
  manifest: ExportManifest
  policy: LicencePolicy
  gated: boolean
  artistSuspended: boolean
}

/**
 * A ready export as the public may see it. When the licence asks for the artist's approval and
 * the remix is not published yet, only its fan, the campaign's owner and admins see it; to others
 * it does not exist. A taken-down remix is gone for everyone.
 */
export async function sharedOr404(c: Context<AppEnv>, id: string): Promise<Shared | Response> {
  const row = await findExportRow(c.env.DB, id)
  if (!row || row.status !== 'ready' || !row.mp3_key || !row.manifest)
    throw new DomainError('not_found', 'No such remix to share.')
  const [remix, campaign] = await Promise.all([
    findRemixRow(c.env.DB, row.remix_id),
    findCampaignRow(c.env.DB, row.campaign_slug),
  ])
  if (!remix || !campaign) throw new DomainError('not_found', 'No such remix to share.')
  if (remix.status === 'taken_down')
    return c.json(errorBody('gone', 'This remix was taken down.'), 410)
  const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
  const country = (c.req.raw.cf?.country as string | undefined) ?? null
  const territory = territoryViolation(policy, 'share', country)
  if (territory) return c.json(errorBody('unavailable_in_territory', territory.message), 451)
  const gated =
    policy.duties.some((d) => d.action === 'obtainApproval') && remix.status !== 'published'
  const user = c.get('user')
  const mayReview = user?.id === campaign.owner_id || user?.role === 'admin'
  if (gated && user?.id !== row.owner_id && !mayReview)
    throw new DomainError('not_found', 'No such remix to share.')
  return {
    row: { ...row, mp3_key: row.mp3_key },
    manifest: JSON.parse(row.manifest) as ExportManifest,
    policy,
    gated,
    artistSuspended: !!campaign.owner_suspended_at,
  }
}

/** Public share pages of ready exports: the page's data, the audio, and play counts. */
export const share = new Hono<AppEnv>()
  .get('/:id', async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const { row, manifest, policy } = shared
    const artworkKey = exportArtworkKey(row.remix_id, manifest)
    const [stems, madeUnder, artwork] = await Promise.all([
      listStems(c.env.DB, row.campaign_id),
      findLicenceVersion(c.env.DB, row.campaign_id, row.licence_version),
      artworkKey ? c.env.MEDIA.head(artworkKey) : null,
    ])
    const view: ShareView = {
      exportId: row.id,
      title: manifest.remix.title,
      fan: manifest.remix.fan,
      campaign: {
        slug: manifest.campaign.slug,
        title: manifest.campaign.title,
        artist: manifest.campaign.artist,
      },
      credits: manifest.credits,
      licenceSummary: describeLicence(
        madeUnder ?? policy,
        Object.fromEntries(stems.map((s) => [s.id, s.name])),
      ),
      licenceVersion: row.licence_version,
      aiLabel: aiDisclosureOf(manifest.aiActions).label,
      audioUrl: `/api/share/${row.id}/audio`,
      artworkUrl: artwork ? `/api/share/${row.id}/artwork` : null,
      createdAt: row.created_at,
      artistSuspended: shared.artistSuspended,
    }
    if (shared.gated) c.header('Cache-Control', 'private, no-store')
    return c.json({ share: view })
  })
  .get('/:id/audio', async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const res = await serveObject(c, shared.row.mp3_key)
    if (shared.gated) res.headers.set('Cache-Control', 'private, no-store')
    return res
  })
  .post('/:id/plays', valid('json', PlaySchema), async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const { row } = shared
    const counted = await recordLedgerEvent(c.env.DB, {
      id: `play:${row.id}:${c.req.valid('json').listener}`,
      type: 'play',
      exportId: row.id,
      remixId: row.remix_id,
      campaignId: row.campaign_id,
      occurredAt: new Date().toISOString(),
    })
    return c.json({ counted }, 202)
  })
