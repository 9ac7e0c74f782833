import { useEffect, useState } from 'react'
import type { MyRemixView } from '../../core/api/remixes.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { navigate } from '../store/route.ts'
import { remixStateOf } from './myRemixes.ts'

type State =
  | { status: 'fetching' }
  | { status: 'error'; message: string; signIn: boolean }
  | { status: 'ready'; remixes: MyRemixView[] }

/** "My remixes": every remix of the signed-in fan, where it stands, and rename/delete. */
export function MyRemixesPage() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  const [notice, setNotice] = useState<string | null>(null)

  const load = (signal?: AbortSignal) =>
    api
      .remixes(signal)
      .then((r) => setState({ status: 'ready', remixes: r.remixes }))
      .catch((err: unknown) => {
        if (signal?.aborted) return
        const signIn = err instanceof ApiError && err.status === 401
        setState({ status: 'error', signIn, message: (err as Error).message })
      })

  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    return () => abort.abort()
  }, [])

  if (state.status === 'fetching') return <main className="pad muted">Loading your remixes…</main>
  if (state.status === 'error')
    return (
      <main className="pad">
        <h1>My remixes</h1>
        {state.signIn ? (
          <p>
            <a href="/login?next=/me/remixes">Log in</a> to see your remixes.
          </p>
        ) : (
          <p className="error">Could not load your remixes: {state.message}</p>
        )}
      </main>
    )

  const rename = async (remix: MyRemixView) => {
    const title = window.prompt('A new title for this remix', remix.title)?.trim()
    if (!title || title === remix.title) return
    try {
      await api.renameRemix(remix.id, title)
      setNotice(`Renamed “${remix.title}” to “${title}”.`)
      await load()
    } catch (err) {
      setNotice(`Could not rename: ${(err as Error).message}`)
    }
  }
  const remove = async (remix: MyRemixView) => {
    if (!window.confirm(`Delete “${remix.title}”? This cannot be undone.`)) return
    try {
      await api.deleteRemix(remix.id)
      setNotice(`Deleted “${remix.title}”.`)
      await load()
    } catch (err) {
      setNotice(`Could not delete: ${(err as Error).message}`)
    }
  }

  return (
    <main className="pad my-remixes">
      <h1>My remixes</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {state.remixes.length === 0 ? (
        <p className="muted" data-testid="no-remixes">
          You have no remixes yet. <a href="/">Pick a campaign</a> and open its studio to start one.
        </p>
      ) : (
        <ul className="remix-list" data-testid="my-remixes">
          {state.remixes.map((r) => {
            const where = remixStateOf(r)
            return (
              <li key={r.id} data-testid="my-remix" data-state={where.state}>
                <div className="remix-head">
                  <a
                    href={`/remix/${r.id}`}
                    onClick={(e) => {
                      e.preventDefault()
                      navigate(`/remix/${r.id}`)
                    }}
                  >
                    <strong>{r.title}</strong>
                  </a>{' '}
                  <span className={`badge badge-${where.state}`}>{where.label}</span>
                </div>
                <p className="muted">
                  {r.campaign} · saved {new Date(r.updatedAt).toLocaleString()} · {r.exports} export
                  {r.exports === 1 ? '' : 's'} · {r.plays} play{r.plays === 1 ? '' : 's'} ·{' '}
                  {r.downloads} download{r.downloads === 1 ? '' : 's'}
                </p>
                {where.detail && <p className="remix-detail">{where.detail}</p>}
                <div className="remix-actions">
                  <a href={`/remix/${r.id}`}>Open in the studio</a>
                  {r.shareUrl && <a href={r.shareUrl}>Share page</a>}
                  <button type="button" className="link" onClick={() => void rename(r)}>
                    Rename
                  </button>
                  {r.exports === 0 && (
                    <button type="button" className="link" onClick={() => void remove(r)}>
                      Delete
                    </button>
                  )}
                </div>
              </li>
            )
          })}
        </ul>
      )}
    </main>
  )
}
