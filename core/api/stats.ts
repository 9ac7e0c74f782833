// The API's numbers: an artist's campaign stats and a fan's own.
import type { BasisPoints } from '../units.ts'

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
