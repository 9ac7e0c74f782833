/** Codes of broken invariants that core reports; the worker maps them to HTTP statuses. */
export type DomainErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'range_not_satisfiable'
  | 'payload_too_large'
  | 'invalid_audio'
  | 'unprocessable'

/** An error with a machine-readable code and a sentence for people. */
export class DomainError extends Error {
  readonly code: DomainErrorCode
  constructor(code: DomainErrorCode, message: string) {
    super(message)
    this.name = 'DomainError'
    this.code = code
  }
}
