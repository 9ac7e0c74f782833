import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../../core/moderation/views.ts'
import { reasonProblem, sharedRemixes } from './moderation.ts'

let n = 0
function entry(
  remixId: string,
  action: AuditEntry['action'],
  minute: number,
  exportId: string | null = null,
): AuditEntry {
  return {
    id: `e${n++}`,
    at: `2026-06-01T12:${String(minute).padStart(2, '0')}:00.000Z`,
    actor: { id: 'u', name: 'U' },
    action,
    campaignId: 'cmp-a',
    remixId,
    exportId,
    reason: null,
  }
}

describe('moderation', () => {
  it('asks for a reason of 3 to 500 characters, spaces aside', () => {
    expect(reasonProblem('')).toMatch(/Give a reason/)
    expect(reasonProblem('  ab  ')).toMatch(/3 characters/)
    expect(reasonProblem('abc')).toBeNull()
    expect(reasonProblem('x'.repeat(501))).toMatch(/500/)
  })

  it('replays the log to the remixes still public, newest first, queued ones left out', () => {
    const log = [
      entry('open', 'submit', 1, 'x-open'), // no approval needed: public at once
      entry('approved', 'submit', 2, 'x-approved-1'),
      entry('approved', 'approve', 3),
      entry('approved', 'submit', 9, 'x-approved-2'), // exported again: the newest export counts
      entry('approved', 'approve', 10),
      entry('down', 'submit', 4, 'x-down'),
      entry('down', 'report', 5, 'x-down'),
      entry('down', 'takedown', 6),
      entry('rejected', 'submit', 5, 'x-rejected'),
      entry('rejected', 'reject', 7),
      entry('waiting', 'submit', 8, 'x-waiting'),
      entry('reported', 'submit', 3, 'x-reported'),
      entry('reported', 'report', 11, 'x-reported'),
      entry('reported', 'dismiss', 12),
    ].reverse() // the worker answers newest first
    const shared = sharedRemixes(log, new Set(['waiting']))
    expect(shared.map((s) => [s.remixId, s.exportId])).toEqual([
      ['reported', 'x-reported'],
      ['approved', 'x-approved-2'],
      ['open', 'x-open'],
    ])
    expect(shared.find((s) => s.remixId === 'approved')!.since).toBe('2026-06-01T12:02:00.000Z')
  })

  it('brings a rejected remix back once its fan exports it again', () => {
    const log = [
      entry('r', 'submit', 1, 'x1'),
      entry('r', 'reject', 2),
      entry('r', 'submit', 3, 'x2'),
      entry('r', 'approve', 4),
    ]
    expect(sharedRemixes(log, new Set())).toEqual([
      { remixId: 'r', exportId: 'x2', campaignId: 'cmp-a', since: '2026-06-01T12:03:00.000Z' },
    ])
  })
})
