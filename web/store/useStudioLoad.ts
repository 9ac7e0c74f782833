import { useEffect, useState } from 'react'
import type { Peaks } from '../../core/audio/peaks.ts'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import type { UserView } from '../../core/api/users.ts'
import { api } from '../api.ts'
import { StudioEngine } from '../audio/engine.ts'
import { takeStudioStart } from '../studio/preload.ts'
import { ApiError } from '../request.ts'

/**
 * What the studio needs before it opens: the campaign, the saved remix if any, who is signed in,
 * and the engine, already streaming the stems; the stems' peaks follow (empty until they are in).
 */
export type StudioData = {
  campaign: CampaignDetail
  remix: RemixView | null
  user: UserView | null
  peaks: Map<string, Peaks>
  engine: StudioEngine
}

/** Where loading the studio stands. */
export type StudioLoad =
  { status: 'fetching' } | { status: 'error'; message: string } | ({ status: 'ready' } & StudioData)

/** Loads a new remix of a campaign (`slug`) or a saved one (`remixId`), with every stem's peaks. */
export function useStudioLoad(slug: string | undefined, remixId: string | undefined): StudioLoad {
  const [state, setState] = useState<StudioLoad>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    const { signal } = abort
    let engine: StudioEngine | undefined
    ;(async () => {
      // Opened by its address, the studio's campaign, peaks and first bytes are already on their way.
      const early = remixId ? undefined : takeStudioStart(slug!)
      // Who is signed in is asked alongside the campaign, not before it.
      const user = early
        ? early.then((e) => e.user).catch(() => null)
        : api
            .me(signal)
            .then((r) => r.user)
            .catch(() => null)
      const remix = remixId ? (await api.remix(remixId, signal)).remix : null
      const started = await early
      const { campaign } = started ?? (await api.campaign(remix?.campaign ?? slug!, signal))
      // Peaks draw the waveforms, not Play: the studio opens without them and draws them all at
      // once when they are in (a stem whose peaks fail shows no waveform).
      const peaks = Promise.all(
        campaign.stems.map(async (s) => {
          const p = started?.peaks.get(s.id) ?? api.peaks(s.peaksUrl, signal)
          return [s.id, await p.catch(() => undefined)] as const
        }),
      )
      // The stems' first seconds load from now on, alongside their peaks and the studio's first
      // render; the rests once Play sounds or the studio has painted and is idle (Studio lets them
      // go), and the peaks are in.
      engine = new StudioEngine(
        campaign.stems.map((s) => ({ id: s.id, url: s.audioUrl })),
        { heads: started?.heads, holdRest: true, restAfter: peaks },
      )
      void engine.load()
      const ready = { status: 'ready', campaign, remix, user: await user, engine } as const
      setState({ ...ready, peaks: new Map() })
      document.title = `${remix?.title ?? 'New remix'} · ${campaign.title} · Stemfair studio`
      const drawn = new Map<string, Peaks>()
      for (const [id, p] of await peaks) if (p) drawn.set(id, p)
      // drawing every waveform re-renders the studio: when nothing waits, not before a Play click
      await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 500 }))
      if (!signal.aborted) setState({ ...ready, peaks: drawn })
    })().catch((err: Error) => {
      if (signal.aborted) return
      const message =
        err instanceof ApiError && err.status === 403
          ? 'This remix belongs to someone else.'
          : err.message
      setState({ status: 'error', message })
    })
    return () => {
      abort.abort()
      engine?.dispose()
    }
  }, [slug, remixId])
  return state
}
