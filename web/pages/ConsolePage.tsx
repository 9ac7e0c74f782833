import { useEffect, useState, type FormEvent } from 'react'
import type { CampaignSummary } from '../../core/api/campaigns.ts'
import type { CampaignStats, FanStats } from '../../core/api/stats.ts'
import type { UserView } from '../../core/api/users.ts'
import type { Statement } from '../../core/credits/statement.ts'
import { api } from '../api.ts'
import { ApiError } from '../request.ts'
import { DailyChart } from '../components/console/DailyChart.tsx'
import { TakedownNotices } from '../components/console/TakedownNotices.tsx'
import { ArtistCampaigns } from './console/ArtistCampaigns.tsx'
import { VerificationPanel } from '../components/consent/VerificationPanel.tsx'

type Loaded = {
  user: UserView
  campaigns: { campaign: CampaignSummary; stats: CampaignStats }[]
  mine: FanStats
}
type State =
  | { status: 'fetching' }
  | { status: 'anonymous' }
  | { status: 'error'; message: string }
  | ({ status: 'ready' } & Loaded)

/** The artist console (their campaigns' plays, exports, stems, remixes and statements) and the fan's own numbers. */
export function ConsolePage() {
  const [state, setState] = useState<State>({ status: 'fetching' })
  useEffect(() => {
    const abort = new AbortController()
    const { signal } = abort
    ;(async () => {
      const { user } = await api.me(signal)
      if (!user) return setState({ status: 'anonymous' })
      const mine = await api.myStats(signal)
      const campaigns: Loaded['campaigns'] = []
      if (user.role !== 'fan') {
        const { campaigns: all } = await api.campaigns(signal)
        for (const campaign of all) {
          try {
            campaigns.push({
              campaign,
              stats: (await api.campaignStats(campaign.slug, signal)).stats,
            })
          } catch (err) {
            if (!(err instanceof ApiError && err.status === 403)) throw err
          }
        }
      }
      setState({ status: 'ready', user, campaigns, mine })
    })().catch(
      (err: Error) => !signal.aborted && setState({ status: 'error', message: err.message }),
    )
    return () => abort.abort()
  }, [])

  if (state.status === 'fetching') return <main className="pad muted">Loading your console…</main>
  if (state.status === 'anonymous')
    return (
      <main className="pad">
        <h1>Console</h1>
        <p>
          <a href="/login?next=/console">Log in</a> to see your campaigns and remixes.
        </p>
      </main>
    )
  if (state.status === 'error')
    return (
      <main className="pad">
        <h1>Console</h1>
        <p className="error">{state.message}</p>
      </main>
    )
  return (
    <main className="pad console">
      <h1>Console</h1>
      {state.user.role !== 'fan' && (
        <p>
          <a href="/console/moderation">Moderation</a>: remixes waiting for approval, reports,
          takedowns and the audit log.
        </p>
      )}
      {state.user.role === 'admin' && (
        <p>
          <a href="/console/admin">Admin console</a>: artists’ verification requests, fingerprint
          matches, suspensions and the consent log.
        </p>
      )}
      {state.user.role === 'artist' && <VerificationPanel />}
      {state.user.role !== 'fan' && <ArtistCampaigns />}
      {state.user.role !== 'fan' && state.campaigns.length === 0 && (
        <p className="muted">You have no campaigns yet.</p>
      )}
      {state.campaigns.map(({ campaign, stats }) => (
        <CampaignConsole key={campaign.slug} campaign={campaign} stats={stats} />
      ))}
      {state.user.role !== 'fan' && <TakedownNotices />}
      <FanConsole stats={state.mine} />
    </main>
  )
}

