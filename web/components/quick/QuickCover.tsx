import { useEffect, useMemo, useRef, useState } from 'react'
import { COVER_SOURCE, artworkFeatures, planOf } from '../../../core/artwork/request.ts'
import type { CampaignDetail } from '../../../core/api/campaigns.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import { loadSource, paintArtwork, type ArtworkSource } from '../../artwork/render.ts'

/** Side of the cover drawn on the page. */
const SIZE = 240

/**
 * A quick remix's cover: the first artwork variant for its seed from the campaign's own cover and
 * the music's features, drawn by core's rasterizer (what the worker renders when it is saved).
 * Nothing when the campaign has no cover image to work from.
 */
export function QuickCover(props: { campaign: CampaignDetail; recipe: Recipe; seed: number }) {
  const { campaign, recipe, seed } = props
  const ref = useRef<HTMLCanvasElement>(null)
  const [source, setSource] = useState<ArtworkSource | string | null>(null)
  useEffect(() => {
    if (!campaign.artworkUrl) return
    const abort = new AbortController()
    loadSource(campaign.artworkUrl, abort.signal).then(setSource, (err: Error) => {
      if (!abort.signal.aborted) setSource(err.message)
    })
    return () => abort.abort()
  }, [campaign.artworkUrl])
  const plan = useMemo(
    () => planOf(artworkFeatures(campaign, campaign.stems, recipe.tempo), quickArtwork(seed)),
    [campaign, recipe.tempo, seed],
  )
  useEffect(() => {
    if (ref.current && typeof source === 'object' && source)
      paintArtwork(ref.current, plan, SIZE, [source])
  }, [plan, source])
  if (!campaign.artworkUrl) return null
  if (typeof source === 'string') return <p className="muted small">No cover: {source}</p>
  return (
    <canvas
      ref={ref}
      className="quick-cover"
      width={SIZE}
      height={SIZE}
      role="img"
      aria-label="The cover made for this remix"
      data-testid="quick-cover"
    />
  )
}

/** The artwork request quick mode saves with its remix: variant 0 of its seed, from the cover. */
export const quickArtwork = (seed: number) => ({
  seed,
  variant: 0,
  words: '',
  sources: [COVER_SOURCE],
})
