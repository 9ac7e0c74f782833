import { describe, expect, it } from 'vitest'
import { parseRange } from './range.ts'

describe('parseRange', () => {
  it('reads open, closed and suffix ranges', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ offset: 0, length: 100 })
    expect(parseRange('bytes=900-', 1000)).toEqual({ offset: 900, length: 100 })
    expect(parseRange('bytes=-10', 1000)).toEqual({ offset: 990, length: 10 })
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ offset: 990, length: 10 })
    expect(parseRange('bytes=-5000', 1000)).toEqual({ offset: 0, length: 1000 })
  })

  it('serves the whole object without a header or for several ranges', () => {
    expect(parseRange(undefined, 1000)).toBeNull()
    expect(parseRange('bytes=0-1, 5-6', 1000)).toBeNull()
  })

  it('refuses malformed and unsatisfiable ranges', () => {
    for (const bad of [
      'bytes=abc',
      'items=0-1',
      'bytes=5-1',
      'bytes=-',
      'bytes=1000-',
      'bytes=-0',
      '0-1',
    ])
      expect(parseRange(bad, 1000), bad).toBe('unsatisfiable')
  })
})
