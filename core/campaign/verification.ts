import type { Contributor } from '../credits/splits.ts'
import type { NormalRange } from '../units.ts'
import type { ExportStatus, RemixView } from './views.ts'

/** Where a verified file stands now: its export's state, or taken down with its remix. */
export type VerifiedStatus = ExportStatus | 'taken_down'

/** What `POST /api/verify` found in a file: the Stemfair export it came from, or nothing. */
export type Verification =
  | {
      found: true
      confidence: NormalRange
      export: { id: string; createdAt: string; formats: ('wav' | 'mp3')[] }
      remix: { id: string; title: string; status: RemixView['status'] }
      campaign: { slug: string; title: string; artist: string }
      fan: { name: string }
      licence: { uid: string; version: number; url: string; summary: string[] }
      credits: Contributor[]
      status: VerifiedStatus
      shareUrl: string
    }
  | { found: false; message: string }

/** Largest file `POST /api/verify` accepts: over five minutes of 16-bit stereo WAV at 48 kHz. */
export const MAX_VERIFY_BYTES = 60 * 1024 * 1024

/** The answer for a file that carries no watermark of ours, or one of no export we know. */
export const NOT_FOUND_MESSAGE = 'No Stemfair watermark found'
