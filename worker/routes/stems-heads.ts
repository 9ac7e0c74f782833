import { Hono } from 'hono'
import { StemHeadsQuery } from '../../core/api/stem-heads.ts'
import type { AppEnv } from '../env.ts'
import { valid } from '../validate.ts'
import { headsResponse, PUBLIC_HEADS } from '../views/stem-heads.ts'
import { stemOr404 } from '../views/stems.ts'

/**
 * Every named stem's first `bytes` of its rendition in one response, so a studio's first seconds
 * are one request, not one per stem. A stem the caller may not have (a draft campaign's, to anyone
 * but its owner and admins) makes the whole answer a 404.
 */
export const stemHeads = new Hono<AppEnv>().get('/', valid('query', StemHeadsQuery), async (c) => {
  const { ids, bytes } = c.req.valid('query')
  const access = await Promise.all(ids.map((id) => stemOr404(c.env.DB, c.var.user, id)))
  // A draft's stem carries its own policy (worker/views/stems.ts); one draft makes the answer private.
  const draft = access.find((a) => a.cacheControl)?.cacheControl
  return headsResponse(
    c,
    access.map((a) => a.row),
    bytes,
    draft ?? PUBLIC_HEADS,
  )
})
