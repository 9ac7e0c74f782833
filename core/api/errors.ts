// The API's errors: a closed list of codes, each with its HTTP status and the fields it carries.
import type { PublishBlock } from '../consent/verification.ts'
import type { Violation } from '../licence/evaluate.ts'
import type { Missing } from '../campaign/authoring.ts'

/** Every code an API error can have, with its status. Nothing answers a code not listed here. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_request: 400,
  invalid_recipe: 400,
  invalid_audio: 400,
  unauthorized: 401,
  forbidden: 403,
  foreign_origin: 403,
  not_public: 403,
  ticket_invalid: 403,
  ticket_expired: 403,
  ticket_mismatch: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  slug_taken: 409,
  ticket_used: 409,
  too_early: 409,
  not_enough_audio: 409,
  gone: 410,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unprocessable: 422,
  incomplete: 422,
  licence_violation: 422,
  model_output_invalid: 422,
  patch_invalid: 422,
  rate_limited: 429,
  unavailable_in_territory: 451,
  internal: 500,
  provider_unavailable: 503,
  provider_failed: 503,
} as const satisfies Record<
  string,
  400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 416 | 422 | 429 | 451 | 500 | 503
>

/** A code an API error can have. */
export type ErrorCode = keyof typeof ERROR_STATUS

/** The HTTP status of an error code. */
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode]

/** Where in the request a validation problem is, and what it is. */
export type Issue = { path: (string | number)[]; message: string }

/** Why a draft cannot be published: what it still lacks, or what consent still blocks. */
export type PublishReason = PublishBlock | Missing

/** The fields an error carries beside `code` and `message`, per code; other codes carry none. */
export type ErrorExtras = {
  invalid_request: { issues: Issue[] }
  invalid_recipe: { issues: Issue[] }
  patch_invalid: { issues: Issue[] }
  /** The version the server has, when the conflict is a stale save. */
  conflict: { current?: number }
  /** What is missing in words, and the same as structured reasons, consent first. */
  incomplete: { missing: string[]; reasons: PublishReason[] }
  licence_violation: { violations: Violation[] }
  /** Seconds until the next request is allowed (also the Retry-After header). */
  rate_limited: { retryAfter: number }
}

/** The extra fields of code `C` (an empty object for codes that have none). */
export type ExtrasOf<C extends ErrorCode> = C extends keyof ErrorExtras
  ? ErrorExtras[C]
  : Record<never, never>

/** The extras argument for code `C`: required when the code has required fields. */
export type ExtrasArgs<C extends ErrorCode> =
  Record<never, never> extends ExtrasOf<C> ? [extras?: ExtrasOf<C>] : [extras: ExtrasOf<C>]

/** The `error` member of an error body with code `C`. */
export type ApiErrorOf<C extends ErrorCode> = { code: C; message: string } & ExtrasOf<C>

/** Any error's `error` member, discriminated by `code`. */
export type AnyApiError = { [C in ErrorCode]: ApiErrorOf<C> }[ErrorCode]

/** The body of every error response. */
export type ErrorBody = { error: AnyApiError }

/** The status an error code answers with. */
export function statusOf(code: ErrorCode): ErrorStatus {
  return ERROR_STATUS[code]
}

/** Whether a string is one of the closed codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code)
}

/**
 * The one way an error body is built: `{ error: { code, message, ...extras } }`. A DomainError
 * (core/errors.ts) is where required extras are enforced.
 */
export function errorBodyOf<C extends ErrorCode>(
  code: C,
  message: string,
  extras?: ExtrasOf<C>,
): { error: ApiErrorOf<C> } {
  return { error: { ...extras, code, message } as ApiErrorOf<C> }
}
