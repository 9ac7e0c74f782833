import { useCallback, useEffect, useState } from 'react'
import type {
  ConsentLogEntry,
  StemMatchView,
  VerificationCase,
  VerificationQueueItem,
  VerificationState,
} from '../../../core/consent/verification.ts'
import { ApiError } from '../../request.ts'
import { consentApi } from '../../api-consent.ts'
import { ReasonDialog } from '../../components/moderation/ReasonDialog.tsx'
import '../../components/consent/consent.css'
import '../../components/moderation/moderation.css'

const STATE_WORDS: Record<VerificationState, string> = {
  none: 'not submitted',
  pending: 'pending',
  more_info: 'more information asked',
  verified: 'verified',
  refused: 'refused',
}

const ACTION_WORDS: Record<ConsentLogEntry['action'], string> = {
  submit: 'submitted evidence',
  approve: 'approved',
  more_info: 'asked for more information',
  refuse: 'refused',
  seed_verified: 'verified (local demo seed)',
  suspend: 'suspended the artist',
  reinstate: 'reinstated the artist',
  clear_match: 'cleared a match',
  refuse_match: 'refused a match',
}

const when = (iso: string) => new Date(iso).toLocaleString()

/** An action waiting for its reason in the dialog. */
type Pending = {
  title: string
  intro: string
  confirm: string
  run: (reason: string) => Promise<void>
}

type Loaded = {
  queue: VerificationQueueItem[]
  matches: StemMatchView[]
  entries: ConsentLogEntry[]
}

