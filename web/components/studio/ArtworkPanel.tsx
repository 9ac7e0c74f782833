import { useEffect, useMemo, useRef, useState } from 'react'
import {
  ARTWORK_SIZE,
  MAX_WORDS_LENGTH,
  energyCurve,
  planArtwork,
  type ArtworkPlan,
} from '../../../core/artwork/plan.ts'
import { knownWords } from '../../../core/artwork/words.ts'
import type { CampaignDetail, RemixView } from '../../../core/campaign/views.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import { uploadArtwork } from '../../artwork/api.ts'
import { artworkPng, loadImage, paintArtwork } from '../../artwork/render.ts'

/** How many variants are offered at once, and their thumbnail size. */
const VARIANTS = 4
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
    ? [{ id: 'cover', url: campaign.artworkUrl, label: 'Cover artwork' }]
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
  images: HTMLImageElement[]
  size: number
  label: string
}) {
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    if (canvas) paintArtwork(canvas.getContext('2d')!, plan, size, images)
  }, [plan, images, size])
  return <canvas ref={ref} width={size} height={size} aria-label={label} role="img" />
}

/**
 * Artwork remix: seeded variants from the music's features, the fan's words and the campaign's
 * official images, rendered in the browser; the chosen one is exported as a 3000×3000 PNG and
 * saved with the remix (the export embeds it as cover art).
 */
export default function ArtworkPanel(props: Props) {
  const { campaign, recipe, remixId, unsaved, onSaved, onClose } = props
  const sources = useMemo(() => sourcesOf(campaign), [campaign])
  const [chosen, setChosen] = useState<string[]>(() => sources.slice(0, 1).map((s) => s.id))
  const [images, setImages] = useState<HTMLImageElement[]>([])
  const [words, setWords] = useState('')
  const [baseSeed, setBaseSeed] = useState(() => Math.floor(Math.random() * 1e9))
  const [picked, setPicked] = useState(0)
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; text: string }>({
    kind: 'idle',
    text: '',
  })

  useEffect(() => {
    let live = true
    const urls = sources.filter((s) => chosen.includes(s.id)).map((s) => s.url)
    Promise.all(urls.map((u) => loadImage(u).catch(() => null))).then((loaded) => {
      if (live) setImages(loaded.filter((i): i is HTMLImageElement => i !== null))
    })
    return () => {
      live = false
    }
  }, [sources, chosen])

  const features = useMemo(() => {
    const sections = campaign.analysis?.sections ?? []
    const activity = campaign.stems.map((s) => s.analysis.activity ?? [])
    const hasActivity = activity.some((a) => a.length > 0)
    return {
      tempo: campaign.analysis?.tempo || recipe.tempo,
      key: campaign.analysis?.key ?? campaign.key ?? null,
      sections,
      energy: energyCurve(sections, hasActivity ? activity : undefined),
    }
  }, [campaign, recipe.tempo])

  const plans = useMemo(
    () =>
      Array.from({ length: VARIANTS }, (_, i) =>
        planArtwork({
          ...features,
          words: words.slice(0, MAX_WORDS_LENGTH),
          seed: (baseSeed + i) >>> 0,
        }),
      ),
    [features, words, baseSeed],
  )
  const plan = plans[picked]!
  const understood = knownWords(words)

  const exportPng = () => artworkPng(plan, ARTWORK_SIZE, images)

  const download = async () => {
    setStatus({ kind: 'busy', text: 'Rendering 3000×3000…' })
    try {
      const blob = await exportPng()
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
    setStatus({ kind: 'busy', text: 'Rendering and saving…' })
    try {
      const blob = await exportPng()
      const { remix } = await uploadArtwork(remixId, blob, {
        sources: chosen,
        seed: plan.seed,
        words,
      })
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
      : chosen.length === 0
        ? 'Pick at least one official image.'
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
        Made here in your browser (provider: local) from {campaign.title}’s key, tempo and sections,
        your words and the campaign’s official images.
      </p>
      {sources.length === 0 ? (
        <p className="small">This campaign lists no official images to remix.</p>
      ) : (
        <fieldset className="small">
          <legend>Official images</legend>
          {sources.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={chosen.includes(s.id)}
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
        <button type="button" onClick={download} disabled={status.kind === 'busy'}>
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
