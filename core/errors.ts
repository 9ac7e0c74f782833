import type { ErrorCode, ExtrasArgs, ExtrasOf } from './api/errors.ts'

/**
 * An error with one of the API's closed codes (core/api/errors.ts), a sentence for people and the
 * fields its code carries. Core throws it for broken invariants; the worker's `onError` answers it.
 */
export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C
  readonly extras: ExtrasOf<C> | undefined
  constructor(code: C, message: string, ...extras: ExtrasArgs<C>) {
    super(message)
    this.name = 'DomainError'
    this.code = code
    this.extras = extras[0]
  }
}
