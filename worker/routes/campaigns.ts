import { Hono } from 'hono'
import { DomainError } from '../../core/errors.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { PublicRemixView } from '../../core/api/remixes.ts'
import type { AppEnv } from '../env.ts'
import { findImage, listImages } from '../db/author-campaigns.ts'
import { detailFrom, findCampaignRow, listCampaigns } from '../db/campaigns.ts'
import { listPublicRemixes } from '../db/remixes.ts'
import { listStems } from '../db/stems.ts'
import { serveObject } from '../http/serve-object.ts'

async function campaignOr404(db: D1Database, slug: string) {
  const row = await findCampaignRow(db, slug)
  if (!row || row.status === 'draft')
    throw new DomainError('not_found', `No campaign called “${slug}”.`)
  return row
}

/** Public campaigns and their pages. */
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
