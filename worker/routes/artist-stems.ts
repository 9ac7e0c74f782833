import { Hono } from 'hono'
import { DomainError } from '../../core/errors.ts'
import { requireRole } from '../auth/session.ts'
import type { AppEnv } from '../env.ts'
import { findAuthorStemRow } from '../db/author-stems.ts'
import { authorStemView } from '../views/author-stems.ts'
import { markStemReprocessing } from '../db/uploads.ts'
import { uploadCampaignFor } from '../ingest/upload.ts'

/** An artist's stems outside a campaign's page: processing a failed stem again. */
export const artistStems = new Hono<AppEnv>()
  .use(requireRole('artist', 'admin'))
  .post('/:stemId/ingest', async (c) => {
    const stemId = c.req.param('stemId')
    const row = await findAuthorStemRow(c.env.DB, stemId)
    if (!row) throw new DomainError('not_found', `No stem with id “${stemId}”.`)
    await uploadCampaignFor(c.env.DB, c.var.user, row.campaign_id)
    if (row.ingest_status === 'ready')
      throw new DomainError('conflict', 'This stem is already processed.')
    if (await markStemReprocessing(c.env.DB, stemId))
      await c.env.INGEST.send({ type: 'ingest', stemId })
    return c.json({ stem: await authorStemView(c.env.DB, stemId) }, 202)
  })
