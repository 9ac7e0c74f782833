import { useEffect, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import { markabilityWords } from '../../../core/campaign/markability.ts'
import { artistApi } from '../../api-artist.ts'
import { wizardPath } from '../../components/wizard/steps.ts'
import { navigate } from '../../store/route.ts'

const MARK_WORDS = {
  markable: 'carried',
  weak: 'weak',
  unmarkable: 'cannot be carried',
} as const

type State =
  | { status: 'fetching' }
  | { status: 'ready'; campaigns: AuthorCampaign[] }
  | { status: 'error'; message: string }

const go = (path: string) => (e: React.MouseEvent) => {
  e.preventDefault()
  navigate(path)
}

/** The artist's own campaigns (drafts included) with their state, and “New campaign”. */
export function ArtistCampaigns() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    artistApi
      .campaigns(abort.signal)
      .then(({ campaigns }) => setState({ status: 'ready', campaigns }))
      .catch(
        (err: Error) =>
          !abort.signal.aborted && setState({ status: 'error', message: err.message }),
      )
    return () => abort.abort()
  }, [])

  return (
    <section
      className="artist-campaigns"
      data-testid="artist-campaigns"
      aria-labelledby="my-campaigns"
    >
      <header className="section-head">
        <h2 id="my-campaigns">Your campaigns</h2>
        <a
          className="button primary"
          href="/console/campaigns/new"
          onClick={go('/console/campaigns/new')}
        >
          New campaign
        </a>
      </header>
      {state.status === 'fetching' && <p className="muted">Loading your campaigns…</p>}
      {state.status === 'error' && (
        <p className="error">Could not load your campaigns: {state.message}</p>
      )}
      {state.status === 'ready' && state.campaigns.length === 0 && (
        <p className="muted">
          No campaigns yet. Start one: upload your stems, set the terms and splits, publish.
        </p>
      )}
      {state.status === 'ready' && state.campaigns.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Status</th>
              <th>Stems</th>
              <th>Watermark</th>
              <th>To do</th>
            </tr>
          </thead>
          <tbody>
            {state.campaigns.map((c) => (
              <tr key={c.id} data-testid="artist-campaign" data-slug={c.slug}>
                <td>
                  <a href={wizardPath(c.id)} onClick={go(wizardPath(c.id))}>
                    {c.title}
                  </a>
                </td>
                <td>
                  <span className={`badge ${c.status}`}>{c.status}</span>
                </td>
                <td>{c.stems.length}</td>
                <td className="small" data-testid="campaign-markability">
                  {c.markability ? (
                    <span
                      className={`badge mark-${c.markability.level}`}
                      title={markabilityWords(c.markability.level)}
                    >
                      {MARK_WORDS[c.markability.level]}
                    </span>
                  ) : (
                    <span className="muted">not checked</span>
                  )}
                </td>
                <td className="small">
                  {c.status === 'draft' ? (
                    c.missing.length ? (
                      `Missing: ${c.missing.map((m) => m.message).join(', ')}`
                    ) : (
                      'Ready to publish'
                    )
                  ) : (
                    <a href={c.shareUrl}>Public page</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
