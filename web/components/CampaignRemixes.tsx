import { useEffect, useState } from 'react'
import type { PublicRemixView } from '../../core/api/remixes.ts'
import { api } from '../api.ts'

type State =
  { status: 'fetching' } | { status: 'error' } | { status: 'ready'; remixes: PublicRemixView[] }

/** The campaign's published remixes, newest first, each linking to its share page. */
export function CampaignRemixes({ slug }: { slug: string }) {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    api
      .campaignRemixes(slug, abort.signal)
      .then((r) => setState({ status: 'ready', remixes: r.remixes }))
      .catch(() => !abort.signal.aborted && setState({ status: 'error' }))
    return () => abort.abort()
  }, [slug])
  return (
    <section
      className="campaign-remixes"
      aria-labelledby="remixes-h"
      data-testid="campaign-remixes"
    >
      <h2 id="remixes-h">Fans’ remixes</h2>
      {state.status === 'fetching' && <p className="muted">Loading remixes…</p>}
      {state.status === 'error' && <p className="muted">The remixes could not be loaded.</p>}
      {state.status === 'ready' && state.remixes.length === 0 && (
        <p className="muted">No published remixes yet. Be the first: open the studio above.</p>
      )}
      {state.status === 'ready' && state.remixes.length > 0 && (
        <ul>
          {state.remixes.map((r) => (
            <li key={r.exportId}>
              <a href={r.shareUrl}>{r.title}</a> <span className="muted">by {r.fan}</span>{' '}
              <span className="muted">
                · {r.plays} play{r.plays === 1 ? '' : 's'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
