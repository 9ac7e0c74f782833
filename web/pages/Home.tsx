import { useEffect, useState } from 'react'
import type { CampaignSummary } from '../../core/api/campaigns.ts'
import { api } from '../api.ts'
import { navigate } from '../store/route.ts'

type State =
  | { status: 'fetching' }
  | { status: 'ready'; campaigns: CampaignSummary[] }
  | { status: 'error'; message: string }

/** The list of open campaigns. */
export function Home() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    api
      .campaigns(abort.signal)
      .then(({ campaigns }) => setState({ status: 'ready', campaigns }))
      .catch(
        (err: Error) =>
          !abort.signal.aborted && setState({ status: 'error', message: err.message }),
      )
    return () => abort.abort()
  }, [])

  return (
    <main className="home">
      <h1>Remix campaigns</h1>
      <p className="lede">
        Official stems from artists who said yes. Remix them in your browser; every export is
        credited, watermarked and shares revenue with the people who made the music.
      </p>
      {state.status === 'fetching' && <p className="muted">Loading campaigns…</p>}
      {state.status === 'error' && (
        <p className="error">Could not load campaigns: {state.message}</p>
      )}
      {state.status === 'ready' && state.campaigns.length === 0 && (
        <p className="muted">No campaigns are open yet. Check back soon.</p>
      )}
      {state.status === 'ready' && (
        <ul className="cards">
          {state.campaigns.map((c) => (
            <li key={c.id}>
              <a
                className="card"
                href={`/c/${c.slug}`}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(`/c/${c.slug}`)
                }}
              >
                {c.artworkUrl && <img src={c.artworkUrl} alt="" width={160} height={160} />}
                <span className="card-text">
                  <strong>{c.title}</strong>
                  <span>{c.artist}</span>
                  <small>{c.status === 'live' ? 'Open for remixes' : c.status}</small>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
