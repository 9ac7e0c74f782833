import { useEffect, useId, useState, type FormEvent } from 'react'
import {
  RIGHTS_STATEMENT,
  VERIFICATION_ASKS,
  type ArtistVerificationView,
  type VerificationRequestView,
} from '../../../core/consent/verification.ts'
import { ApiError } from '../../request.ts'
import { consentApi } from '../../api-consent.ts'
import './consent.css'

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)

/** Field messages of a 400, by dotted path ("isrcs.1" is listed under "isrcs"). */
function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !Array.isArray(err.details.issues)) return {}
  const out: Record<string, string> = {}
  for (const issue of err.details.issues as { path: (string | number)[]; message: string }[]) {
    const [head, index, ...rest] = issue.path
    const key =
      typeof index === 'number'
        ? String(head)
        : [head, index, ...rest].filter((p) => p !== undefined).join('.')
    const text = typeof index === 'number' ? `item ${index + 1}: ${issue.message}` : issue.message
    out[key] = out[key] ? `${out[key]}; ${text}` : text
  }
  return out
}

const when = (iso: string) => new Date(iso).toLocaleString()

/**
 * Where the artist's verification stands and, while it is needed, the form that asks for it.
 * Shown at the top of the campaign wizard; renders nothing for a verified artist in good standing.
 */
export function VerificationPanel() {
  const [view, setView] = useState<ArtistVerificationView | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    consentApi
      .mine(abort.signal)
      .then((r) => setView(r.verification))
      .catch((err: Error) => {
        // An admin editing someone's campaign has no verification of their own.
        if (abort.signal.aborted || (err instanceof ApiError && err.status === 403)) return
        setLoadError(err.message)
      })
    return () => abort.abort()
  }, [])

  if (loadError)
    return (
      <p className="error" role="alert">
        Could not read your verification: {loadError}
      </p>
    )
  if (!view || (view.state === 'verified' && !view.suspended)) return null
  const canSubmit = ['none', 'more_info', 'refused'].includes(view.state) && !view.suspended

  return (
    <section
      className={`verification ${view.state}`}
      aria-labelledby="verification-head"
      data-testid="verification"
      data-state={view.suspended ? 'suspended' : view.state}
    >
      <h2 id="verification-head">
        {view.suspended ? 'Your artist account is suspended' : 'Your account awaits verification'}
      </h2>
      <p data-testid="verification-status">
        {view.suspended
          ? `An admin suspended your account${view.reason ? `: ${view.reason}` : '.'} Your campaigns accept no new remixes or exports, and drafts cannot be published.`
          : view.state === 'none'
            ? 'You can build drafts now. Publishing needs verification as a rights holder: tell us who you are and what you control, and sign the rights statement.'
            : view.state === 'pending'
              ? `Thank you — an admin is reviewing what you sent on ${when(view.request!.submittedAt)}. Your drafts publish once you are verified.`
              : view.state === 'more_info'
                ? `An admin asked for more information: ${view.reason ?? ''} Update your details below and send them again.`
                : `Verification was refused: ${view.reason ?? ''} You can send better evidence below.`}
      </p>
      {canSubmit && <VerificationForm last={view.request} onSubmitted={setView} />}
    </section>
  )
}

function VerificationForm({
  last,
  onSubmitted,
}: {
  last: VerificationRequestView | null
  onSubmitted: (v: ArtistVerificationView) => void
}) {
  const id = useId()
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const get = (name: string) => String(f.get(name) ?? '')
    setBusy(true)
    setErrors({})
    setMessage(null)
    try {
      const { verification } = await consentApi.submit({
        legalName: get('legalName'),
        artistName: get('artistName'),
        contactName: get('contactName'),
        contactEmail: get('contactEmail'),
        isni: get('isni'),
        ipi: get('ipi'),
        isrcs: lines(get('isrcs')),
        links: lines(get('links')),
        statement: {
          name: get('signature'),
          text: RIGHTS_STATEMENT,
          accepted: f.get('accepted') === 'on',
        },
      })
      onSubmitted(verification)
    } catch (err) {
      setErrors(fieldErrors(err))
      setMessage((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const field = (
    name: string,
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <label htmlFor={`${id}-${name}`}>
      {label}
      <input
        id={`${id}-${name}`}
        name={name}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        {...props}
      />
      {errors[name] && (
        <span className="error small" id={`${id}-${name}-error`}>
          {errors[name]}
        </span>
      )}
    </label>
  )
  const area = (name: string, label: string, value: string, hint: string) => (
    <label htmlFor={`${id}-${name}`}>
      {label} <small className="muted">({hint})</small>
      <textarea
        id={`${id}-${name}`}
        name={name}
        rows={3}
        defaultValue={value}
        aria-invalid={errors[name] ? true : undefined}
      />
      {errors[name] && <span className="error small">{errors[name]}</span>}
    </label>
  )

  return (
    <form className="verification-form" onSubmit={submit} noValidate aria-label="Verification">
      <p className="muted small">We ask for: {VERIFICATION_ASKS.join('; ')}.</p>
      {field('legalName', 'Legal name', { defaultValue: last?.legalName, maxLength: 200 })}
      {field('artistName', 'Artist or label name', {
        defaultValue: last?.artistName,
        maxLength: 200,
      })}
      {field('contactName', 'Distributor or label', {
        defaultValue: last?.contactName,
        maxLength: 200,
      })}
      {field('contactEmail', 'Distributor or label contact email', {
        type: 'email',
        defaultValue: last?.contactEmail,
      })}
      {field('isni', 'ISNI (optional)', {
        defaultValue: last?.isni ?? '',
        placeholder: '0000 0001 2345 6789',
      })}
      {field('ipi', 'IPI (optional)', {
        defaultValue: last?.ipi ?? '',
        placeholder: '00123456789',
      })}
      {area('isrcs', 'ISRCs of your recordings', last?.isrcs.join('\n') ?? '', 'one per line')}
      {area(
        'links',
        'Links to your releases',
        last?.links.join('\n') ?? '',
        'store, streaming or label pages, one per line',
      )}
      <fieldset className="statement">
        <legend>Rights statement</legend>
        <blockquote data-testid="rights-statement">{RIGHTS_STATEMENT}</blockquote>
        <label className="check">
          <input
            type="checkbox"
            name="accepted"
            aria-invalid={errors['statement.accepted'] ? true : undefined}
          />
          I agree to this statement
        </label>
        {errors['statement.accepted'] && (
          <span className="error small">{errors['statement.accepted']}</span>
        )}
        {field('signature', 'Type your legal name to sign', {})}
        {errors['statement.name'] && (
          <span className="error small">{errors['statement.name']}</span>
        )}
      </fieldset>
      {message && (
        <p className="error" role="alert" data-testid="verification-error">
          {message}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send for verification'}
      </button>
    </form>
  )
}
