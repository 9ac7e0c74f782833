import { useEffect, useState } from 'react'
import { listTakedowns, type TakedownNotice } from '../../api-takedowns.ts'

type State =
  | { status: 'fetching' }
  | { status: 'error'; message: string }
  | { status: 'ready'; notices: TakedownNotice[] }

/**
 * The takedown notices a rights holder has issued from /verify (an admin sees every one), each
 * with its campaign and its two documents, so a notice can be sent again without re-examining
 * the file.
 */
export function TakedownNotices() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    listTakedowns(abort.signal)
      .then((notices) => setState({ status: 'ready', notices }))
      .catch(
        (err: Error) =>
          !abort.signal.aborted && setState({ status: 'error', message: err.message }),
      )
    return () => abort.abort()
  }, [])
  return (
    <section className="takedown-notices" data-testid="takedown-notices">
      <h2>Takedown notices</h2>
      {state.status === 'fetching' && <p className="muted small">Loading notices…</p>}
      {state.status === 'error' && <p className="error">{state.message}</p>}
      {state.status === 'ready' && state.notices.length === 0 && (
        <p className="muted small">
          No notices yet. When <a href="/verify">Verify a file</a> finds your stems used without a
          licence, you can issue one there.
        </p>
      )}
      {state.status === 'ready' && state.notices.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Issued</th>
              <th>Campaign</th>
              <th>Notice</th>
            </tr>
          </thead>
          <tbody>
            {state.notices.map((n) => (
              <tr key={n.id} data-testid="takedown-notice">
                <td>{new Date(n.createdAt).toLocaleString()}</td>
                <td>
                  <a href={`/c/${n.campaign.slug}`}>{n.campaign.title}</a>
                </td>
                <td>
                  <a href={n.textUrl} download>
                    Text
                  </a>{' '}
                  ·{' '}
                  <a href={n.htmlUrl} download>
                    HTML
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