function CampaignConsole({ campaign, stats }: { campaign: CampaignSummary; stats: CampaignStats }) {
  return (
    <section className="console-campaign" data-testid="console-campaign" data-slug={campaign.slug}>
      <h2>{campaign.title}</h2>
      <p className="totals" data-testid="totals" data-plays={stats.totals.plays}>
        <strong>{stats.totals.plays}</strong> plays · <strong>{stats.totals.exports}</strong>{' '}
        exports · <strong>{stats.totals.downloads}</strong> downloads
      </p>
      <DailyChart days={stats.days} />
      <div className="console-grid">
        <div>
          <h3>Stem usage</h3>
          {stats.stemUsage.length === 0 ? (
            <p className="muted small">No exports yet.</p>
          ) : (
            <ul className="bars">
              {stats.stemUsage.map((s) => (
                <li key={s.stem}>
                  <span>{s.name}</span>
                  <span className="bar" style={{ width: `${s.bps / 100}%` }} />
                  <span>{(s.bps / 100).toFixed(1)}%</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Top remixes</h3>
          {stats.topRemixes.length === 0 ? (
            <p className="muted small">No plays yet.</p>
          ) : (
            <table className="table" data-testid="top-remixes">
              <thead>
                <tr>
                  <th>Remix</th>
                  <th>Fan</th>
                  <th>Plays</th>
                </tr>
              </thead>
              <tbody>
                {stats.topRemixes.map((r) => (
                  <tr key={r.exportId}>
                    <td>
                      <a href={`/r/${r.exportId}`}>{r.title}</a>
                    </td>
                    <td>{r.fan}</td>
                    <td>{r.plays}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <StatementForm slug={campaign.slug} />
    </section>
  )
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'SEK', 'CAD', 'AUD', 'CHF']

/** Decimal places of a currency's minor unit (2 for EUR, 0 for JPY). */
function digitsOf(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  )
}

function monthStart(): string {
  const d = new Date()
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10)
}

/** Chooses a period and a revenue pool; shows the statement with CSV and DSR downloads. */
function StatementForm({ slug }: { slug: string }) {
  const [query, setQuery] = useState<URLSearchParams | null>(null)
  const [statement, setStatement] = useState<Statement | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const currency = String(form.get('currency'))
    const minor = Math.round(Number(form.get('pool')) * 10 ** digitsOf(currency))
    const q = new URLSearchParams({
      from: String(form.get('from')),
      to: String(form.get('to')),
      pool: String(minor),
      currency,
    })
    setError(null)
    try {
      setStatement((await api.statement(slug, q)).statement)
      setQuery(q)
    } catch (err) {
      setStatement(null)
      setError((err as Error).message)
    }
  }

  const money = (minor: number, currency: string) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
      minor / 10 ** digitsOf(currency),
    )
  const link = (format: 'csv' | 'dsr') =>
    `/api/campaigns/${slug}/statement?${new URLSearchParams([...(query ?? []), ['format', format]])}`

  return (
    <div className="statement">
      <h3>Statement</h3>
      <form onSubmit={submit} className="statement-form">
        <label>
          From <input type="date" name="from" defaultValue={monthStart()} required />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            name="to"
            defaultValue={new Date().toISOString().slice(0, 10)}
            required
          />
        </label>
        <label>
          Revenue pool{' '}
          <input type="number" name="pool" min={0} step={0.01} defaultValue={1000} required />
        </label>
        <label>
          Currency{' '}
          <select name="currency" defaultValue="EUR">
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Compute
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {statement && (
        <>
          <table className="table" data-testid="statement">
            <thead>
              <tr>
                <th>Party</th>
                <th>Plays</th>
                <th>Amount</th>
              </tr>
            </thead>
            <tbody>
              {statement.parties.map((p) => (
                <tr key={p.party}>
                  <td>
                    {p.party}
                    {p.kind === 'fan-creator' ? ' (fan creator)' : ''}
                  </td>
                  <td>{p.plays}</td>
                  <td data-minor={p.amount}>{money(p.amount, statement.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">
            {statement.totalPlays} plays · pool {money(statement.pool, statement.currency)} ·{' '}
            <a href={link('csv')} download>
              Download CSV
            </a>{' '}
            ·{' '}
            <a href={link('dsr')} download>
              Download DSR
            </a>
          </p>
        </>
      )}
    </div>
  )
}

function FanConsole({ stats }: { stats: FanStats }) {
  return (
    <section className="console-fan" data-testid="fan-console">
      <h2>Your remixes</h2>
      {stats.remixes.length === 0 ? (
        <p className="muted">No exports yet. Open a campaign and remix it in the studio.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Remix</th>
              <th>Campaign</th>
              <th>Plays</th>
              <th>Downloads</th>
            </tr>
          </thead>
          <tbody>
            {stats.remixes.map((r) => (
              <tr key={r.exportId}>
                <td>
                  <a href={`/r/${r.exportId}`}>{r.title}</a>
                </td>
                <td>{r.campaign}</td>
                <td>{r.plays}</td>
                <td>{r.downloads}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {stats.creatorShares.length > 0 && (
        <p className="small muted">
          Creator shares:{' '}
          {stats.creatorShares
            .map((c) => `${c.title} gives fan creators ${c.fanCreatorBps / 100}%`)
            .join(' · ')}
        </p>
      )}
    </section>
  )
}
