import { describe, expect, it } from 'vitest'
import { ApiError, isRetryable } from './request.ts'

describe('isRetryable', () => {
  it('asks again when the server was not reached, was busy or failed on its side', () => {
    for (const status of [0, 408, 429, 500, 502, 503])
      expect(isRetryable(new ApiError(status, 'internal', 'x')), String(status)).toBe(true)
  })

  it('does not repeat what the request itself got wrong, nor what is not an API error', () => {
    for (const status of [400, 401, 403, 404, 409, 413, 422])
      expect(isRetryable(new ApiError(status, 'bad_request', 'x')), String(status)).toBe(false)
    expect(isRetryable(new Error('boom'))).toBe(false)
  })
})
