// The API's authoring resources: an artist's campaign while it is written, its stems and uploads.
import type { Missing } from '../campaign/authoring.ts'
import type { StemRole } from '../campaign/manifest.ts'
import type { PublishBlock, StemMatchView } from '../consent/verification.ts'
import type { Contributor, Splits } from '../credits/splits.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { Decibels, Hertz, Samples, BPM } from '../units.ts'
import type { Markability } from '../watermark/markability.ts'
import type { CampaignImage, CampaignStatus } from './campaigns.ts'

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
  /** Whether this stem alone carries the export watermark, once measured at ingest. */
  markability: Markability | null
}

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
  /** What publishing still needs, each with the step that fixes it; empty when complete. */
  missing: Missing[]
  /** What consent still blocks: the owner's verification, suspension, uncleared matches. */
  blocks: PublishBlock[]
  /** Fingerprint matches of this campaign's stems against other campaigns' recordings. */
  matches: StemMatchView[]
  nullTest: { residualDb: Decibels; fileName: string } | null
  /** Whether the default mix carries the export watermark, once measured at ingest. */
  markability: Markability | null
  shareUrl: string // the public page, /c/:slug
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
