import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ZodError } from 'zod'
import { errorBodyOf, statusOf, type ErrorCode } from '../core/api/errors.ts'
import { DomainError } from '../core/errors.ts'

/**
 * The one place an error becomes a response: `{ error: { code, message, ...extras } }` with the
 * status core/api/errors.ts gives the code. For answers that need headers (Retry-After,
 * Content-Range); everything else throws a DomainError.
 */
export function errorResponse(
  c: Context,
  err: DomainError,
  headers?: Record<string, string>,
): Response {
  return c.json(errorBodyOf(err.code, err.message, err.extras), statusOf(err.code), headers)
}

/** The closed code of a status Hono itself raised (a malformed JSON body, a body limit). */
function codeOfStatus(status: number): ErrorCode {
  const codes: Partial<Record<number, ErrorCode>> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    416: 'range_not_satisfiable',
    422: 'unprocessable',
    429: 'rate_limited',
  }
  return codes[status] ?? (status >= 500 ? 'internal' : 'bad_request')
}

/** Maps every thrown error to its response; anything unknown is logged and answered 500. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof DomainError) return errorResponse(c, err)
  if (err instanceof ZodError) {
    const issues = err.issues.map(({ path, message }) => ({
      path: path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message,
    }))
    const message = issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')
    return errorResponse(c, new DomainError('invalid_request', message, { issues }))
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = codeOfStatus(err.status)
    if (code !== 'rate_limited') return errorResponse(c, new DomainError(code, err.message))
  }
  console.error('unhandled error', err)
  return errorResponse(c, new DomainError('internal', 'Something went wrong on our side.'))
}

/** Unknown API paths answer 404 JSON. */
export const onNotFound: NotFoundHandler = (c) =>
  errorResponse(c, new DomainError('not_found', `No route for ${c.req.method} ${c.req.path}`))
