import type { AuditEntry } from '../../../core/moderation/views.ts'

/** The shortest and longest reason the worker accepts for a rejection, takedown or report. */
export const REASON_LENGTH = { min: 3, max: 500 } as const

/** What is wrong with a typed reason, or null when it can be sent. */
export function reasonProblem(reason: string): string | null {
  const n = reason.trim().length
  if (n < REASON_LENGTH.min) return `Give a reason (${REASON_LENGTH.min} characters or more).`
  if (n > REASON_LENGTH.max) return `Keep the reason to ${REASON_LENGTH.max} characters.`
  return null
}

/** A remix that is out in public (or was, until the artist decides), as the audit log tells it. */
export type SharedRemix = { remixId: string; exportId: string; campaignId: string; since: string }

/**
 * Remixes that can still be taken down, replayed from the audit log: an export under an approval
 * licence is logged as a submission, an approval makes it public, a rejection sends it back to
 * its fan and a takedown ends it; a report names the export people saw. Remixes in `inQueue` are
 * left out (the queue shows them already), so a submission not in the queue was made public.
 */
export function sharedRemixes(
  entries: readonly AuditEntry[],
  inQueue: ReadonlySet<string>,
): SharedRemix[] {
  const byTime = [...entries].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
  const state = new Map<
    string,
    { out: boolean; exportId: string | null; campaignId: string; since: string }
  >()
  for (const e of byTime) {
    const s = state.get(e.remixId) ?? {
      out: false,
      exportId: null,
      campaignId: e.campaignId,
      since: e.at,
    }
    if (e.exportId && (e.action === 'submit' || e.action === 'report')) s.exportId = e.exportId
    if (e.action === 'submit' || e.action === 'approve') {
      if (!s.out) s.since = e.at
      s.out = true
    }
    if (e.action === 'reject' || e.action === 'takedown') s.out = false
    state.set(e.remixId, s)
  }
  return [...state]
    .filter(([id, s]) => s.out && s.exportId && !inQueue.has(id))
    .map(([remixId, s]) => ({
      remixId,
      exportId: s.exportId!,
      campaignId: s.campaignId,
      since: s.since,
    }))
    .sort((a, b) => b.since.localeCompare(a.since))
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
