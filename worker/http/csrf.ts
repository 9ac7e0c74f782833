import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { DomainError } from '../../core/errors.ts'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Routes whose body is a file (audio, images): they check the Origin but take non-JSON bodies. */
const UPLOADS = [
  // exports are JSON; an old-style audio body reaches the route, which answers 404 (gone)
  /^\/api\/exports\/?$/,
  /^\/api\/verify\/?$/,
  // artwork is a JSON plan now; an old PNG body reaches the route, which answers 405 (gone)
  /^\/api\/remixes\/[^/]+\/artwork$/,
  /^\/api\/takedowns\/?$/,
  /^\/api\/artist\/campaigns\/[^/]+\/(artwork|images)$/,
  /^\/api\/artist\/uploads\/[^/]+\/parts\/\d+$/,
]

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i

/**
 * Cross-site request forgery, refused before any route runs: a state-changing request from a
 * foreign Origin (or, without Origin, one the browser marks `Sec-Fetch-Site: cross-site`) gets 403;
 * one with a body that is not JSON gets 400, except on the upload routes. Clients that send
 * neither header (curl, tests) are not browsers and cannot carry a victim's cookies.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async function csrf(c, next) {
    if (SAFE.has(c.req.method)) return next()
    const origin = c.req.header('Origin')
    const own = new URL(c.req.url).origin
    const foreign =
      origin !== undefined
        ? origin !== own && origin !== c.env.PUBLIC_ORIGIN
        : c.req.header('Sec-Fetch-Site') === 'cross-site'
    if (foreign) throw new DomainError('foreign_origin', 'Requests from other sites are refused.')
    const type = c.req.header('Content-Type')
    const length = Number(c.req.header('Content-Length') ?? 0)
    const hasBody =
      type !== undefined || length > 0 || c.req.header('Transfer-Encoding') !== undefined
    if (hasBody && !JSON_TYPE.test(type ?? '') && !UPLOADS.some((r) => r.test(c.req.path)))
      throw new DomainError(
        'bad_request',
        'Send the body as JSON (Content-Type: application/json).',
      )
    await next()
  }
}
