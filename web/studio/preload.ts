import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { Peaks } from '../../core/audio/peaks.ts'
import type { UserView } from '../../core/api/users.ts'
import { api, campaignHeadsPath, campaignPath, fetchHeads } from '../api.ts'
import { decodingHeads, type EarlyHead } from '../audio/early.ts'
import { routeFrom } from '../store/route.ts'
import type { EarlyRequest } from './early-start.ts'

/**
 * What a studio opened by its address has already asked for: who is signed in and the campaign,
 * then its stems'.
 */
export type StudioStart = Promise<{
  campaign: CampaignDetail
  user: Promise<UserView | null>
  peaks: ReadonlyMap<string, Promise<Peaks>>
  heads: Promise<ReadonlyMap<string, EarlyHead>>
}>

/**
 * What startStudio asks for first, for index.html's first script to ask for sooner (earlyStart), in
 * the same order: a campaign's heads, the campaign. Not who is signed in: beside the page's own
 * scripts and the studio's chunk it would wait for one of the browser's six connections, and it
 * is in before the studio's code has run anyway.
 */
export function earlyRequests(slug: string): EarlyRequest[] {
  return [{ path: campaignHeadsPath(slug), priority: 'high' }, { path: campaignPath(slug) }]
}

let started: { slug: string; start: StudioStart } | undefined

/**
 * Run by the app's first script: at a studio's address, asks at once for the campaign, who is
 * signed in and every stem's first bytes (one request by the campaign's slug: fetchHeads), decodes
 * those as soon as they are in (in the early AudioContext: earlyContext), then asks for the peaks,
 * all while the studio's own code (Tone.js, the engine, the waveforms) is still on its way.
 * Elsewhere it asks for nothing.
 */
export function startStudio(pathname: string): void {
  const route = routeFrom(pathname)
  if (route.page !== 'studio') return
  // First bytes first: of requests waiting for a connection, the first asked goes first. Asked by
  // the slug beside the campaign, they no longer wait 0.2–0.3 s for its stem ids.
  const heads = quiet(fetchHeads({ campaign: route.slug }).then(decodingHeads))
  const campaign = api.campaign(route.slug)
  // Who is signed in with the campaign: asked after the peaks it waited for a connection 0.8 s.
  const user = api
    .me()
    .then((r) => r.user)
    .catch(() => null)
  const start: StudioStart = campaign.then(({ campaign }) => {
    // the peaks once the first bytes are in: asked beside them, they took the worker and the
    // browser's connections from them (the heads took 0.3 s on the server instead of 0.07)
    const after = heads.catch(() => undefined)
    const peaks = new Map(
      campaign.stems.map((s) => [s.id, quiet(after.then(() => api.peaks(s.peaksUrl)))]),
    )
    return { campaign, user, peaks, heads }
  })
  started = { slug: route.slug, start: quiet(start) }
}

/** What startStudio asked for at this campaign's studio, once: a later visit asks anew. */
export function takeStudioStart(slug: string): StudioStart | undefined {
  if (started?.slug !== slug) return undefined
  const { start } = started
  started = undefined
  return start
}

// Whoever takes a request sees its failure; one never taken is no unhandled rejection.
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}
