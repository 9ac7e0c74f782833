import { DomainError } from '../../core/errors.ts'
import type { RouteContext } from '../env.ts'
import { errorResponse } from '../errors.ts'
import { parseRange } from './range.ts'

export type ServeOptions = {
  /**
   * Called once the whole range [offset, offset + length) of an object of `size` bytes has passed
   * to the client (never for a response the client abandoned part way). The call runs after the
   * response, kept alive with `waitUntil`.
   */
  onServed?: (offset: number, length: number, size: number) => Promise<unknown>
  /** Cache-Control of the response; public for an hour by default. */
  cacheControl?: string
}

/** `body` passed through, calling `done` after its last byte. */
function counted(
  c: RouteContext,
  body: ReadableStream,
  expected: number,
  done: () => Promise<unknown>,
) {
  let passed = 0
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        passed += chunk.byteLength
        out.enqueue(chunk)
      },
      flush() {
        if (passed === expected) c.executionCtx.waitUntil(done())
      },
    }),
  )
}

/**
 * The Range a request asks for, if it still holds: with `If-Range`, only while the object is the
 * one that tag names (a strong match; a date never matches, no Last-Modified goes out), else the
 * whole object (RFC 9110 §13.1.5).
 */
function rangeOf(c: RouteContext, etag: string): string | undefined {
  const ifRange = c.req.header('If-Range')
  return ifRange === undefined || ifRange === etag ? c.req.header('Range') : undefined
}

/**
 * Streams an R2 object with ETag revalidation, byte ranges and cache headers, as media: with
 * `X-Content-Type-Options: nosniff`, so a browser never runs it as anything but its type.
 */
export async function serveObject(
  c: RouteContext,
  key: string,
  options: ServeOptions = {},
): Promise<Response> {
  const head = await c.env.MEDIA.head(key)
  if (!head) throw new DomainError('not_found', 'That file is missing from storage.')
  const headers = new Headers({
    'Content-Type': head.httpMetadata?.contentType ?? 'application/octet-stream',
    ETag: head.httpEtag,
    'Cache-Control': options.cacheControl ?? 'public, max-age=3600, must-revalidate',
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
  })
  // Cookies set on the context before (the listener's) go out with this raw response too.
  for (const cookie of c.res.headers.getSetCookie()) headers.append('Set-Cookie', cookie)
  if (c.req.header('If-None-Match') === head.httpEtag)
    return new Response(null, { status: 304, headers })

  const range = parseRange(rangeOf(c, head.httpEtag), head.size)
  if (range === 'unsatisfiable') {
    const message = `Range must be bytes within 0-${head.size - 1}.`
    return errorResponse(c, new DomainError('range_not_satisfiable', message), {
      'Content-Range': `bytes */${head.size}`,
      'X-Content-Type-Options': 'nosniff',
    })
  }
  const object = await c.env.MEDIA.get(key, range ? { range } : undefined)
  if (!object) throw new DomainError('not_found', 'That file is missing from storage.')
  const { offset, length } = range ?? { offset: 0, length: head.size }
  const served = options.onServed
  const body = served
    ? counted(c, object.body, length, () => served(offset, length, head.size))
    : object.body
  headers.set('Content-Length', String(length))
  if (!range) return new Response(body, { status: 200, headers })
  headers.set('Content-Range', `bytes ${offset}-${offset + length - 1}/${head.size}`)
  return new Response(body, { status: 206, headers })
}
