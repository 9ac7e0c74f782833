import type { Context } from 'hono'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { errorBody } from '../errors.ts'
import { parseRange } from './range.ts'

/** Streams an R2 object with ETag revalidation, byte ranges and cache headers. */
export async function serveObject(c: Context<AppEnv>, key: string): Promise<Response> {
  const head = await c.env.MEDIA.head(key)
  if (!head) throw new DomainError('not_found', 'That file is missing from storage.')
  const headers = new Headers({
    'Content-Type': head.httpMetadata?.contentType ?? 'application/octet-stream',
    ETag: head.httpEtag,
    'Cache-Control': 'public, max-age=3600, must-revalidate',
    'Accept-Ranges': 'bytes',
  })
  if (c.req.header('If-None-Match') === head.httpEtag)
    return new Response(null, { status: 304, headers })

  const range = parseRange(c.req.header('Range'), head.size)
  if (range === 'unsatisfiable') {
    const message = `Range must be bytes within 0-${head.size - 1}.`
    return c.json(errorBody('range_not_satisfiable', message), 416, {
      'Content-Range': `bytes */${head.size}`,
    })
  }
  const object = await c.env.MEDIA.get(key, range ? { range } : undefined)
  if (!object) throw new DomainError('not_found', 'That file is missing from storage.')
  if (!range) {
    headers.set('Content-Length', String(head.size))
    return new Response(object.body, { status: 200, headers })
  }
  headers.set(
    'Content-Range',
    `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`,
  )
  headers.set('Content-Length', String(range.length))
  return new Response(object.body, { status: 206, headers })
}
