// The API's remix resources: a fan's remix, their list, and the public list of a campaign.
import type { RemixModeration } from '../moderation/rules.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { ExportApproval, ExportStatus } from './exports.ts'

/** A fan's remix: its recipe, the version the next save must name, and where it is in moderation. */
export type RemixView = {
  id: string
  campaign: string // the campaign's slug
  ownerId: string
  ownerName: string
  title: string
  recipe: Recipe
  version: number
  status: 'draft' | 'submitted' | 'published' | 'taken_down'
  /** The artist's last decision on it, with the reason the fan sees (a rejection, a takedown). */
  moderation: RemixModeration | null
  createdAt: string
  updatedAt: string
}

/** A remix in its owner's list ("My remixes"): where it stands, its latest export and its counts. */
export type MyRemixView = Omit<RemixView, 'recipe'> & {
  exports: number
  latestExport: {
    id: string
    status: ExportStatus
    reason: string | null
    createdAt: string
    /** The artist's decision on this very export, and the reason of a rejection. */
    approval: ExportApproval
    approvalReason: string | null
  } | null
  /** The public page of its latest ready export, when there is one. */
  shareUrl: string | null
  plays: number
  downloads: number
}

/** A published remix as the campaign page lists it. */
export type PublicRemixView = {
  exportId: string
  title: string
  fan: string
  shareUrl: string
  plays: number
  createdAt: string
}
