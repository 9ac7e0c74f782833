import { useEffect, useMemo, useRef, useState } from 'react'
import { ARTWORK_SIZE, MAX_WORDS_LENGTH, type ArtworkPlan } from '../../../core/artwork/plan.ts'
import {
  ARTWORK_VARIANTS as VARIANTS,
  COVER_SOURCE,
  artworkFeatures,
  planOf,
} from '../../../core/artwork/request.ts'
import { knownWords } from '../../../core/artwork/words.ts'
import type { CampaignDetail } from '../../../core/api/campaigns.ts'
import type { RemixView } from '../../../core/api/remixes.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import { saveArtworkPlan } from '../../artwork/api.ts'
import { artworkPng, loadSource, paintArtwork, type ArtworkSource } from '../../artwork/render.ts'

/** Thumbnail and preview sizes. */
const THUMB = 160
const PREVIEW = 480

type Source = { id: string; url: string; label: string }

type Props = {
  campaign: CampaignDetail
  recipe: Recipe
  /** The saved remix, or null until it is saved (then artwork cannot be attached yet). */
  remixId: string | null
  /** Whether the remix has unsaved changes (saving artwork updates the saved remix). */
  unsaved: boolean
  onSaved: (remix: RemixView) => void
  onClose: () => void
}

/** The official images a campaign lists: its cover and its public images, nothing else. */
export function sourcesOf(campaign: CampaignDetail): Source[] {
  const cover = campaign.artworkUrl
    ? [{ id: COVER_SOURCE, url: campaign.artworkUrl, label: 'Cover artwork' }]
    : []
  return [
    ...cover,
    ...campaign.images.map((i, n) => ({ id: i.id, url: i.url, label: `Image ${n + 1}` })),
  ]
}

function Thumb({
  plan,
  images,
  size,
  label,
}: {
  plan: ArtworkPlan
  images: ArtworkSource[]
  size: number
  label: string
}) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    if (canvas) paintArtwork(canvas, plan, size, images)
  }, [plan, images, size])
  return <canvas ref={ref} width={size} height={size} aria-label={label} role="img" />
}

/**
 * Artwork remix: seeded variants from the music's features, the fan's words and the campaign's
 * official images, previewed with core's rasterizer (the worker's code, its pixels put into the
 * canvas). "Use as cover art" saves the plan; the worker renders the 3000×3000 PNG from it, and
 * the share page and the export's cover are that render.
 */
