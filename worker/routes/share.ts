import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { ShareView } from '../../core/api/exports.ts'
import { DomainError } from '../../core/errors.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { territoryViolation } from '../../core/licence/evaluate.ts'
import { LicencePolicySchema, type LicencePolicy } from '../../core/licence/policy.ts'
import type { AppEnv } from '../env.ts'
import { owns, ownsOrAdmin } from '../auth/ownership.ts'
import { exportArtworkKey } from '../artwork/cover.ts'
import { licenceMadeUnder, UNRECORDED } from '../licence/made-under.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { findExportRow, type ExportRow } from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { insertReport } from '../db/moderation.ts'
import { listStems } from '../views/stems.ts'
import { serveObject } from '../http/serve-object.ts'
import { rateLimit } from '../http/rate-limit.ts'
import { addressTag } from '../events/address.ts'
import { exportSeconds } from '../events/duration.ts'
import { eventNow } from '../events/event.ts'
import { ensureListener, ledgerOf, readListener } from '../events/listener.ts'
import { REDEEM_LIMIT, redeemWindow, type Refusal } from '../events/listener-ledger.ts'
import { errorResponse } from '../errors.ts'
import {
  checkTicket,
  expiryOf,
  issueTicket,
  requirement,
  type TicketProblem,
} from '../events/ticket.ts'
import type { ExportManifest } from '../../core/provenance/manifest.ts'
import { ReasonSchema } from '../../core/moderation/reason.ts'
import { valid } from '../validate.ts'
import { aiDisclosureOf } from '../../core/provenance/disclosure.ts'

const PlaySchema = z.object({ ticket: z.string().min(1).max(2048) })

/**
 * Tickets per address, against floods only (past the caps plays are held, not refused). A ticket
 * counts at most once, so this bounds an address's plays too.
 */
const PLAY_LIMIT = { limit: 1200, windowSeconds: 60, binding: 'PLAY_LIMITER' } as const

/** Reports each address may send in a window. */
export const REPORT_LIMIT = { limit: 5, windowSeconds: 60 * 60 }

type Shared = {
  row: ExportRow & { mp3_key: string }
  manifest: ExportManifest
  policy: LicencePolicy
  gated: boolean
  artistSuspended: boolean
}

/**
 * A ready export as the public may see it. An export that is not public (worker/db/exports.ts
 * `PUBLIC_EXPORT`: it waits for the artist's approval, or was rejected) is seen only by its fan,
 * the campaign's owner and admins; to others it does not exist. Approving another export of the
 * same remix changes nothing here. A taken-down remix is gone for everyone.
 */
async function sharedOr404(c: Context<AppEnv>, id: string): Promise<Shared | Response> {
  const row = await findExportRow(c.env.DB, id)
  if (!row || row.status !== 'ready' || !row.mp3_key || !row.manifest)
    throw new DomainError('not_found', 'No such remix to share.')
  const [remix, campaign] = await Promise.all([
    findRemixRow(c.env.DB, row.remix_id),
    findCampaignRow(c.env.DB, row.campaign_slug),
  ])
  if (!remix || !campaign) throw new DomainError('not_found', 'No such remix to share.')
  if (remix.status === 'taken_down') throw new DomainError('gone', 'This remix was taken down.')
  const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
  const country = (c.req.raw.cf?.country as string | undefined) ?? null
  const territory = territoryViolation(policy, 'share', country)
  if (territory) throw new DomainError('unavailable_in_territory', territory.message)
  const gated = !row.public
  const user = c.get('user')
  const mayReview = ownsOrAdmin(user, campaign.owner_id)
  if (gated && !owns(user, row.owner_id) && !mayReview)
    throw new DomainError('not_found', 'No such remix to share.')
  return {
    row: { ...row, mp3_key: row.mp3_key },
    manifest: JSON.parse(row.manifest) as ExportManifest,
    policy,
    gated,
    artistSuspended: !!campaign.owner_suspended_at,
  }
}

