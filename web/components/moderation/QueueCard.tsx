import { useId, useState } from 'react'
import type { QueueItem } from '../../../core/api/moderation.ts'
import { reasonProblem, REASON_LENGTH } from './moderation.ts'

type Props = {
  item: QueueItem
  onApprove: () => Promise<void>
  onReject: (reason: string) => Promise<void>
  onTakedown: () => void
  onDismiss: (reportId: string) => Promise<void>
}

/**
 * One export waiting for the artist, or a reported remix: listen to exactly that export, read its
 * recipe and licence check, then decide on it alone.
 */
export function QueueCard({ item, onApprove, onReject, onTakedown, onDismiss }: Props) {
  const { remix } = item
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const id = useId()
  const waiting = item.kind === 'approval'
  const problem = reasonProblem(reason)

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <article
      className="mod-card"
      data-testid="queue-item"
      data-remix={remix.id}
      data-export={item.exportId}
      data-kind={item.kind}
      aria-labelledby={`${id}-h`}
    >
      <header className="mod-head">
        <h3 id={`${id}-h`}>{remix.title}</h3>
        <span className={`mod-badge ${item.kind}`}>
          {waiting ? 'export waiting for approval' : remix.status.replace('_', ' ')}
          {item.reports.length > 0 &&
            ` · ${item.reports.length} report${item.reports.length === 1 ? '' : 's'}`}
        </span>
      </header>
      <p className="small muted">
        by {remix.fan} · {remix.campaignSlug} ·{' '}
        <a href={`/r/${item.exportId}`} target="_blank" rel="noreferrer">
          share page
        </a>
      </p>
      <audio controls preload="none" src={item.audioUrl} aria-label={`Listen to ${remix.title}`} />
      <div className="mod-grid">
        <section>
          <h4>Recipe</h4>
          <ul className="small">
            {item.recipeSummary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
        <section data-testid="licence-check" data-ok={item.licenceCheck.ok}>
          <h4>Licence check</h4>
          {item.licenceCheck.ok ? (
            <p className="licence-ok small">Within the licence.</p>
          ) : (
            <ul className="violations small">
              {item.licenceCheck.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {item.reports.length > 0 && (
        <section>
          <h4>Reports</h4>
          <ul className="mod-reports small">
            {item.reports.map((r) => (
              <li key={r.id}>
                “{r.reason}” <span className="muted">{new Date(r.at).toLocaleString()}</span>{' '}
                <button
                  type="button"
                  className="link"
                  disabled={busy}
                  onClick={() => void run(() => onDismiss(r.id))}
                >
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rejecting ? (
        <form
          className="mod-reject"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            if (!problem) void run(() => onReject(reason.trim()))
          }}
        >
          <label htmlFor={`${id}-reason`}>Why? The fan sees this reason on their remix.</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            maxLength={REASON_LENGTH.max}
            value={reason}
            autoFocus
            onChange={(e) => setReason(e.target.value)}
          />
          {reason !== '' && problem && <p className="error small">{problem}</p>}
          <div className="mod-actions">
            <button type="submit" className="danger" disabled={busy || problem !== null}>
              Reject
            </button>
            <button type="button" onClick={() => setRejecting(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="mod-actions">
          {waiting && (
            <>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void run(onApprove)}
              >
                Approve
              </button>
              <button type="button" disabled={busy} onClick={() => setRejecting(true)}>
                Reject…
              </button>
            </>
          )}
          <button type="button" className="danger" disabled={busy} onClick={onTakedown}>
            Take down…
          </button>
        </div>
      )}
    </article>
  )
}
