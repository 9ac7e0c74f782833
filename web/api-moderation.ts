import type { ExportView } from '../core/api/exports.ts'
import type { RemixView } from '../core/api/remixes.ts'
import type { AuditEntry, PublicRemix, QueueItem } from '../core/api/moderation.ts'
import { jsonInit, request } from './request.ts'

export type { AuditEntry, PublicRemix, QueueItem }

const remixPath = (id: string, action: string) =>
  `/api/artist/remixes/${encodeURIComponent(id)}/${action}`

const exportPath = (id: string, action: string) =>
  `/api/artist/exports/${encodeURIComponent(id)}/${action}`

const ofCampaign = (path: string, campaignId?: string) =>
  campaignId ? `${path}?${new URLSearchParams({ campaign: campaignId })}` : path

/**
 * Typed client of the moderation routes: the artist's queue, public remixes, decisions, audit log
 * and reports.
 */
export const moderationApi = {
  /** The artist's own campaigns (all for an admin), to name them in the log and filter it. */
  campaigns: (signal?: AbortSignal) =>
    request<{ campaigns: { id: string; slug: string; title: string }[] }>(
      '/api/artist/campaigns',
      undefined,
      signal,
    ),
  queue: (signal?: AbortSignal) =>
    request<{ items: QueueItem[] }>('/api/artist/queue', undefined, signal),
  /** Published and taken-down remixes, newest export first: of one campaign, or of all. */
  remixes: (campaignId?: string, signal?: AbortSignal) =>
    request<{ remixes: PublicRemix[] }>(
      ofCampaign('/api/artist/remixes', campaignId),
      undefined,
      signal,
    ),
  /** Decisions are on one export: the one the artist heard. Nothing else of its remix follows. */
  approve: (exportId: string) =>
    request<{ export: ExportView; remix: RemixView }>(
      exportPath(exportId, 'approve'),
      jsonInit({}),
    ),
  reject: (exportId: string, reason: string) =>
    request<{ export: ExportView; remix: RemixView }>(
      exportPath(exportId, 'reject'),
      jsonInit({ reason }),
    ),
  takedown: (remixId: string, reason: string) =>
    request<{ remix: RemixView }>(remixPath(remixId, 'takedown'), jsonInit({ reason })),
  dismissReport: (reportId: string, reason?: string) =>
    request<{ report: { id: string; resolved: boolean } }>(
      `/api/artist/reports/${encodeURIComponent(reportId)}/dismiss`,
      jsonInit(reason ? { reason } : {}),
    ),
  audit: (campaignId?: string, signal?: AbortSignal) =>
    request<{ entries: AuditEntry[] }>(
      ofCampaign('/api/artist/audit', campaignId),
      undefined,
      signal,
    ),
  /** Anyone, signed in or not: a reason why a shared remix should come down (429 when too many). */
  report: (exportId: string, reason: string) =>
    request<{ report: { id: string } }>(
      `/api/share/${encodeURIComponent(exportId)}/reports`,
      jsonInit({ reason }),
    ),
}
