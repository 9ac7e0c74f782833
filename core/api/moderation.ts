// The API's moderation resources: the artist's queue, the audit log, the public remixes.
import type { LicenceCheck } from '../moderation/licence-check.ts'
import type { ModerationAction, RemixStatus } from '../moderation/rules.ts'

/** Who did something in the audit log; a report from someone not signed in has no id. */
export type Actor = { id: string | null; name: string }

/** One open report on a remix. */
export type ReportView = { id: string; reason: string; at: string }

/** A remix in the artist's queue: waiting for approval, or reported, or both. */
export type QueueItem = {
  kind: 'approval' | 'report'
  remix: { id: string; title: string; fan: string; status: RemixStatus; campaignSlug: string }
  exportId: string
  audioUrl: string
  recipeSummary: string[]
  licenceCheck: LicenceCheck
  reports: ReportView[]
}

/** One line of the append-only moderation log. */
export type AuditEntry = {
  id: string
  at: string
  actor: Actor
  action: ModerationAction
  campaignId: string
  remixId: string
  exportId: string | null
  reason: string | null
}

/**
 * A remix that is out in public, or was until the artist took it down, for the artist's list of
 * public remixes: its latest ready export, and how many reports on it are still open.
 */
export type PublicRemix = {
  remixId: string
  title: string
  fan: string
  status: Extract<RemixStatus, 'published' | 'taken_down'>
  openReports: number
  campaignId: string
  campaignSlug: string
  exportId: string
  exportedAt: string
}
