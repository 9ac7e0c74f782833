import type { ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { DomainError, type DomainErrorCode } from '../core/errors.ts'

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  invalid_audio: 400,
  unprocessable: 422,
}

/** The error body every failure answers with. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } }
}

/** The one place errors become responses: `{ error: { code, message } }`. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof DomainError) return c.json(errorBody(err.code, err.message), STATUS[err.code])
  if (err instanceof ZodError)
    return c.json(
      {
        error: {
          code: 'invalid_request',
          message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
          issues: err.issues.map(({ path, message }) => ({ path, message })),
        },
      },
      400,
    )
  if (err instanceof HTTPException) return c.json(errorBody('http_error', err.message), err.status)
  console.error('unhandled error', err)
  return c.json(errorBody('internal', 'Something went wrong on our side.'), 500)
}

/** Unknown API paths answer 404 JSON. */
export const onNotFound: NotFoundHandler = (c) =>
  c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404)
