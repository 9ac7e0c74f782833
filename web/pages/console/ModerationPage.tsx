import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../request.ts'
import {
  moderationApi,
  type AuditEntry,
  type PublicRemix,
  type QueueItem,
} from '../../api-moderation.ts'
import { AuditTable } from '../../components/moderation/AuditTable.tsx'
import { QueueCard } from '../../components/moderation/QueueCard.tsx'
import { ReasonDialog } from '../../components/moderation/ReasonDialog.tsx'
import '../../components/moderation/moderation.css'

type Loaded = {
  items: QueueItem[]
  remixes: PublicRemix[]
  entries: AuditEntry[]
  campaigns: { id: string; slug: string; title: string }[]
}
type State =
  | { status: 'fetching' }
  | { status: 'refused'; message: string; anonymous: boolean }
  | { status: 'error'; message: string }
  | ({ status: 'ready' } & Loaded)

type Takedown = { remixId: string; title: string }

/** The artist's moderation: remixes waiting or reported, public remixes, and the audit log. */
export function ModerationPage() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  const [campaign, setCampaign] = useState('')
  const [takedown, setTakedown] = useState<Takedown | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [{ items }, { remixes }, { entries }, campaigns] = await Promise.all([
          moderationApi.queue(signal),
          moderationApi.remixes(campaign || undefined, signal),
          moderationApi.audit(campaign || undefined, signal),
          moderationApi.campaigns(signal).then(
            (r) => r.campaigns,
            () => [],
          ),
        ])
        setState({ status: 'ready', items, remixes, entries, campaigns })
      } catch (err) {
        if (signal?.aborted) return
        if (err instanceof ApiError && (err.status === 401 || err.status === 403))
          return setState({
            status: 'refused',
            message: err.message,
            anonymous: err.status === 401,
          })
        setState({ status: 'error', message: (err as Error).message })
      }
    },
    [campaign],
  )
  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    return () => abort.abort()
  }, [load])

  if (state.status === 'fetching') return <main className="pad muted">Loading moderation…</main>
  if (state.status === 'refused')
    return (
      <main className="pad">
        <h1>Moderation</h1>
        {state.anonymous ? (
          <p>
            <a href="/login?next=/console/moderation">Log in</a> as the campaign’s artist to
            moderate its remixes.
          </p>
        ) : (
          <p className="error">{state.message}</p>
        )}
      </main>
    )
  if (state.status === 'error')
    return (
      <main className="pad">
        <h1>Moderation</h1>
        <p className="error">{state.message}</p>
      </main>
    )

  const { items, remixes, entries } = state
  const names = new Map(state.campaigns.map((c) => [c.id, c.title]))
  // The notice shows with the lists it describes.
  const done = async (message: string) => {
    await load()
    setNotice(message)
  }
  return (
    <main className="pad moderation">
      <p className="small">
        <a href="/console">← Console</a>
      </p>
      <h1>Moderation</h1>
      {notice && (
        <p className="banner info" role="status" data-testid="moderation-notice">
          {notice}
        </p>
      )}

      <section aria-labelledby="queue-h">
        <h2 id="queue-h">Queue</h2>
        {items.length === 0 ? (
          <p className="muted" data-testid="queue-empty">
            Nothing waits for you: no remix needs approval and no report is open.
          </p>
        ) : (
          items.map((item) => (
            <QueueCard
              key={`${item.kind}-${item.exportId}`}
              item={item}
              onApprove={async () => {
                await moderationApi.approve(item.exportId)
                await done(`Approved “${item.remix.title}”: its share page is public now.`)
              }}
              onReject={async (reason) => {
                await moderationApi.reject(item.exportId, reason)
                await done(`Rejected “${item.remix.title}”. ${item.remix.fan} sees your reason.`)
              }}
              onTakedown={() => setTakedown({ remixId: item.remix.id, title: item.remix.title })}
              onDismiss={async (reportId) => {
                await moderationApi.dismissReport(reportId)
                await done('Report dismissed.')
              }}
            />
          ))
        )}
      </section>

      {state.campaigns.length > 1 && (
        <p className="mod-head small">
          <label>
            Public remixes and log of{' '}
            <select
              aria-label="Campaign"
              value={campaign}
              onChange={(e) => setCampaign(e.target.value)}
            >
              <option value="">All campaigns</option>
              {state.campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </label>
        </p>
      )}

      <section aria-labelledby="shared-h">
        <h2 id="shared-h">Public remixes</h2>
        <p className="small muted">
          Every remix shared publicly — approved by you, or of a campaign that needs no approval —
          newest first, and the ones taken down. Reported ones show in the queue too.
        </p>
        <PublicList
          remixes={remixes}
          campaignName={(id) => names.get(id) ?? id}
          onTakedown={(r) => setTakedown({ remixId: r.remixId, title: r.title })}
        />
      </section>

      <section aria-labelledby="audit-h">
        <h2 id="audit-h">Audit log</h2>
        <AuditTable entries={entries} campaignName={(id) => names.get(id) ?? id} />
      </section>

      {takedown && (
        <ReasonDialog
          title={`Take down “${takedown.title}”?`}
          intro="Its share page will answer that it was taken down, downloads stop, verify reports it as taken down and its plays stop counting. This cannot be undone."
          confirm="Take down"
          onClose={() => setTakedown(null)}
          onConfirm={async (reason) => {
            await moderationApi.takedown(takedown.remixId, reason)
            setTakedown(null)
            await done(`Took down “${takedown.title}”.`)
          }}
        />
      )}
    </main>
  )
}

/** Where a listed remix stands, in words. */
const statusWords = (r: PublicRemix) =>
  r.status === 'taken_down'
    ? 'Taken down'
    : r.openReports > 0
      ? `Public, ${r.openReports} open report${r.openReports === 1 ? '' : 's'}`
      : 'Public'

function PublicList({
  remixes,
  campaignName,
  onTakedown,
}: {
  remixes: PublicRemix[]
  campaignName: (id: string) => string
  onTakedown: (r: PublicRemix) => void
}) {
  if (remixes.length === 0) return <p className="muted small">No public remixes yet.</p>
  return (
    <table className="table" data-testid="shared-remixes">
      <thead>
        <tr>
          <th>Remix</th>
          <th>Campaign</th>
          <th>Exported</th>
          <th>Status</th>
          <th>Listen</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {remixes.map((r) => (
          <tr
            key={r.remixId}
            data-remix={r.remixId}
            data-export={r.exportId}
            data-status={r.status}
          >
            <td>
              <a href={`/r/${r.exportId}`}>{r.title}</a>
              <br />
              <span className="small muted">by {r.fan}</span>
            </td>
            <td>{campaignName(r.campaignId)}</td>
            <td>{new Date(r.exportedAt).toLocaleString()}</td>
            <td>{statusWords(r)}</td>
            <td>
              {r.status === 'published' && (
                <audio
                  controls
                  preload="none"
                  src={`/api/share/${r.exportId}/audio`}
                  aria-label={`Listen to ${r.title}`}
                />
              )}
            </td>
            <td>
              {r.status === 'published' && (
                <button type="button" className="danger" onClick={() => onTakedown(r)}>
                  Take down…
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
