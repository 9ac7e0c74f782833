import type { LicencePolicy } from '../licence/policy.ts'

/** Where a remix stands: private draft, waiting for the artist, public, or taken down. */
export type RemixStatus = 'draft' | 'submitted' | 'published' | 'taken_down'

/** What an artist (or admin) decides about a remix. */
export type ModerationDecision = 'approve' | 'reject' | 'takedown'

/** Everything the audit log records: decisions, submissions, reports and dismissed reports. */
export type ModerationAction = ModerationDecision | 'submit' | 'report' | 'dismiss'

/** The last decision on a remix, as its fan sees it. */
export type RemixModeration = { action: ModerationDecision; reason: string | null; at: string }

/** A decision's outcome: the status it leads to (unchanged when it is a repeat), or why not. */
export type Transition =
  { allowed: true; status: RemixStatus; changed: boolean } | { allowed: false; message: string }

/** Whether a licence makes the artist approve remixes before they are shared. */
export function needsApproval(policy: LicencePolicy): boolean {
  return policy.duties.some((d) => d.action === 'obtainApproval')
}

/**
 * The status a remix takes when its fan exports it: it waits for the artist when the licence
 * asks for approval (again after an earlier approval: the new export has not been heard), and is
 * public otherwise. A taken-down remix stays down.
 */
export function statusAfterExport(policy: LicencePolicy, current: RemixStatus): RemixStatus {
  if (current === 'taken_down') return current
  return needsApproval(policy) ? 'submitted' : 'published'
}

const refused = (message: string): Transition => ({ allowed: false, message })
const to = (status: RemixStatus, changed = true): Transition => ({ allowed: true, status, changed })

/**
 * Where a decision takes a remix. Approve and reject apply to a submitted remix only (a rejected
 * one goes back to its fan as a draft); takedown applies to a submitted or published remix, and
 * taking down a taken-down remix again changes nothing.
 */
export function transitionOf(status: RemixStatus, decision: ModerationDecision): Transition {
  switch (decision) {
    case 'approve':
    case 'reject':
      if (status === 'submitted') return to(decision === 'approve' ? 'published' : 'draft')
      return refused(
        `Only a remix waiting for approval can be ${decision === 'approve' ? 'approved' : 'rejected'}; this one is ${STATUS_WORDS[status]}.`,
      )
    case 'takedown':
      if (status === 'taken_down') return to(status, false)
      if (status === 'submitted' || status === 'published') return to('taken_down')
      return refused(`Only a shared or submitted remix can be taken down; this one is a draft.`)
  }
}

const STATUS_WORDS: Record<RemixStatus, string> = {
  draft: 'a draft',
  submitted: 'waiting for approval',
  published: 'already published',
  taken_down: 'taken down',
}
