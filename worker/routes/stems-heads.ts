import { Hono } from 'hono'
import { encodeHeads, STEM_HEADS_TYPE, StemHeadsQuery } from '../../core/api/stem-heads.ts'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { valid } from '../validate.ts'
import { stemOr404 } from '../views/stems.ts'

/**
 * Every named stem's first `bytes` of its rendition in one response (framed: core/api/stem-heads),
 * so a studio's first seconds are one request, not one per stem. A stem the caller may not have
 * (a draft campaign's, to anyone but its owner and admins) makes the whole answer a 404.
 */
export const stemHeads = new Hono<AppEnv>().get('/', valid('query', StemHeadsQuery), async (c) => {
  const { ids, bytes } = c.req.valid('query')
  const access = await Promise.all(ids.map((id) => stemOr404(c.env.DB, c.var.user, id)))
  const heads = await Promise.all(
    access.map(async ({ row }) => {
      const object = await c.env.MEDIA.get(row.r2_key, { range: { offset: 0, length: bytes } })
      if (!object) throw new DomainError('not_found', 'That file is missing from storage.')
      const head = new Uint8Array(await object.arrayBuffer())
      // the rest is asked for by Range: an ETag other than this one there is another file
      const { size: total, httpEtag: etag } = object
      return { id: row.id, length: head.length, total, etag, bytes: head }
    }),
  )
  // A draft's stem carries its own policy (worker/views/stems.ts); one draft makes the answer private.
  const draft = access.find((a) => a.cacheControl)?.cacheControl
  return c.body(encodeHeads(heads), 200, {
    'Content-Type': STEM_HEADS_TYPE,
    'Cache-Control': draft ?? 'public, max-age=60',
    'X-Content-Type-Options': 'nosniff',
  })
})
