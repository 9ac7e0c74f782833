// The API's campaign resources: lists, pages, stems and licence versions.
import type { BarRange, CampaignAnalysis, Loudness } from '../analysis/types.ts'
import type { StemRole } from '../campaign/manifest.ts'
import type { Contributor, Splits } from '../credits/splits.ts'
import type { ExportNotice } from '../campaign/markability.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { BPM, Hertz, Samples } from '../units.ts'

import type { CampaignStatus } from '../campaign/authoring.ts'
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
  /** What fans are told before exporting when exports are not watermarked, or not offered. */
  exportNotice: ExportNotice | null
}

/** An extra official image of a campaign that fans may remix. */
export type CampaignImage = { id: string; url: string }

/** One version of a campaign's licence; exports keep the version they were made under. */
export type LicenceVersionView = {
  version: number
  createdAt: string
  policy: LicencePolicy
  summary: string[]
}
