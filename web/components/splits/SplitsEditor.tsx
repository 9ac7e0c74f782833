import { useId, useState } from 'react'
import type { Contributor, Splits } from '../../../core/credits/splits.ts'
import {
  checkSplits,
  contributorFrom,
  draftFrom,
  percentFromBps,
  remainingBps,
  splitEvenly,
  type ContributorDraft,
  type Issues,
  type SplitsCampaign,
  type SplitsDraft,
  type StemSplitDraft,
} from './splits-form.ts'
import './splits-editor.css'

type Props = {
  campaign: SplitsCampaign
  onSave: (splits: Splits, credits: Contributor[]) => Promise<void>
}

type SaveState =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'error'; message: string }

/**
 * Who is paid for each stem (basis points summing to the whole, typed as percentages), the fan
 * creator's cut, and the contributors credited in file tags and on share pages.
 */
export function SplitsEditor({ campaign, onSave }: Props) {
  const [draft, setDraft] = useState<SplitsDraft>(() => draftFrom(campaign))
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  // A new campaign from the server (after a save, or new stems) starts the form again.
  const source = [
    campaign.splits,
    campaign.credits,
    campaign.stems.map((s) => s.id).join(),
  ] as const
  const [loaded, setLoaded] = useState(source)
  if (source.some((x, i) => x !== loaded[i])) {
    setLoaded(source)
    setDraft(draftFrom(campaign))
  }
  const listId = useId()
  const check = checkSplits(draft)
  const issues: Issues = check.ok ? new Map() : check.issues
  const names = new Map(campaign.stems.map((s) => [s.id, s.name]))
  const credited = new Map(draft.credits.map((c) => [c.name.trim(), contributorFrom(c)]))

  const edit = (next: SplitsDraft) => {
    setDraft(next)
    if (save.state !== 'saving') setSave({ state: 'idle' })
  }
  const setStem = (i: number, next: StemSplitDraft) =>
    edit({ ...draft, stems: draft.stems.map((s, k) => (k === i ? next : s)) })
  const setCredit = (k: number, next: ContributorDraft | null) =>
    edit({
      ...draft,
      credits: next
        ? draft.credits.map((c, i) => (i === k ? next : c))
        : draft.credits.filter((_, i) => i !== k),
    })
  const credit = (name: string) =>
    edit({ ...draft, credits: [...draft.credits, { name, roles: '', ipi: '', isni: '' }] })

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!check.ok) return
    setSave({ state: 'saving' })
    try {
      await onSave(check.splits, check.credits)
      setSave({ state: 'saved' })
    } catch (err) {
      setSave({ state: 'error', message: (err as Error).message })
    }
  }

  return (
    <form className="splits-editor" onSubmit={submit} noValidate data-testid="splits-editor">
      <datalist id={listId}>
        {draft.credits.map((c, k) => (
          <option key={k} value={c.name} />
        ))}
      </datalist>

      <section className="se-section">
        <label className="se-fan">
          <span>Fan creator’s share</span>
          <span className="se-percent">
            <input
              type="text"
              inputMode="decimal"
              aria-label="Fan creator’s share (%)"
              value={draft.fanCreator}
              aria-invalid={issues.has('fanCreator')}
              onChange={(e) => edit({ ...draft, fanCreator: e.target.value })}
            />
            %
          </span>
        </label>
        <p className="small muted">
          Of each remix’s revenue, this part goes to the fan who made it; the rest is divided by how
          much each stem is heard, then among each stem’s rights holders below.
        </p>
        <Messages messages={issues.get('fanCreator')} />
        <Messages messages={issues.get('stems')} />
      </section>

      {draft.stems.map((s, i) => {
        const left = remainingBps(s.shares)
        const name = names.get(s.stem) ?? s.stem
        return (
          <fieldset key={s.stem} className="se-section se-stem" data-stem={s.stem}>
            <legend>{name}</legend>
            <ul className="se-parties">
              {s.shares.map((x, j) => {
                const at = `stems.${i}.shares.${j}`
                const who = credited.get(x.party.trim())
                return (
                  <li key={j}>
                    <div className="se-row">
                      <input
                        type="text"
                        list={listId}
                        aria-label={`${name}: rights holder ${j + 1}`}
                        placeholder="Rights holder"
                        value={x.party}
                        aria-invalid={issues.has(`${at}.party`)}
                        onChange={(e) =>
                          setStem(i, {
                            ...s,
                            shares: s.shares.map((y, k) =>
                              k === j ? { ...y, party: e.target.value } : y,
                            ),
                          })
                        }
                      />
                      <span className="se-percent">
                        <input
                          type="text"
                          inputMode="decimal"
                          aria-label={`${name}: share of rights holder ${j + 1} (%)`}
                          value={x.percent}
                          aria-invalid={issues.has(`${at}.percent`)}
                          onChange={(e) =>
                            setStem(i, {
                              ...s,
                              shares: s.shares.map((y, k) =>
                                k === j ? { ...y, percent: e.target.value } : y,
                              ),
                            })
                          }
                        />
                        %
                      </span>
                      {s.shares.length > 1 && (
                        <button
                          type="button"
                          className="link"
                          aria-label={`${name}: remove rights holder ${j + 1}`}
                          onClick={() =>
                            setStem(i, { ...s, shares: s.shares.filter((_, k) => k !== j) })
                          }
                        >
                          Remove
                        </button>
                      )}
                    </div>
                    {who && (
                      <p className="small muted se-who">
                        {who.roles.join(', ') || 'no role yet'}
                        {who.ipi && ` · IPI ${who.ipi}`}
                        {who.isni && ` · ISNI ${who.isni}`}
                      </p>
                    )}
                    <Messages messages={issues.get(`${at}.party`)} />
                    {x.party.trim() && !who && (
                      <button type="button" className="link" onClick={() => credit(x.party.trim())}>
                        Add {x.party.trim()} to the credits
                      </button>
                    )}
                    <Messages messages={issues.get(`${at}.percent`)} />
                  </li>
                )
              })}
            </ul>
            <p
              className={`se-left small ${left === 0 ? 'licence-ok' : 'error'}`}
              data-testid="split-remaining"
              data-bps={left}
            >
              {left === 0
                ? 'Adds up to 100%.'
                : left > 0
                  ? `${percentFromBps(left)}% left to assign`
                  : `${percentFromBps(-left)}% over 100%`}
            </p>
            <Messages messages={issues.get(`stems.${i}.shares`)} />
            <div className="se-row">
              <button
                type="button"
                onClick={() =>
                  setStem(i, { ...s, shares: [...s.shares, { party: '', percent: '' }] })
                }
              >
                Add a rights holder
              </button>
              <button
                type="button"
                onClick={() => setStem(i, { ...s, shares: splitEvenly(s.shares) })}
              >
                Split evenly
              </button>
              {draft.stems.length > 1 && (
                <button
                  type="button"
                  onClick={() =>
                    edit({
                      ...draft,
                      stems: draft.stems.map((t) => ({
                        stem: t.stem,
                        shares: s.shares.map((y) => ({ ...y })),
                      })),
                    })
                  }
                >
                  Use for every stem
                </button>
              )}
            </div>
          </fieldset>
        )
      })}

      <fieldset className="se-section" data-testid="credits-editor">
        <legend>Credits</legend>
        <p className="small muted">
          Everyone named here is written into every export’s tags and shown on share pages. IPI and
          ISNI are optional.
        </p>
        <table className="table se-credits">
          <thead>
            <tr>
              <th>Name</th>
              <th>Roles (comma-separated)</th>
              <th>IPI</th>
              <th>ISNI</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.credits.map((c, k) => (
              <tr key={k}>
                {(['name', 'roles', 'ipi', 'isni'] as const).map((field) => (
                  <td key={field}>
                    <input
                      type="text"
                      aria-label={`Contributor ${k + 1}: ${field === 'ipi' || field === 'isni' ? field.toUpperCase() : field}`}
                      value={c[field]}
                      aria-invalid={issues.has(`credits.${k}.${field}`)}
                      placeholder={PLACEHOLDERS[field]}
                      onChange={(e) => setCredit(k, { ...c, [field]: e.target.value })}
                    />
                    <Messages messages={issues.get(`credits.${k}.${field}`)} />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove contributor ${k + 1}`}
                    onClick={() => setCredit(k, null)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => credit('')}>
          Add a contributor
        </button>
      </fieldset>

      <footer className="se-footer">
        {!check.ok && (
          <p className="error small" role="status">
            Fix the marked fields to save.
          </p>
        )}
        {save.state === 'error' && (
          <p className="error" role="alert">
            {save.message}
          </p>
        )}
        {save.state === 'saved' && (
          <p className="licence-ok small" role="status">
            Splits and credits saved.
          </p>
        )}
        <button type="submit" className="primary" disabled={!check.ok || save.state === 'saving'}>
          {save.state === 'saving' ? 'Saving…' : 'Save splits and credits'}
        </button>
      </footer>
    </form>
  )
}

const PLACEHOLDERS: Record<keyof ContributorDraft, string> = {
  name: 'Name',
  roles: 'artist, producer',
  ipi: '9–11 digits',
  isni: '16 characters',
}

function Messages({ messages }: { messages: string[] | undefined }) {
  if (!messages?.length) return null
  return (
    <ul className="se-issues" role="alert">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  )
}
