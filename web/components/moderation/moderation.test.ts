import { describe, expect, it } from 'vitest'
import { reasonProblem } from './moderation.ts'

describe('moderation', () => {
  it('asks for a reason of 3 to 500 characters, spaces aside', () => {
    expect(reasonProblem('')).toMatch(/Give a reason/)
    expect(reasonProblem('  ab  ')).toMatch(/3 characters/)
    expect(reasonProblem('abc')).toBeNull()
    expect(reasonProblem('x'.repeat(501))).toMatch(/500/)
  })
})
