import { useMemo, useState } from 'react'
import { describeLicence } from '../../../core/licence/describe.ts'
import {
  LeftOperand,
  PermissionSchema,
  ProhibitionSchema,
  type LicencePolicy,
} from '../../../core/licence/policy.ts'
import { licencePresets, type PresetCampaign } from '../../../core/licence/presets.ts'
import { ConstraintRow } from './ConstraintRow.tsx'
import {
  ATTRIBUTION_PATH,
  checkDraft,
  draftFrom,
  issuesAt,
  newConstraint,
  previewable,
  type Issues,
  type LicenceDraft,
} from './licence-form.ts'
import {
  OPERAND_LABELS,
  PERMISSION_LABELS,
  PROHIBITION_LABELS,
  VOICE_PROHIBITIONS,
} from './licence-words.ts'
import { TargetSelect, type EditorStem } from './TargetSelect.tsx'
import './licence-editor.css'

type Props = {
  policy: LicencePolicy | null
  stems: readonly EditorStem[]
  onSave: (policy: LicencePolicy) => Promise<void>
  /** The campaign's state: once published, a save makes a new version for new exports only. */
  status?: 'draft' | 'scheduled' | 'live' | 'closed'
  /** Names the work and artist in the presets' attribution text. */
  campaign?: PresetCampaign
}

type SaveState =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'error'; message: string }

/**
 * The licence as a form over every term the engine enforces, with presets, the plain-language
 * preview the engine's own describer writes, and the schema's issues next to each field.
 */
export function LicenceEditor({ policy, stems, onSave, status = 'draft', campaign }: Props) {
  const [draft, setDraft] = useState<LicenceDraft>(() => draftFrom(policy))
  const [loaded, setLoaded] = useState(policy)
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  if (policy !== loaded) {
    setLoaded(policy)
    setDraft(draftFrom(policy))
  }
  const names = useMemo(() => Object.fromEntries(stems.map((s) => [s.id, s.name])), [stems])
  const presets = useMemo(
    () => licencePresets({ title: campaign?.title, artist: campaign?.artist }),
    [campaign?.title, campaign?.artist],
  )
  const stemIds = useMemo(() => stems.map((s) => s.id), [stems])
  const check = checkDraft(draft, stemIds)
  const preview = previewable(draft)
  const published = status !== 'draft'

  const edit = (next: LicenceDraft) => {
    setDraft(next)
    if (save.state !== 'saving') setSave({ state: 'idle' })
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!check.ok) return
    setSave({ state: 'saving' })
    try {
      await onSave(check.policy)
      setSave({ state: 'saved' })
    } catch (err) {
      setSave({ state: 'error', message: (err as Error).message })
    }
  }
  const applyPreset = (p: LicencePolicy) =>
    edit({ ...draftFrom(p), version: draft.version, uid: draft.uid })

  return (
    <form className="licence-editor" onSubmit={submit} data-testid="licence-editor" noValidate>
      <section className="le-presets" aria-label="Presets">
        <h3>Start from a preset</h3>
        <div className="le-preset-list">
          {presets.map((p) => (
            <button
              key={p.id}
              type="button"
              className="le-preset"
              onClick={() => applyPreset(p.policy)}
              data-preset={p.id}
            >
              <strong>{p.name}</strong>
              <span className="small muted">{p.description}</span>
            </button>
          ))}
        </div>
      </section>

      <div className="le-columns">
        <div className="le-fields">
          <Permissions
            draft={draft}
            stems={stems}
            names={names}
            issues={check.issues}
            edit={edit}
          />
          <Prohibitions draft={draft} stems={stems} issues={check.issues} edit={edit} />
          <Duties draft={draft} issues={check.issues} edit={edit} />
        </div>
        <aside
          className="le-preview"
          aria-label="What fans will read"
          data-testid="licence-preview"
        >
          <h3>What fans will read</h3>
          <ul>
            {describeLicence(preview.policy, names).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {preview.omitted > 0 && (
            <p className="error small">
              {preview.omitted === 1 ? 'One term is' : `${preview.omitted} terms are`} left out
              until fixed.
            </p>
          )}
          <p className="fine">Written by the same code that checks every export.</p>
        </aside>
      </div>

      <footer className="le-footer">
        {published && (
          <p className="banner info" data-testid="licence-version-note">
            This campaign is {status}. Saving creates licence version {draft.version + 1}: it
            applies to new exports only; remixes already exported keep the version they were made
            under.
          </p>
        )}
        {!check.ok && (
          <p className="error small" role="status">
            Fix the {countIssues(check.issues)} marked{' '}
            {countIssues(check.issues) === 1 ? 'field' : 'fields'} to save.
          </p>
        )}
        {save.state === 'error' && (
          <p className="error" role="alert">
            {save.message}
          </p>
        )}
        {save.state === 'saved' && (
          <p className="licence-ok small" role="status">
            Licence saved.
          </p>
        )}
        <button type="submit" className="primary" disabled={!check.ok || save.state === 'saving'}>
          {save.state === 'saving' ? 'Saving…' : 'Save licence'}
        </button>
      </footer>
    </form>
  )
}

