import type { Contributor } from '../credits/splits.ts'
import type { NormalRange } from '../units.ts'
import type { ExportStatus } from '../api/exports.ts'
import type { RemixView } from '../api/remixes.ts'
import type { OutputFormat } from '../api/formats.ts'

/**
 * Where a verified file stands now: its export's state, taken down with its remix, or ready but
 * not public — waiting for the artist's approval of this export, or not approved.
 */
export type VerifiedStatus = ExportStatus | 'taken_down' | 'awaiting_approval' | 'not_approved'

/** What `POST /api/verify` found in a file: the Stemfair export it came from, or nothing. */
export type Verification =
  | {
      found: true
      confidence: NormalRange
      export: { id: string; createdAt: string; formats: OutputFormat[] }
      remix: { id: string; title: string; status: RemixView['status'] }
      campaign: { slug: string; title: string; artist: string }
      fan: { name: string }
      licence: { uid: string; version: number; url: string; summary: string[] }
      credits: Contributor[]
      status: VerifiedStatus
      shareUrl: string
      /** How the export was recognised: its watermark, or (unwatermarked exports) the file's own hash. */
      by: 'watermark' | 'file-hash'
      /** Why the export carries no watermark, when it carries none. */
      watermarkNote?: string
    }
  | { found: false; message: string }
  | { found: false; message: string; unlicensed: UnlicensedUse }

/** A campaign stem heard in a file that carries no Stemfair watermark (core/fingerprint). */
export type StemUse = {
  stem: { id: string; name: string; isrc: string | null }
  campaign: { slug: string; title: string; artist: string }
  rightsHolders: string[]
  contact: string
  /** Where in the file and where in the stem, in seconds. */
  file: { start: number; end: number }
  inStem: { start: number; end: number }
  strength: NormalRange
  /** Pitch and time-scale of the file relative to the stem. */
  semitones: number
  timeScale: number
}

/** Fingerprint matches without a watermark: use of campaign stems outside any licensed export. */
export type UnlicensedUse = { fileSha256: string; uses: StemUse[] }

/** The answer for a file whose fingerprints match stems but which carries no watermark. */
export const UNLICENSED_MESSAGE =
  'No Stemfair watermark, but the file uses recordings of a Stemfair campaign: ' +
  'this is not a licensed export'

/**
 * The answer for a file with no watermark whose fingerprints match a campaign that releases its
 * exports unwatermarked (its stems cannot carry the mark): the fingerprints cannot tell.
 */
export const UNWATERMARKED_CAMPAIGN_MESSAGE =
  'No Stemfair watermark, and the file uses recordings of a Stemfair campaign whose exports ' +
  'carry none (its stems cannot carry it): this is not an unchanged licensed export, but it ' +
  'may be one re-encoded or edited. Its signed manifest (the link in its tags) decides'

/** Largest file `POST /api/verify` accepts: over five minutes of 16-bit stereo WAV at 48 kHz. */
export const MAX_VERIFY_BYTES = 60 * 1024 * 1024

/** The answer for a file that carries no watermark of ours, or one of no export we know. */
export const NOT_FOUND_MESSAGE = 'No Stemfair watermark found'
