import type { AuditEntry } from '../../../core/api/moderation.ts'

/** The shortest and longest reason the worker accepts for a rejection, takedown or report. */
export const REASON_LENGTH = { min: 3, max: 500 } as const

/** What is wrong with a typed reason, or null when it can be sent. */
export function reasonProblem(reason: string): string | null {
  const n = reason.trim().length
  if (n < REASON_LENGTH.min) return `Give a reason (${REASON_LENGTH.min} characters or more).`
  if (n > REASON_LENGTH.max) return `Keep the reason to ${REASON_LENGTH.max} characters.`
  return null
}

/** Each logged action in words, for the audit table. */
export const ACTION_WORDS: Record<AuditEntry['action'], string> = {
  submit: 'exported',
  approve: 'approved',
  reject: 'rejected',
  takedown: 'took down',
  report: 'reported',
  dismiss: 'dismissed a report',
}
