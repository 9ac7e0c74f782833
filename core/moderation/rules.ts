import type { ExportApproval } from '../api/exports.ts'

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

const refused = (message: string) => ({ allowed: false as const, message })

/**
 * What a takedown does to a remix: it applies to a submitted or published remix, and taking down
 * a taken-down remix again changes nothing. (Approve and reject are decisions on one export:
 * {@link approvalAfter}.)
 */
export function takedownOf(status: RemixStatus): Transition {
  if (status === 'taken_down') return { allowed: true, status, changed: false }
  if (status === 'submitted' || status === 'published')
    return { allowed: true, status: 'taken_down', changed: true }
  return refused(`Only a shared or submitted remix can be taken down; this one is a draft.`)
}

/** An approval decision's outcome on one export: its new approval, or why not. */
export type ApprovalTransition =
  { allowed: true; approval: 'approved' | 'rejected' } | { allowed: false; message: string }

/** Approve and reject apply to an export waiting for approval only, each export on its own. */
export function approvalAfter(
  approval: ExportApproval,
  decision: 'approve' | 'reject',
): ApprovalTransition {
  if (approval === 'pending')
    return { allowed: true, approval: decision === 'approve' ? 'approved' : 'rejected' }
  return refused(
    `Only an export waiting for approval can be ${decision === 'approve' ? 'approved' : 'rejected'}; this one ${APPROVAL_WORDS[approval]}.`,
  )
}

const APPROVAL_WORDS: Record<ExportApproval, string> = {
  none: 'needs no approval',
  pending: 'is waiting for approval',
  approved: 'is already approved',
  rejected: 'is already rejected',
}
