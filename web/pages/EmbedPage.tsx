import { useEffect, useState } from 'react'
import type { ShareView } from '../../core/api/exports.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { useSharePlayer } from '../components/share/useSharePlayer.ts'

/**
 * The embeddable player of a remix (`/embed/:id`, for an iframe on another site): cover, title,
 * credits line, play and waveform, and a link to the full share page — no site chrome.
 */
export function EmbedPage({ id }: { id: string }) {
  const [share, setShare] = useState<ShareView | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    api
      .share(id, abort.signal)
      .then((r) => setShare(r.share))
      .catch((err: Error) => {
        if (abort.signal.aborted) return
        setError(
          err instanceof ApiError && err.status === 410
            ? 'The artist has taken this remix down.'
            : 'This remix is not available.',
        )
      })
    return () => abort.abort()
  }, [id])

  // The same player as the share page: embedded plays are ticketed and counted the same way.
  const { player, wave, toggle } = useSharePlayer(id, share?.audioUrl ?? null)

  const page = `/r/${id}`
  if (error)
    return (
      <main className="embed embed-gone" data-testid="embed" data-state="error">
        <p>{error}</p>
        <a href="/" target="_blank" rel="noreferrer">
          Stemfair
        </a>
      </main>
    )
  return (
    <main className="embed" data-testid="embed" data-state={share ? player : 'loading'}>
      {share?.artworkUrl && <img className="embed-cover" src={share.artworkUrl} alt="" />}
      <div className="embed-body">
        <p className="embed-title">
          <a href={page} target="_blank" rel="noreferrer">
            {share?.title ?? 'Loading…'}
          </a>
        </p>
        {share && (
          <p className="embed-by muted">
            {share.fan} · remix of “{share.campaign.title}” by {share.campaign.artist}
          </p>
        )}
        <div className="embed-player">
          <button
            type="button"
            className="play"
            onClick={toggle}
            disabled={!share || player === 'loading' || player === 'error'}
            aria-label={player === 'playing' ? 'Pause' : 'Play'}
          >
            {player === 'playing' ? '❚❚' : '▶'}
          </button>
          <div className="embed-wave" ref={wave} />
        </div>
        {share && (
          <p className="embed-fine muted">
            {share.aiLabel} ·{' '}
            <a href={page} target="_blank" rel="noreferrer">
              credits and licence on Stemfair
            </a>
          </p>
        )}
      </div>
    </main>
  )
}
