import { describe, expect, it } from 'vitest'
import { DomainError } from '../errors.ts'
import { ERROR_STATUS, errorBodyOf, isErrorCode, statusOf, type ErrorCode } from './errors.ts'

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[]

describe('the error table', () => {
  it('gives every code a 4xx, except an unexpected crash and a missing or failing provider', () => {
    const serverSide = CODES.filter((code) => statusOf(code) >= 500).sort()
    expect(serverSide).toEqual(['internal', 'provider_failed', 'provider_unavailable'])
    for (const code of CODES) {
      const status = statusOf(code)
      expect(status >= 400 && status < 600, `${code} → ${status}`).toBe(true)
    }
    expect(statusOf('internal')).toBe(500)
    expect(statusOf('provider_unavailable')).toBe(503)
  })

  it('answers the statuses the routes always answered', () => {
    expect(statusOf('invalid_request')).toBe(400)
    expect(statusOf('unauthorized')).toBe(401)
    expect(statusOf('foreign_origin')).toBe(403)
    expect(statusOf('slug_taken')).toBe(409)
    expect(statusOf('gone')).toBe(410)
    expect(statusOf('incomplete')).toBe(422)
    expect(statusOf('licence_violation')).toBe(422)
    expect(statusOf('rate_limited')).toBe(429)
    expect(statusOf('unavailable_in_territory')).toBe(451)
  })

  it('is closed: only listed codes are codes', () => {
    expect(isErrorCode('not_found')).toBe(true)
    expect(isErrorCode('http_error')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
    expect(isErrorCode(404)).toBe(false)
  })
})

describe('the envelope', () => {
  it('is { error: { code, message } } for a code without fields', () => {
    expect(errorBodyOf('gone', 'This remix was taken down.')).toEqual({
      error: { code: 'gone', message: 'This remix was taken down.' },
    })
  })

  it('carries the fields of its code beside code and message', () => {
    const body = errorBodyOf('conflict', 'Saved elsewhere.', { current: 3 })
    expect(body).toEqual({ error: { code: 'conflict', message: 'Saved elsewhere.', current: 3 } })
    const limited = errorBodyOf('rate_limited', 'Slow down.', { retryAfter: 60 })
    expect(limited.error.retryAfter).toBe(60)
  })

  it('never lets a field override the code or the message', () => {
    const sneaky = { issues: [], code: 'internal', message: 'x' } as unknown as {
      issues: never[]
    }
    expect(errorBodyOf('invalid_request', 'Bad body.', sneaky).error).toMatchObject({
      code: 'invalid_request',
      message: 'Bad body.',
    })
  })

  it('is what a DomainError holds: its code, its message and its fields', () => {
    const err = new DomainError('incomplete', 'Not yet.', { missing: ['Artwork.'], reasons: [] })
    expect(errorBodyOf(err.code, err.message, err.extras)).toEqual({
      error: { code: 'incomplete', message: 'Not yet.', missing: ['Artwork.'], reasons: [] },
    })
    expect(new DomainError('not_found', 'No such remix.').extras).toBeUndefined()
  })
})