function countIssues(issues: Issues): number {
  return [...issues.values()].reduce((n, m) => n + m.length, 0)
}

type SectionProps = {
  draft: LicenceDraft
  issues: Issues
  edit: (next: LicenceDraft) => void
}

function Permissions({
  draft,
  stems,
  names,
  issues,
  edit,
}: SectionProps & { stems: readonly EditorStem[]; names: Record<string, string> }) {
  const unused = PermissionSchema.shape.action.options.filter(
    (a) => !draft.permissions.some((p) => p.action === a),
  )
  const setPermission = (i: number, next: LicenceDraft['permissions'][number] | null) =>
    edit({
      ...draft,
      permissions: next
        ? draft.permissions.map((p, k) => (k === i ? next : p))
        : draft.permissions.filter((_, k) => k !== i),
    })
  // The schema's only rule at this level: at least one permission.
  const top = issues.has('permissions') ? ['Allow fans at least one thing, usually remixing.'] : []
  return (
    <fieldset className="le-section" data-testid="licence-permissions">
      <legend>Fans may</legend>
      {top.map((m) => (
        <p key={m} className="error small" role="alert">
          {m}
        </p>
      ))}
      {draft.permissions.map((p, i) => (
        <div key={i} className="le-permission" data-action={p.action}>
          <div className="le-row">
            <strong>{PERMISSION_LABELS[p.action]}</strong>
            <button
              type="button"
              className="link"
              onClick={() => setPermission(i, null)}
              aria-label={`Remove permission: ${PERMISSION_LABELS[p.action]}`}
            >
              Remove
            </button>
          </div>
          {p.constraints.length > 0 ? (
            <p className="small muted">when all of these hold:</p>
          ) : (
            <p className="small muted">with no conditions.</p>
          )}
          <ul className="le-constraints">
            {p.constraints.map((c, j) => (
              <ConstraintRow
                key={j}
                draft={c}
                stems={stems}
                names={names}
                issues={issuesAt(issues, `permissions.${i}.constraints.${j}`)}
                onChange={(next) =>
                  setPermission(i, {
                    ...p,
                    constraints: p.constraints.map((x, k) => (k === j ? next : x)),
                  })
                }
                onRemove={() =>
                  setPermission(i, { ...p, constraints: p.constraints.filter((_, k) => k !== j) })
                }
              />
            ))}
          </ul>
          <select
            aria-label={`Add a condition to: ${PERMISSION_LABELS[p.action]}`}
            value=""
            onChange={(e) =>
              setPermission(i, {
                ...p,
                constraints: [...p.constraints, newConstraint(e.target.value as LeftOperand)],
              })
            }
          >
            <option value="">+ Add a condition…</option>
            {LeftOperand.options.map((o) => (
              <option key={o} value={o}>
                {OPERAND_LABELS[o]}
              </option>
            ))}
          </select>
        </div>
      ))}
      {unused.length > 0 && (
        <select
          aria-label="Add a permission"
          value=""
          onChange={(e) =>
            edit({
              ...draft,
              permissions: [
                ...draft.permissions,
                { action: e.target.value as (typeof unused)[number], constraints: [] },
              ],
            })
          }
        >
          <option value="">+ Allow fans to…</option>
          {unused.map((a) => (
            <option key={a} value={a}>
              {PERMISSION_LABELS[a]}
            </option>
          ))}
        </select>
      )}
    </fieldset>
  )
}

