import { Hono, type Context } from 'hono'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { ownsOrAdmin } from '../auth/ownership.ts'
import { findStemAccess } from '../db/stems.ts'
import { serveObject } from '../http/serve-object.ts'

/**
 * The stem, if the caller may have it: a draft campaign's stems reach only its owner and admins
 * (to anyone else they do not exist), and are never cached publicly.
 */
async function stemOr404(c: Context<AppEnv>, id: string) {
  const row = await findStemAccess(c.env.DB, id)
  const user = c.get('user')
  const draft = row?.campaign_status === 'draft'
  if (!row || (draft && !ownsOrAdmin(user, row.owner_id)))
    throw new DomainError('not_found', `No stem with id “${id}”.`)
  return { row, cacheControl: draft ? 'private, no-store' : undefined }
}

/** A stem's compressed rendition and its precomputed peaks. */
export const stems = new Hono<AppEnv>()
  .get('/:id/audio', async (c) => {
    const { row, cacheControl } = await stemOr404(c, c.req.param('id'))
    return serveObject(c, row.r2_key, { cacheControl })
  })
  .get('/:id/peaks', async (c) => {
    const { row, cacheControl } = await stemOr404(c, c.req.param('id'))
    return serveObject(c, row.peaks_key, { cacheControl })
  })
