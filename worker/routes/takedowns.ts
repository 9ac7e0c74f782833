import { Hono } from 'hono'
import { z } from 'zod'
import {
  takedownNoticeHtml,
  takedownNoticeText,
  type TakedownEvidence,
} from '../../core/campaign/takedown-notice.ts'
import { DomainError } from '../../core/errors.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { requireRole } from '../auth/session.ts'
import { ownerScope, ownsOrAdmin } from '../auth/ownership.ts'
import { campaignOwnerOf } from '../db/moderation.ts'
import type { AppEnv } from '../env.ts'
import {
  findNoticeCampaign,
  findTakedown,
  insertTakedown,
  listTakedowns,
} from '../db/fingerprints.ts'
import { listStems } from '../views/stems.ts'
import { audioBytesOf, AudioBodyHeaderSchema } from '../http/audio-body.ts'
import { rateLimit } from '../http/rate-limit.ts'
import { examineAudio } from '../verify/examine.ts'
import { valid } from '../validate.ts'

/** Where a notice's documents live in R2. */
const noticeKeys = (id: string) => ({
  text: `takedowns/${id}/notice.txt`,
  html: `takedowns/${id}/notice.html`,
})

const viewOf = (row: { id: string; created_at: string; slug: string; title: string }) => ({
  id: row.id,
  createdAt: row.created_at,
  campaign: { slug: row.slug, title: row.title },
  textUrl: `/api/takedowns/${row.id}/notice.txt`,
  htmlUrl: `/api/takedowns/${row.id}/notice.html`,
})

/**
 * Takedown notices: `POST /` with the suspicious file (as for verify) examines it again and, for
 * unlicensed use of a campaign the caller holds the rights to (its owner, or an admin), stores a
 * notice; `GET /` lists them; `GET /:id/notice.txt|html` downloads one.
 */
export const takedowns = new Hono<AppEnv>()
  .use(requireRole('artist', 'admin'))
  .post(
    '/',
    rateLimit({ name: 'takedown', limit: 10, windowSeconds: 60 }),
    valid('header', AudioBodyHeaderSchema),
    async (c) => {
      const bytes = await audioBytesOf(c.req.raw, c.req.valid('header')['content-type'])
      const answer = await examineAudio(c.env, bytes, c.req.url)
      if (answer.found)
        throw new DomainError(
          'unprocessable',
          'This file is a licensed Stemfair export: there is nothing to take down.',
        )
      if (!('unlicensed' in answer))
        throw new DomainError(
          'unprocessable',
          'This file matched no campaign stem: a notice needs evidence of use.',
        )
      const me = c.var.user
      const { fileSha256, uses } = answer.unlicensed
      let campaign = null
      for (const use of uses) {
        const row = await findNoticeCampaign(c.env.DB, use.campaign.slug)
        if (row && ownsOrAdmin(me, row.owner_id)) {
          campaign = row
          break
        }
      }
      if (!campaign)
        throw new DomainError(
          'forbidden',
          'Only the rights holder of a matched campaign (its artist) or an admin can issue a notice.',
        )
      const stems = await listStems(c.env.DB, campaign.id)
      const names = Object.fromEntries(stems.map((s) => [s.id, s.name]))
      const own = uses.filter((u) => u.campaign.slug === campaign.slug)
      const id = crypto.randomUUID()
      const createdAt = new Date().toISOString()
      const evidence: TakedownEvidence = {
        id,
        createdAt,
        fileSha256,
        campaign: {
          slug: campaign.slug,
          title: campaign.title,
          artist: campaign.artist,
          url: new URL(`/c/${campaign.slug}`, c.req.url).href,
        },
        rightsHolders: [...new Set(own.flatMap((u) => u.rightsHolders))],
        contact: own[0]!.contact,
        uses: own,
        licence: {
          summary: describeLicence(LicencePolicySchema.parse(JSON.parse(campaign.licence)), names),
        },
        issuedBy: { name: me.displayName, role: me.role },
      }
      const keys = noticeKeys(id)
      await c.env.MEDIA.put(keys.text, takedownNoticeText(evidence), {
        httpMetadata: { contentType: 'text/plain; charset=utf-8' },
      })
      await c.env.MEDIA.put(keys.html, takedownNoticeHtml(evidence), {
        httpMetadata: { contentType: 'text/html; charset=utf-8' },
      })
      try {
        await insertTakedown(c.env.DB, {
          id,
          file_sha256: fileSha256,
          campaign_id: campaign.id,
          created_by: me.id,
          evidence: JSON.stringify(evidence),
          text_key: keys.text,
          html_key: keys.html,
          created_at: createdAt,
        })
      } catch (err) {
        await c.env.MEDIA.delete([keys.text, keys.html])
        throw err
      }
      return c.json(
        {
          notice: {
            ...viewOf({ slug: campaign.slug, title: campaign.title, id, created_at: createdAt }),
            evidence,
          },
        },
        201,
      )
    },
  )
  .get('/', async (c) => {
    const rows = await listTakedowns(c.env.DB, ownerScope(c.var.user))
    return c.json({ notices: rows.map(viewOf) })
  })
  .get(
    '/:id/:file',
    valid('param', z.object({ id: z.uuid(), file: z.enum(['notice.txt', 'notice.html']) })),
    async (c) => {
      const { id, file } = c.req.valid('param')
      const row = await findTakedown(c.env.DB, id)
      if (!row) throw new DomainError('not_found', 'No such notice.')
      if (!ownsOrAdmin(c.var.user, await campaignOwnerOf(c.env.DB, row.campaign_id)))
        throw new DomainError('forbidden', 'This notice belongs to another rights holder.')
      const object = await c.env.MEDIA.get(file === 'notice.txt' ? row.text_key : row.html_key)
      if (!object) throw new DomainError('not_found', 'The notice document is gone.')
      return new Response(object.body, {
        headers: {
          'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
          'Content-Disposition': `attachment; filename="takedown-${id}.${file.split('.')[1]}"`,
          // a rights holder's private document, never run as anything but its type, never cached
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
        },
      })
    },
  )
