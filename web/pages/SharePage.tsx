import { useEffect, useState } from 'react'
import type { ShareView } from '../../core/api/exports.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { ReportRemix } from '../components/moderation/ReportRemix.tsx'
import { ShareArtwork } from '../artwork/ShareArtwork.tsx'
import { ManifestPanel } from '../components/provenance/ManifestPanel.tsx'
import { ShareActions } from '../components/share/ShareActions.tsx'
import { useSharePlayer } from '../components/share/useSharePlayer.ts'

type State =
  | { status: 'fetching' }
  | { status: 'ready'; share: ShareView }
  | { status: 'error'; message: string; title: string; code: number }

/** The public page of an exported remix: player, credits, licence and the AI-assisted label. */
export function SharePage({ id }: { id: string }) {
  const [state, setState] = useState<State>({ status: 'fetching' })

  useEffect(() => {
    const abort = new AbortController()
    api
      .share(id, abort.signal)
      .then(({ share }) => {
        setState({ status: 'ready', share })
        document.title = `${share.title} · remix by ${share.fan} · Stemfair`
      })
      .catch((err: Error) => {
        if (abort.signal.aborted) return
        const status = err instanceof ApiError ? err.status : 0
        const title =
          status === 410
            ? 'This remix was taken down'
            : status === 451
              ? 'Not available where you are'
              : 'Remix not found'
        setState({ status: 'error', message: err.message, title, code: status })
      })
    return () => abort.abort()
  }, [id])

  const { player, wave, toggle } = useSharePlayer(
    id,
    state.status === 'ready' ? state.share.audioUrl : null,
  )

  if (state.status === 'fetching') return <main className="pad muted">Loading…</main>
  if (state.status === 'error')
    return (
      <main
        className={`pad share-gone${state.code === 410 ? ' taken-down' : ''}`}
        data-testid="share-error"
        data-status={state.code}
      >
        <div className="gone-card">
          <p className="gone-mark" aria-hidden="true">
            {state.code === 410 ? '⊘' : '?'}
          </p>
          <h1>{state.title}</h1>
          <p className="muted">
            {state.code === 410
              ? 'The artist has taken this remix down. It can no longer be played or downloaded.'
              : state.message}
          </p>
          <a className="button primary" href="/">
            Discover other remixes
          </a>
        </div>
      </main>
    )
  const { share } = state
  return (
    <main className="pad share">
      <p className="ai-label" data-testid="ai-label">
        {share.aiLabel}
      </p>
      <ShareArtwork url={share.artworkUrl} />
      <h1>{share.title}</h1>
      <p className="artist">
        Remix by <strong>{share.fan}</strong> of{' '}
        <a href={`/c/${share.campaign.slug}`}>“{share.campaign.title}”</a> by{' '}
        {share.campaign.artist}
      </p>
      <ShareActions share={share} />
      {share.watermarkNote && (
        <p className="muted small" data-testid="share-unwatermarked">
          This remix is {share.watermarkNote}: its signed manifest proves where it comes from.
        </p>
      )}
      {share.artistSuspended && (
        <p className="warning" data-testid="artist-suspended">
          Artist suspended: this campaign’s artist is suspended while an admin reviews their rights.
          This remix stays here; the campaign takes no new remixes or exports.
        </p>
      )}
      <div className="share-player">
        <button
          type="button"
          className="play"
          onClick={toggle}
          disabled={player === 'loading' || player === 'error'}
          aria-label={player === 'playing' ? 'Pause' : 'Play'}
        >
          {player === 'playing' ? '❚❚' : '▶'}
        </button>
        <div className="share-wave" ref={wave} data-testid="share-wave" data-state={player} />
      </div>
      {player === 'error' && <p className="error">The audio could not be loaded.</p>}
      <div className="info">
        <section aria-labelledby="credits-h">
          <h2 id="credits-h">Credits</h2>
          <ul className="credits">
            <li>
              <strong>{share.fan}</strong> <span>remix</span>
            </li>
            {share.credits.map((c) => (
              <li key={c.name}>
                <strong>{c.name}</strong> <span>{c.roles.join(', ')}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="licence-h">
          <h2 id="licence-h">Licence (version {share.licenceVersion})</h2>
          <ul className="licence">
            {share.licenceSummary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      </div>
      <ManifestPanel exportId={share.exportId} />
      <p className="fine">
        Export {share.exportId} · made {new Date(share.createdAt).toLocaleDateString()} ·
        watermarked and traceable
      </p>
      <ReportRemix exportId={share.exportId} />
    </main>
  )
}