function Prohibitions({
  draft,
  stems,
  issues,
  edit,
}: SectionProps & { stems: readonly EditorStem[] }) {
  const set = (prohibitions: LicenceDraft['prohibitions']) => edit({ ...draft, prohibitions })
  return (
    <fieldset className="le-section" data-testid="licence-prohibitions">
      <legend>Not allowed</legend>
      {ProhibitionSchema.shape.action.options.map((action) => {
        const rows = draft.prohibitions
          .map((p, k) => ({ p, k }))
          .filter(({ p }) => p.action === action)
        return (
          <div key={action} className="le-row le-prohibition">
            <label className="le-check">
              <input
                type="checkbox"
                checked={rows.length > 0}
                onChange={(e) =>
                  set(
                    e.target.checked
                      ? [
                          ...draft.prohibitions,
                          { action, target: VOICE_PROHIBITIONS.includes(action) ? 'voice' : '' },
                        ]
                      : draft.prohibitions.filter((p) => p.action !== action),
                  )
                }
              />{' '}
              {PROHIBITION_LABELS[action]}
            </label>
            {rows.map(({ p, k }) => (
              <span key={k} className="le-row">
                <TargetSelect
                  label={`${PROHIBITION_LABELS[action]}: applies to`}
                  value={p.target}
                  stems={stems}
                  everyone="the whole remix"
                  onChange={(target) =>
                    set(draft.prohibitions.map((x, i) => (i === k ? { ...x, target } : x)))
                  }
                />
                <FieldIssues messages={issuesAt(issues, `prohibitions.${k}`)} />
              </span>
            ))}
          </div>
        )
      })}
    </fieldset>
  )
}

function Duties({ draft, issues, edit }: SectionProps) {
  const attributionIssues = draft.attribution === null ? [] : issuesAt(issues, ATTRIBUTION_PATH)
  return (
    <fieldset className="le-section" data-testid="licence-duties">
      <legend>Fans must</legend>
      <div className="le-duty">
        <label className="le-check">
          <input
            type="checkbox"
            checked={draft.attribution !== null}
            onChange={(e) => edit({ ...draft, attribution: e.target.checked ? '' : null })}
          />{' '}
          Credit the campaign with this text
        </label>
        {draft.attribution !== null && (
          <>
            <textarea
              aria-label="Attribution text"
              rows={2}
              value={draft.attribution}
              aria-invalid={attributionIssues.length > 0}
              onChange={(e) => edit({ ...draft, attribution: e.target.value })}
            />
            <FieldIssues
              messages={attributionIssues.map((m) =>
                /too small|>=1/.test(m) ? 'Write the credit line fans must carry.' : m,
              )}
            />
          </>
        )}
      </div>
      <label className="le-check le-duty">
        <input
          type="checkbox"
          checked={draft.discloseAi}
          onChange={(e) => edit({ ...draft, discloseAi: e.target.checked })}
        />{' '}
        Label every export as AI-assisted
      </label>
      <label className="le-check le-duty">
        <input
          type="checkbox"
          checked={draft.obtainApproval}
          onChange={(e) => edit({ ...draft, obtainApproval: e.target.checked })}
        />{' '}
        Wait for my approval before a remix is shared publicly
      </label>
    </fieldset>
  )
}

function FieldIssues({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null
  return (
    <ul className="le-issues" role="alert">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  )
}
