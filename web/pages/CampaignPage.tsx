import { useEffect, useMemo, useReducer, useState, type MouseEvent } from 'react'
import type { CampaignDetail } from '../../core/api/campaigns.ts'
import { STEM_COLORS } from '../components/colors.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { useAnimationFrame } from '../audio/hooks.ts'
import { useEngine } from '../audio/useEngine.ts'
import { defaultRecipeFrom } from '../../core/recipe/default.ts'
import { CampaignInfo } from '../components/CampaignInfo.tsx'
import { CampaignRemixes } from '../components/CampaignRemixes.tsx'
import { StemLane } from '../components/StemLane.tsx'
import { Transport } from '../components/Transport.tsx'
import { onSlider, spacePresses, typingInto } from '../store/keyTarget.ts'
import { audibleMap, initialMix, mixReducer } from '../store/mix.ts'
import { navigate } from '../store/route.ts'

type State =
  | { status: 'fetching' }
  | { status: 'ready'; campaign: CampaignDetail }
  | { status: 'error'; message: string; notFound: boolean }

/** A campaign: artwork, credits, licence, and every stem in sync on one transport. */
export function CampaignPage({ slug }: { slug: string }) {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    setState({ status: 'fetching' })
    api
      .campaign(slug, abort.signal)
      .then(({ campaign }) => {
        setState({ status: 'ready', campaign })
        document.title = `${campaign.title} · ${campaign.artist} · Stemfair`
      })
      .catch((err: Error) => {
        if (abort.signal.aborted) return
        const notFound = err instanceof ApiError && err.status === 404
        setState({ status: 'error', message: err.message, notFound })
      })
    return () => abort.abort()
  }, [slug])

  if (state.status === 'fetching') return <main className="muted pad">Loading campaign…</main>
  if (state.status === 'error')
    return (
      <main className="pad">
        <h1>{state.notFound ? 'Campaign not found' : 'Something went wrong'}</h1>
        <p className="error">{state.message}</p>
        <a href="/">Back to all campaigns</a>
      </main>
    )
  return <Campaign campaign={state.campaign} />
}

function Campaign({ campaign }: { campaign: CampaignDetail }) {
  const stems = campaign.stems
  // The campaign page plays the stems as they are: the default remix through the studio's engine.
  const player = useEngine(
    useMemo(() => stems.map((s) => ({ id: s.id, url: s.audioUrl })), [stems]),
  )
  const base = useMemo(() => defaultRecipeFrom(campaign), [campaign])
  const [mix, dispatch] = useReducer(
    mixReducer,
    stems.map((s) => s.id),
    initialMix,
  )
  const recipe = useMemo(
    () => ({ ...base, tracks: base.tracks.map((t) => ({ ...t, ...mix[t.stem] })) }),
    [base, mix],
  )
  const trackOf = (stemId: string) => base.tracks.find((t) => t.stem === stemId)?.id ?? ''
  const audible = audibleMap(mix)
  const ready = player?.playable ?? false
  const playing = player?.playing ?? false
  const duration = recipe.length
  const [position, setPosition] = useState(0)
  useAnimationFrame(() => setPosition(player?.position ?? 0))

  useEffect(() => player?.setRecipe(recipe), [player, recipe])

  const toggle = () => {
    if (!player?.playable) return
    if (player.playing) player.pause()
    else void player.play()
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target) || e.ctrlKey || e.metaKey) return
      if (e.code === 'Space' && !spacePresses(e.target)) {
        e.preventDefault()
        toggle()
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !onSlider(e.target)) {
        e.preventDefault()
        player?.seek(player.position + (e.key === 'ArrowLeft' ? -5 : 5))
      } else if (e.key === 'Home') {
        e.preventDefault()
        player?.seek(0)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const seekFromClick = (e: MouseEvent<HTMLDivElement>) => {
    const waves = e.currentTarget.querySelectorAll<HTMLElement>('.lane-wave')
    const box = waves[0]?.getBoundingClientRect()
    if (!player?.playable || !box || e.clientX < box.left) return
    player.seek(((e.clientX - box.left) / box.width) * duration)
  }

  const loading = stems.filter((s) => player?.status(s.id).state !== 'ready').length

  return (
    <main className="campaign">
      <header className="hero">
        {campaign.artworkUrl && (
          <img
            src={campaign.artworkUrl}
            alt={`${campaign.title} artwork`}
            width={220}
            height={220}
          />
        )}
        <div>
          <p className="eyebrow">
            Remix campaign · {campaign.status === 'live' ? 'open' : campaign.status}
          </p>
          <h1>{campaign.title}</h1>
          <p className="artist">{campaign.artist}</p>
          {campaign.artistSuspended && (
            <p className="warning" data-testid="artist-suspended">
              Artist suspended: this campaign takes no new remixes or exports for now.
            </p>
          )}
          <p>{campaign.description}</p>
          <p className="fine">
            {campaign.tempo} BPM · {campaign.key} · {campaign.timeSignature.join('/')} ·{' '}
            {stems.length} stems · closes {new Date(campaign.closesAt).toLocaleDateString()}
          </p>
          <a
            className="button primary"
            href={`/c/${campaign.slug}/studio`}
            onClick={(e) => {
              e.preventDefault()
              navigate(`/c/${campaign.slug}/studio`)
            }}
          >
            Remix in the studio
          </a>{' '}
          <a
            className="button"
            href={`/c/${campaign.slug}/quick`}
            onClick={(e) => {
              e.preventDefault()
              navigate(`/c/${campaign.slug}/quick`)
            }}
          >
            Quick remix
          </a>
        </div>
      </header>

      <section className="mixer" aria-label="Stems">
        <Transport
          playing={playing}
          ready={ready}
          position={position}
          duration={duration}
          onToggle={toggle}
          onSeek={(s) => player?.seek(s)}
        />
        <p className="muted small" aria-live="polite">
          {loading > 0
            ? `Loading ${loading} of ${stems.length} stems…`
            : 'Space plays and pauses · ←/→ skip 5 s · click a waveform to seek'}
        </p>
        <div className="lanes" onClick={seekFromClick}>
          {stems.map((stem, i) => (
            <StemLane
              key={stem.id}
              stem={stem}
              color={STEM_COLORS[i % STEM_COLORS.length]!}
              status={player?.status(stem.id) ?? { state: 'idle', progress: 0 }}
              muted={mix[stem.id]!.muted}
              soloed={mix[stem.id]!.soloed}
              audible={audible.get(stem.id)!}
              level={() => player?.trackLevel(trackOf(stem.id)) ?? -Infinity}
              onMute={() => dispatch({ type: 'toggleMute', id: stem.id })}
              onSolo={() => dispatch({ type: 'toggleSolo', id: stem.id })}
            />
          ))}
          <div
            className="playhead"
            data-testid="playhead"
            style={{ '--at': String(duration ? position / duration : 0) } as React.CSSProperties}
          />
        </div>
      </section>

      <CampaignInfo campaign={campaign} />
      <CampaignRemixes slug={campaign.slug} />
    </main>
  )
}
