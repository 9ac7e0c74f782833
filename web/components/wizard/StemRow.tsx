import { useState } from 'react'
import { StemRole } from '../../../core/campaign/manifest.ts'
import type { AuthorCampaign, AuthorStem } from '../../../core/api/authoring.ts'
import type { StemMatchView } from '../../../core/consent/verification.ts'
import { artistApi, type StemPatch } from '../../api-artist.ts'
import { SaveStatus } from './SaveStatus.tsx'
import { useSave } from './useSave.ts'
import { StemMarkability } from './Markability.tsx'
import { StemNotes } from './StemNotes.tsx'
import { masterWords } from './words.ts'

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/

const holdersFrom = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** One uploaded stem: its metadata (saved on change), what the worker read and any problem. */
export function StemRow({
  campaignId,
  campaign,
  stem,
  matches = [],
  removable,
  onChanged,
}: {
  campaignId: string
  /** The campaign, when its licence decides whether the stem's notes are made here. */
  campaign?: AuthorCampaign
  stem: AuthorStem
  /** Fingerprint matches of this stem against other campaigns' recordings. */
  matches?: readonly StemMatchView[]
  removable: boolean
  onChanged: () => Promise<void>
}) {
  const [name, setName] = useState(stem.name)
  const [isrc, setIsrc] = useState(stem.isrc ?? '')
  const [holders, setHolders] = useState(stem.rightsHolders.join(', '))
  const { state, run } = useSave()
  const id = `stem-${stem.id}`
  const isrcProblem =
    isrc && !ISRC.test(isrc)
      ? 'An ISRC is 12 characters, e.g. GBAYE2600001, without hyphens.'
      : null

  async function save(patch: StemPatch) {
    const saved = await run(() => artistApi.updateStem(campaignId, stem.id, patch))
    if (saved) await onChanged()
  }

  async function retry() {
    const retried = await run(() => artistApi.retryIngest(stem.id))
    if (retried) await onChanged()
  }

  async function remove() {
    const removed = await run(() => artistApi.removeStem(campaignId, stem.id))
    if (removed !== null) await onChanged()
  }

  return (
    <li
      className={`stem-row ${stem.status}`}
      data-testid="stem-row"
      data-file={stem.fileName}
      data-status={stem.status}
    >
      <div className="stem-head">
        <strong>{stem.fileName}</strong>
        <span className={`badge ${stem.status}`} data-testid="stem-status">
          {stem.status === 'processing'
            ? 'Processing…'
            : stem.status === 'ready'
              ? 'Ready'
              : 'Failed'}
        </span>
        {stem.sampleRate > 0 && <span className="muted small">{masterWords(stem)}</span>}
        <StemMarkability stem={stem} />
        {removable && (
          <button type="button" className="link stem-remove" onClick={() => void remove()}>
            Remove {stem.name || stem.fileName}
          </button>
        )}
      </div>
      {stem.error && (
        <p className="error small" role="alert">
          {stem.error}{' '}
          <button type="button" className="link" onClick={() => void retry()}>
            Process {stem.fileName} again
          </button>{' '}
          or remove it and upload the file again.
        </p>
      )}
      {campaign && <StemNotes campaign={campaign} stem={stem} />}
      {stem.problem && (
        <p className="warning small" role="alert" data-testid="stem-problem">
          {stem.problem}
        </p>
      )}
      {matches.map((m) => (
        <p
          key={m.matched.id}
          className={`stem-match small ${m.status}`}
          role={m.status === 'cleared' ? undefined : 'alert'}
          data-testid="stem-match"
          data-status={m.status}
        >
          {m.words}{' '}
          {m.status === 'open'
            ? 'An admin reviews this match; the campaign cannot be published until it is cleared.'
            : m.status === 'refused'
              ? `An admin refused this match${m.reason ? `: ${m.reason}` : ''}. Remove the stem to publish.`
              : `Cleared by an admin${m.reason ? `: ${m.reason}` : ''}.`}
        </p>
      ))}
      <div className="stem-fields">
        <label htmlFor={`${id}-name`}>
          Name
          <input
            id={`${id}-name`}
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.currentTarget.value)}
            onBlur={() =>
              name.trim() && name.trim() !== stem.name && void save({ name: name.trim() })
            }
          />
        </label>
        <label htmlFor={`${id}-role`}>
          Role
          <select
            id={`${id}-role`}
            value={stem.role}
            onChange={(e) => void save({ role: e.currentTarget.value as AuthorStem['role'] })}
          >
            {StemRole.options.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={stem.isVoice}
            onChange={(e) => void save({ isVoice: e.currentTarget.checked })}
          />
          Voice (a singer or speaker; voice rules apply)
        </label>
        <label htmlFor={`${id}-isrc`}>
          Source ISRC
          <input
            id={`${id}-isrc`}
            value={isrc}
            placeholder="optional"
            maxLength={12}
            aria-invalid={isrcProblem ? true : undefined}
            onChange={(e) => setIsrc(e.currentTarget.value.toUpperCase().replace(/[-\s]/g, ''))}
            onBlur={() =>
              !isrcProblem && isrc !== (stem.isrc ?? '') && void save({ isrc: isrc || null })
            }
          />
        </label>
        <label htmlFor={`${id}-holders`} className="wide">
          Rights holders <small className="muted">(comma separated)</small>
          <input
            id={`${id}-holders`}
            value={holders}
            placeholder="e.g. Halcyon Drift, Copper Records Ltd"
            onChange={(e) => setHolders(e.currentTarget.value)}
            onBlur={() => {
              const list = holdersFrom(holders)
              if (list.join('\u0000') !== stem.rightsHolders.join('\u0000'))
                void save({ rightsHolders: list })
            }}
          />
        </label>
      </div>
      {isrcProblem && <p className="error small">{isrcProblem}</p>}
      <SaveStatus state={state} />
    </li>
  )
}