export default function ArtworkPanel(props: Props) {
  const { campaign, recipe, remixId, unsaved, onSaved, onClose } = props
  const sources = useMemo(() => sourcesOf(campaign), [campaign])
  const [chosen, setChosen] = useState<string[]>(() => sources.slice(0, 1).map((s) => s.id))
  const [loaded, setLoaded] = useState<Record<string, ArtworkSource | string>>({})
  const [words, setWords] = useState('')
  const [baseSeed, setBaseSeed] = useState(() => Math.floor(Math.random() * 1e9))
  const [picked, setPicked] = useState(0)
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  })

  // Every official image is fetched and decoded once by core's decoders (PNG and JPEG), as the
  // worker does; one it cannot read (WebP, SVG) is offered but disabled, with the reason.
  useEffect(() => {
    const abort = new AbortController()
    for (const s of sources)
      loadSource(s.url, abort.signal).then(
        (source) => setLoaded((l) => ({ ...l, [s.id]: source })),
        (err: Error) => {
          if (!abort.signal.aborted) setLoaded((l) => ({ ...l, [s.id]: err.message }))
        },
      )
    return () => abort.abort()
  }, [sources])

  // The chosen images in the campaign's order: the order they are layered in, here and in the worker.
  const ordered = useMemo(
    () =>
      sources
        .filter((s) => chosen.includes(s.id) && typeof loaded[s.id] !== 'string')
        .map((s) => s.id),
    [sources, chosen, loaded],
  )
  const images = useMemo(
    () =>
      ordered
        .map((id) => loaded[id])
        .filter((s): s is ArtworkSource => typeof s === 'object' && s !== null),
    [ordered, loaded],
  )
  const ready = ordered.length > 0 && images.length === ordered.length

  const features = useMemo(
    () => artworkFeatures(campaign, campaign.stems, recipe.tempo),
    [campaign, recipe.tempo],
  )

  const request = (variant: number) => ({
    seed: baseSeed,
    variant,
    words: words.slice(0, MAX_WORDS_LENGTH),
    sources: ordered,
  })
  const plans = useMemo(
    () =>
      Array.from({ length: VARIANTS }, (_, variant) =>
        planOf(features, {
          seed: baseSeed,
          variant,
          words: words.slice(0, MAX_WORDS_LENGTH),
        }),
      ),
    [features, words, baseSeed],
  )
  const plan = plans[picked]!
  const understood = knownWords(words)

  const download = async () => {
    setStatus({ kind: 'busy', text: 'Rendering 3000×3000…' })
    // Let the status paint before the render takes the main thread.
    await new Promise((resolve) => setTimeout(resolve, 30))
    try {
      const blob = artworkPng(plan, ARTWORK_SIZE, images)
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = `${campaign.slug}-artwork-${plan.seed}.png`
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
      setStatus({ kind: 'done', text: 'Downloaded.' })
    } catch (err) {
      setStatus({ kind: 'error', text: (err as Error).message })
    }
  }

  const save = async () => {
    if (!remixId) return
    setStatus({ kind: 'busy', text: 'Stemfair is rendering your cover…' })
    try {
      const { remix } = await saveArtworkPlan(remixId, request(picked))
      onSaved(remix)
      setStatus({ kind: 'done', text: 'Saved: your exports carry this artwork as cover art.' })
    } catch (err) {
      setStatus({ kind: 'error', text: (err as Error).message })
    }
  }

  const saveBlocked = !remixId
    ? 'Save the remix first.'
    : unsaved
      ? 'Wait until your changes are saved.'
      : ordered.length === 0
        ? 'Pick at least one official image.'
        : !ready
          ? 'Loading the official images…'
          : null

  return (
    <section className="artwork-panel" aria-label="Artwork" data-testid="artwork-panel">
      <header>
        <h3>Artwork remix</h3>
        <button type="button" className="link" onClick={onClose} aria-label="Close the artwork">
          Close
        </button>
      </header>
      <p className="muted small">
        Made by Stemfair (provider: local) from {campaign.title}’s key, tempo and sections, your
        words and the campaign’s official images; the preview here is the same rendering.
      </p>
      {sources.length === 0 ? (
        <p className="small">This campaign lists no official images to remix.</p>
      ) : (
        <fieldset className="small">
          <legend>Official images</legend>
          {sources.map((s) => (
            <label
              key={s.id}
              title={typeof loaded[s.id] === 'string' ? (loaded[s.id] as string) : undefined}
            >
              <input
                type="checkbox"
                disabled={typeof loaded[s.id] === 'string'}
                checked={chosen.includes(s.id) && typeof loaded[s.id] !== 'string'}
                onChange={(e) => {
                  const on = e.currentTarget.checked
                  setChosen((c) => (on ? [...c, s.id] : c.filter((x) => x !== s.id)))
                }}
              />{' '}
              {s.label}
            </label>
          ))}
        </fieldset>
      )}
      <label className="small">
        How did it make you feel?
        <textarea
          value={words}
          maxLength={MAX_WORDS_LENGTH}
          rows={2}
          placeholder="dreamy, floating, gold…"
          onChange={(e) => setWords(e.currentTarget.value)}
          aria-label="Your words"
        />
      </label>
      <p className="muted small" data-testid="artwork-words">
        {understood.length > 0
          ? `Steering with: ${understood.join(', ')}`
          : 'Mood and colour words steer the palette and motion.'}
      </p>
      <div
        className="artwork-variants"
        role="radiogroup"
        aria-label="Variants"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
      >
        {plans.map((p, i) => (
          <button
            key={p.seed}
            type="button"
            role="radio"
            aria-checked={i === picked}
            className={i === picked ? 'picked' : undefined}
            style={{ padding: 2, outline: i === picked ? '3px solid currentColor' : 'none' }}
            onClick={() => setPicked(i)}
            title={`Seed ${p.seed}`}
          >
            <Thumb plan={p} images={images} size={THUMB} label={`Variant ${i + 1}`} />
          </button>
        ))}
      </div>
      <button
        type="button"
        onClick={() => (setBaseSeed((s) => (s + VARIANTS) >>> 0), setPicked(0))}
      >
        New variants
      </button>
      <Thumb plan={plan} images={images} size={PREVIEW} label="Chosen artwork" />
      <div className="row">
        <button type="button" onClick={download} disabled={!ready || status.kind === 'busy'}>
          Download PNG (3000×3000)
        </button>
        <button
          type="button"
          className="primary"
          onClick={save}
          disabled={saveBlocked !== null || status.kind === 'busy'}
          title={saveBlocked ?? 'Attach this artwork to your remix'}
        >
          Use as cover art
        </button>
      </div>
      {status.text && (
        <p className={status.kind === 'error' ? 'error small' : 'muted small'} role="status">
          {status.text}
        </p>
      )}
    </section>
  )
}