/** Public share pages of ready exports: the page's data, audio, artwork, plays and reports. */
export const share = new Hono<AppEnv>()
  .get('/:id', async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const { row, manifest, policy } = shared
    const artworkKey = exportArtworkKey(row.remix_id, manifest)
    const [stems, madeUnder, artwork] = await Promise.all([
      listStems(c.env.DB, row.campaign_id),
      licenceMadeUnder(c.env.DB, row.campaign_id, row.licence_version, policy),
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
      licenceSummary: madeUnder
        ? describeLicence(madeUnder, Object.fromEntries(stems.map((s) => [s.id, s.name])))
        : UNRECORDED(row.licence_version),
      licenceVersion: row.licence_version,
      aiLabel: aiDisclosureOf(manifest.aiActions).label,
      audioUrl: `/api/share/${row.id}/audio`,
      artworkUrl: artwork ? `/api/share/${row.id}/artwork` : null,
      createdAt: row.created_at,
      artistSuspended: shared.artistSuspended,
      watermarkNote: manifest.watermark?.note ?? null,
    }
    if (shared.gated) c.header('Cache-Control', 'private, no-store')
    await ensureListener(c)
    return c.json({ share: view })
  })
  .get('/:id/audio', async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const listener = await ensureListener(c)
    const ledger = ledgerOf(c.env, listener)
    // Not cached anywhere: each listener's bytes must reach the worker to be counted.
    return serveObject(c, shared.row.mp3_key, {
      cacheControl: 'private, no-store',
      onServed: (offset, length) => ledger.served(listener, shared.row.id, offset, offset + length),
    })
  })
  .post('/:id/tickets', rateLimit({ name: 'tickets', ...PLAY_LIMIT }), async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const { row } = shared
    if (shared.gated)
      throw new DomainError('not_public', 'Plays count once the artist has approved it.')
    const listener = await ensureListener(c)
    const [seconds, mp3] = await Promise.all([
      exportSeconds(c.env.MEDIA, row),
      c.env.MEDIA.head(row.mp3_key),
    ])
    if (!mp3) throw new DomainError('not_found', 'That file is missing from storage.')
    const { ticket, payload } = await issueTicket(c.env.SESSION_SECRET, {
      e: row.id,
      r: row.remix_id,
      k: row.campaign_id,
      l: listener,
      ...requirement(seconds, mp3.size),
    })
    c.header('Cache-Control', 'private, no-store')
    return c.json(
      {
        ticket,
        needSeconds: payload.need,
        expiresAt: new Date(expiryOf(payload)).toISOString(),
      },
      201,
    )
  })
  // No per-address rate limit here: each ticket counts at most once and tickets are limited per
  // address, a forged one costs one HMAC to refuse, and replays are limited per listener inside
  // the same Durable Object call that redeems and keeps the play (so a play is one round trip).
  .post('/:id/plays', valid('json', PlaySchema), async (c) => {
    const exportId = c.req.param('id')
    const now = Date.now()
    const checked = await checkTicket(c.env.SESSION_SECRET, c.req.valid('json').ticket, {
      exportId,
      listener: await readListener(c),
      now,
    })
    if (typeof checked === 'string') throw new DomainError(checked, TICKET[checked])
    const play = eventNow(
      {
        type: 'play',
        exportId,
        remixId: checked.r,
        campaignId: checked.k,
        listener: checked.l,
        address: await addressTag(c),
      },
      new Date(now),
    )
    // One call: the ticket's use and the play are one commit in the listener's object, which
    // answers only once it is durable and enqueues it (ListenerLedger), so none is lost.
    const redeemed = await ledgerOf(c.env, checked.l).redeem(play, checked.iat, checked.bytes)
    if (redeemed === 'rate_limited') {
      const { retryAfter } = redeemWindow(now)
      const message = `${TICKET[redeemed]} Try again in ${retryAfter} s.`
      return errorResponse(c, new DomainError(redeemed, message, { retryAfter }), {
        'Retry-After': String(retryAfter),
      })
    }
    if (typeof redeemed === 'string') throw new DomainError(redeemed, TICKET[redeemed])
    return c.json({ accepted: true }, 202)
  })
  // The artwork of a shared export: the cover its manifest records, as public as its share page.
  .get('/:id/artwork', async (c) => {
    const shared = await sharedOr404(c, c.req.param('id'))
    if (shared instanceof Response) return shared
    const key = exportArtworkKey(shared.row.remix_id, shared.manifest)
    if (!key || !(await c.env.MEDIA.head(key)))
      throw new DomainError('not_found', 'This remix has no artwork.')
    return serveObject(c, key)
  })
  // Reports from anyone who can see a shared remix, signed in or not; rate-limited per address.
  .post(
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

/** What each refusal of a play says. */
const TICKET: Record<TicketProblem | Refusal, string> = {
  ticket_invalid: 'This play ticket is not one the worker issued.',
  ticket_expired: 'This play ticket has expired; the next play gets a new one.',
  ticket_mismatch: 'This play ticket is for another remix or another listener.',
  too_early: 'This play ticket is redeemed before the remix could have been heard that long.',
  ticket_used: 'This play ticket was redeemed already, or a later one was.',
  rate_limited: `Too many play redemptions: at most ${REDEEM_LIMIT.limit} a minute per listener.`,
  not_enough_audio: 'Not enough of the audio was served to this listener for a play to count.',
}
