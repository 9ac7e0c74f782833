// The API's export resources: a fan's export and its public share page.
import type { Contributor } from '../credits/splits.ts'
import type { ExportFormat, OutputFormat } from './formats.ts'

/** Where an export is in the pipeline. */
export type ExportStatus = 'queued' | 'processing' | 'ready' | 'rejected'

/**
 * The artist's approval of one export: none needed (its licence asks for none), waiting for the
 * artist, approved, or rejected (with the artist's reason).
 */
export type ExportApproval = 'none' | 'pending' | 'approved' | 'rejected'

/** Where the worker's export job is: rendering reports its progress (0..1) as it goes. */
export type ExportStage = 'queued' | 'rendering' | 'encoding' | 'signing' | 'done'

/** A fan's export: its state and, once ready, short-lived signed download links. */
export type ExportView = {
  id: string
  remixId: string
  remixVersion: number
  campaign: string // the campaign's slug
  status: ExportStatus
  /** The job's stage and how far rendering got (0..1), for the export dialog. */
  stage: ExportStage
  progress: number
  reason: string | null
  createdAt: string
  licenceVersion: number
  /** The formats the fan chose. */
  formats: ExportFormat[]
  /** Once ready: a signed link to each file, with what it is and its size. */
  downloads: { files: DownloadFile[]; expiresAt: string } | null
  /** The artist's decision on this export, and the reason of a rejection. */
  approval: ExportApproval
  approvalReason: string | null
}

/** One file of a ready export, as its fan downloads it. */
export type DownloadFile = { format: OutputFormat; label: string; bytes: number; url: string }

/** What a public share page shows of a ready export. */
export type ShareView = {
  exportId: string
  title: string
  fan: string // the fan's display name
  campaign: { slug: string; title: string; artist: string }
  credits: Contributor[]
  licenceSummary: string[]
  licenceVersion: number
  aiLabel: string
  audioUrl: string
  artworkUrl: string | null // the remix's cover art, when the fan made one
  createdAt: string
  /** An admin suspended the campaign's artist: the page stays, marked, with no new exports. */
  artistSuspended: boolean
  /** Why the files carry no watermark ("not watermarked (…)"), or null: they carry one. */
  watermarkNote: string | null
}
