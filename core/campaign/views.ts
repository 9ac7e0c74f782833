import type { BarRange, CampaignAnalysis, Loudness } from '../analysis/types.ts'
import type { Contributor, Splits } from '../credits/splits.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { PublishBlock, StemMatchView } from '../consent/verification.ts'
import type { RemixModeration } from '../moderation/rules.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { BasisPoints, BPM, Decibels, Hertz, Samples } from '../units.ts'
import type { CampaignStatus } from './authoring.ts'
import type { StemRole } from './manifest.ts'

export type { CampaignStatus }

/** Per-stem analysis: the campaign's tempo and key, levels, and once analysed, loudness and activity. */
export type StemAnalysis = {
  tempo: BPM
  key: string
  peakDbfs: number
  rmsDbfs: number
  /** EBU R128 measurements of the stem alone (core/analysis). */
  loudness?: Loudness
  /** Bars of the campaign's grid where the stem is audible. */
  activity?: BarRange[]
}

export type { BarRange, CampaignAnalysis, Loudness, Section } from '../analysis/types.ts'

/** A stem as the API shows it. */
export type StemView = {
  id: string
  name: string
  role: StemRole
  isVoice: boolean
  format: string
  sampleRate: Hertz
  channels: number
  lengthSamples: Samples
  sha256: string
  isrc: string | null
  rightsHolders: string[]
  analysis: StemAnalysis
  audioUrl: string
  peaksUrl: string
}

/** A campaign in a list. */
export type CampaignSummary = {
  id: string
  slug: string
  title: string
  artist: string
  description: string
  status: CampaignStatus
  artworkUrl: string | null
  opensAt: string
  closesAt: string
}

/** A campaign with everything its page shows. */
export type CampaignDetail = CampaignSummary & {
  tempo: BPM
  key: string
  timeSignature: [number, number]
  sampleRate: Hertz
  iswc: string | null
  credits: Contributor[]
  splits: Splits
  licence: LicencePolicy
  licenceSummary: string[]
  stems: StemView[]
  /** Extra official images fans may remix. */
  images: CampaignImage[]
  /** Beat grid, key, sections and loudness of the full mix; null until analysed. */
  analysis: CampaignAnalysis | null
  /** An admin suspended the artist: no new remixes or exports until reinstated. */
  artistSuspended: boolean
}

/** A stem as its artist sees it while authoring: what the worker read from the master, and ingest state. */
export type AuthorStem = {
  id: string
  position: number
  name: string
  role: StemRole
  isVoice: boolean
  isrc: string | null
  rightsHolders: string[]
  fileName: string
  status: 'processing' | 'ready' | 'failed'
  error: string | null
  format: 'wav' | 'flac'
  sampleRate: Hertz
  channels: number
  bitDepth: number
  lengthSamples: Samples
  /** Mismatch with the campaign's other stems, in words: what to fix (core/campaign/stem-shape.ts). */
  problem: string | null
  /** The fans' rendition and peaks, once ready. */
  audioUrl: string | null
  peaksUrl: string | null
}

/** An extra official image of a campaign that fans may remix. */
export type CampaignImage = { id: string; url: string }

/** A campaign as its artist sees it while authoring, draft or published. */
export type AuthorCampaign = {
  id: string
  slug: string
  title: string
  artist: string
  description: string
  status: CampaignStatus
  opensAt: string | null
  closesAt: string | null
  tempo: BPM
  musicalKey: string
  timeSignature: [number, number]
  sampleRate: Hertz | null
  lengthSamples: Samples | null
  artworkUrl: string | null
  images: CampaignImage[]
  stems: AuthorStem[]
  licence: LicencePolicy | null
  licenceVersion: number // 0 until a licence is set
  splits: Splits | null
  credits: Contributor[]
  /** What publishing still needs, one sentence each; empty when complete. */
  missing: string[]
  /** What consent still blocks: the owner's verification, suspension, uncleared matches. */
  blocks: PublishBlock[]
  /** Fingerprint matches of this campaign's stems against other campaigns' recordings. */
  matches: StemMatchView[]
  nullTest: { residualDb: Decibels; fileName: string } | null
  shareUrl: string // the public page, /c/:slug
}

/** One version of a campaign's licence; exports keep the version they were made under. */
export type LicenceVersionView = {
  version: number
  createdAt: string
  policy: LicencePolicy
  summary: string[]
}

/** The signed-in user. */
export type UserView = {
  id: string
  email: string
  displayName: string
  role: 'fan' | 'artist' | 'admin'
}

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
  downloads: { wav: string; mp3: string; expiresAt: string } | null
  /** The artist's decision on this export, and the reason of a rejection. */
  approval: ExportApproval
  approvalReason: string | null
}

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
}

export type { Statement, StatementParty } from '../credits/statement.ts'

/** A campaign's numbers for its artist: the last 30 days, all-time totals, stems and top remixes. */
export type CampaignStats = {
  days: { date: string; plays: number; exports: number; downloads: number }[] // oldest first, UTC
  /** All time: counted (paid) plays, exports and downloads; held ones apart (caps, not paid). */
  totals: {
    plays: number
    exports: number
    downloads: number
    heldPlays: number
    heldDownloads: number
  }
  stemUsage: { stem: string; name: string; bps: BasisPoints }[] // mean over ready exports
  topRemixes: { exportId: string; title: string; fan: string; plays: number }[] // top 10
}

/** A fan's own numbers: their ready exports and the cut each campaign shares with remixers. */
export type FanStats = {
  remixes: { exportId: string; title: string; campaign: string; plays: number; downloads: number }[]
  creatorShares: { campaign: string; title: string; fanCreatorBps: BasisPoints }[]
}

/** Which kind of file an artist uploads: a stem master, or the full reference mix for the null test. */
export type UploadKind = 'stem' | 'reference'

/** A multipart upload of a master, as the worker reports it (the parts already in R2, for resuming). */
export type UploadView = {
  id: string
  campaignId: string
  kind: UploadKind
  fileName: string
  size: number
  partSize: number
  partCount: number
  uploadedParts: number[]
  status: 'open' | 'completed' | 'aborted'
}