/** The admin console: verification requests with their evidence and matches, decisions, the log. */
export function AdminPage() {
  const [filter, setFilter] = useState<VerificationState | 'all'>('pending')
  const [data, setData] = useState<Loaded | null>(null)
  const [error, setError] = useState<ApiError | Error | null>(null)
  const [open, setOpen] = useState<VerificationCase | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [{ queue }, { matches }, { entries }] = await Promise.all([
          consentApi.queue(filter, signal),
          consentApi.matches('open', signal),
          consentApi.audit(signal),
        ])
        setData({ queue, matches, entries })
        setError(null)
      } catch (err) {
        if (!signal?.aborted) setError(err as Error)
      }
    },
    [filter],
  )

  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    return () => abort.abort()
  }, [load])

  useEffect(() => {
    document.title = 'Admin console · Stemfair'
  }, [])

  const review = async (userId: string) => setOpen((await consentApi.case(userId)).case)

  /** Runs a decision, then reloads what it changed. */
  const act = async (what: string, run: () => Promise<{ case?: VerificationCase }>) => {
    setNotice(null)
    try {
      const result = await run()
      if (result.case) setOpen(result.case)
      else if (open) await review(open.artist.id)
      setNotice(what)
      await load()
    } catch (err) {
      setNotice(`Could not do that: ${(err as Error).message}`)
    }
  }
  const withReason = (p: Omit<Pending, 'run'> & { run: (reason: string) => Promise<unknown> }) =>
    setPending({
      ...p,
      run: async (reason) => {
        await p.run(reason)
        setPending(null)
      },
    })

  const decideMatch = (m: StemMatchView, action: 'clear' | 'refuse') => {
    const label = `“${m.stem.name}” of “${m.stem.campaignTitle}”`
    if (action === 'clear')
      return act(`Cleared the match on ${label}.`, async () => {
        await consentApi.decideMatch(m, 'clear')
        return {}
      })
    withReason({
      title: `Refuse the match on ${label}`,
      intro: `${m.words} The campaign stays unpublishable while this stem is part of it.`,
      confirm: 'Refuse match',
      run: (reason) =>
        act(`Refused the match on ${label}.`, async () => {
          await consentApi.decideMatch(m, 'refuse', reason)
          return {}
        }),
    })
  }

  if (error)
    return (
      <main className="pad">
        <h1>Admin console</h1>
        <p className="error" role="alert">
          {error instanceof ApiError && error.status === 401 ? (
            <>
              <a href="/login?next=/console/admin">Log in</a> as an admin.
            </>
          ) : error instanceof ApiError && error.status === 403 ? (
            'The admin console needs an admin account.'
          ) : (
            `Could not load the admin console: ${error.message}`
          )}
        </p>
      </main>
    )
  if (!data) return <main className="pad muted">Loading the admin console…</main>

  return (
    <main className="pad admin-console" data-testid="admin-console">
      <h1>Admin console</h1>
      {notice && (
        <p className="notice" role="status" data-testid="admin-notice">
          {notice}
        </p>
      )}

      <section aria-labelledby="requests-head">
        <h2 id="requests-head">Verification requests</h2>
        <label>
          Show{' '}
          <select
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value as VerificationState | 'all')}
          >
            <option value="pending">pending</option>
            <option value="more_info">more information asked</option>
            <option value="refused">refused</option>
            <option value="verified">verified</option>
            <option value="none">not submitted</option>
            <option value="all">all artists</option>
          </select>
        </label>
        {data.queue.length === 0 ? (
          <p className="muted">No artists in this list.</p>
        ) : (
          <ul className="admin-queue">
            {data.queue.map((q) => (
              <li key={q.artist.id} data-testid="verification-item" data-email={q.artist.email}>
                <strong>{q.request?.artistName ?? q.artist.displayName}</strong> ({q.artist.email})
                — {STATE_WORDS[q.artist.state]}
                {q.artist.suspended && ' · suspended'}
                {q.request && ` · sent ${when(q.request.submittedAt)}`}
                {q.openMatches > 0 && ` · ${q.openMatches} open fingerprint match(es)`}{' '}
                <button type="button" onClick={() => void review(q.artist.id)}>
                  Review {q.artist.displayName}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {open && (
        <CaseView
          c={open}
          onDecide={(action) => {
            const request = open.request!
            if (action === 'approve')
              return act(`Approved ${open.artist.displayName}.`, () =>
                consentApi.decide(request.id, 'approve'),
              )
            withReason({
              title:
                action === 'more-info'
                  ? `Ask ${open.artist.displayName} for more information`
                  : `Refuse ${open.artist.displayName}`,
              intro: 'The artist reads this reason in their console.',
              confirm: action === 'more-info' ? 'Ask for more' : 'Refuse verification',
              run: (reason) =>
                act(
                  action === 'more-info'
                    ? `Asked ${open.artist.displayName} for more information.`
                    : `Refused ${open.artist.displayName}.`,
                  () => consentApi.decide(request.id, action, reason),
                ),
            })
          }}
          onSuspend={(suspend) => {
            if (!suspend)
              return act(`Reinstated ${open.artist.displayName}.`, () =>
                consentApi.suspension(open.artist.id, 'reinstate'),
              )
            withReason({
              title: `Suspend ${open.artist.displayName}`,
              intro:
                'Their campaigns stop accepting remixes and exports; share pages stay, marked. Their drafts cannot be published.',
              confirm: 'Suspend artist',
              run: (reason) =>
                act(`Suspended ${open.artist.displayName}.`, () =>
                  consentApi.suspension(open.artist.id, 'suspend', reason),
                ),
            })
          }}
          onMatch={decideMatch}
        />
      )}

      <section aria-labelledby="matches-head">
        <h2 id="matches-head">Open fingerprint matches</h2>
        {data.matches.length === 0 ? (
          <p className="muted">No open matches.</p>
        ) : (
          <MatchList matches={data.matches} onMatch={decideMatch} />
        )}
      </section>

      <section aria-labelledby="log-head">
        <h2 id="log-head">Consent log</h2>
        <table className="audit" data-testid="consent-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {[...data.entries].reverse().map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{when(e.at)}</td>
                <td>{e.actorName}</td>
                <td>{ACTION_WORDS[e.action]}</td>
                <td>{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {pending && (
        <ReasonDialog
          title={pending.title}
          intro={pending.intro}
          confirm={pending.confirm}
          onConfirm={pending.run}
          onClose={() => setPending(null)}
        />
      )}
    </main>
  )
}

function MatchList({
  matches,
  onMatch,
}: {
  matches: readonly StemMatchView[]
  onMatch: (m: StemMatchView, action: 'clear' | 'refuse') => void
}) {
  return (
    <ul className="admin-matches">
      {matches.map((m) => (
        <li
          key={`${m.stem.id}:${m.matched.id}`}
          className={`stem-match ${m.status}`}
          data-testid="admin-match"
          data-status={m.status}
        >
          <strong>
            “{m.stem.name}” in “{m.stem.campaignTitle}”
          </strong>
          : {m.words} Strength {Math.round(m.strength * 100)} %. Status: {m.status}
          {m.reason && ` (${m.reason})`}.{' '}
          {m.status === 'open' && (
            <span className="admin-actions">
              <button type="button" onClick={() => onMatch(m, 'clear')}>
                Clear match
              </button>
              <button type="button" className="danger" onClick={() => onMatch(m, 'refuse')}>
                Refuse match
              </button>
            </span>
          )}
        </li>
      ))}
    </ul>
  )
}

function CaseView({
  c,
  onDecide,
  onSuspend,
  onMatch,
}: {
  c: VerificationCase
  onDecide: (action: 'approve' | 'more-info' | 'refuse') => void
  onSuspend: (suspend: boolean) => void
  onMatch: (m: StemMatchView, action: 'clear' | 'refuse') => void
}) {
  const r = c.request
  return (
    <section
      className="admin-case"
      aria-labelledby="case-head"
      data-testid="admin-case"
      data-state={c.artist.state}
    >
      <h2 id="case-head">
        {c.artist.displayName} <span className="badge">{STATE_WORDS[c.artist.state]}</span>
        {c.artist.suspended && <span className="badge artist-suspended">suspended</span>}
      </h2>
      {r ? (
        <dl data-testid="evidence">
          <dt>Legal name</dt>
          <dd>{r.legalName}</dd>
          <dt>Artist or label</dt>
          <dd>{r.artistName}</dd>
          <dt>Distributor or label</dt>
          <dd>
            {r.contactName} — <a href={`mailto:${r.contactEmail}`}>{r.contactEmail}</a>
          </dd>
          <dt>ISNI</dt>
          <dd>{r.isni ?? '—'}</dd>
          <dt>IPI</dt>
          <dd>{r.ipi ?? '—'}</dd>
          <dt>ISRCs</dt>
          <dd>{r.isrcs.length ? r.isrcs.join(', ') : '—'}</dd>
          <dt>Links</dt>
          <dd>
            {r.links.map((l) => (
              <a key={l} href={l} target="_blank" rel="noreferrer noopener">
                {l}{' '}
              </a>
            ))}
          </dd>
          <dt>Statement</dt>
          <dd>
            “{r.statement.text}” — signed “{r.statement.name}”, {when(r.statement.signedAt)}
          </dd>
        </dl>
      ) : (
        <p className="muted">This artist has not submitted evidence.</p>
      )}
      <h3>Fingerprint matches on their campaigns</h3>
      {c.matches.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <MatchList matches={c.matches} onMatch={onMatch} />
      )}
      <div className="admin-actions">
        {c.artist.state === 'pending' && r && (
          <>
            <button type="button" className="primary" onClick={() => onDecide('approve')}>
              Approve
            </button>
            <button type="button" onClick={() => onDecide('more-info')}>
              Ask for more information
            </button>
            <button type="button" className="danger" onClick={() => onDecide('refuse')}>
              Refuse verification
            </button>
          </>
        )}
        {c.artist.suspended ? (
          <button type="button" onClick={() => onSuspend(false)}>
            Reinstate artist
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => onSuspend(true)}>
            Suspend artist
          </button>
        )}
      </div>
      <h3>History</h3>
      <ol>
        {c.history.map((e) => (
          <li key={e.id}>
            {when(e.at)} — {e.actorName} {ACTION_WORDS[e.action]}
            {e.reason && `: ${e.reason}`}
          </li>
        ))}
      </ol>
    </section>
  )
}
