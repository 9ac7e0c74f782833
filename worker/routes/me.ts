import { Hono } from 'hono'
import type { FanStats } from '../../core/api/stats.ts'
import type { Splits } from '../../core/credits/splits.ts'
import type { AppEnv } from '../env.ts'
import { requireUser } from '../auth/session.ts'
import { fanCampaignsOf, fanRemixesOf } from '../db/stats.ts'

/**
 * The signed-in user, or null: asking who you are is not an error. And a signed-in user's own
 * numbers: their remixes' plays and downloads, and creator shares.
 */
export const me = new Hono<AppEnv>()
  .get('/', (c) => c.json({ user: c.get('user') }))
  .get('/stats', requireUser(), async (c) => {
    const user = c.var.user
    const [remixes, campaigns] = await Promise.all([
      fanRemixesOf(c.env.DB, user.id),
      fanCampaignsOf(c.env.DB, user.id),
    ])
    const stats: FanStats = {
      remixes,
      creatorShares: campaigns.map((k) => ({
        campaign: k.campaign,
        title: k.title,
        fanCreatorBps: (JSON.parse(k.splits) as Splits).fanCreatorBps,
      })),
    }
    return c.json(stats)
  })
