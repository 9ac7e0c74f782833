import { useId, useState } from 'react'
import { reasonProblem, REASON_LENGTH } from './moderation.ts'

type Props = {
  title: string
  intro: string
  confirm: string // the confirming button's label
  onConfirm: (reason: string) => Promise<void>
  onClose: () => void
}

/** Asks for a reason and a confirmation before an action that cannot be undone. */
export function ReasonDialog({ title, intro, confirm, onConfirm, onClose }: Props) {
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [touched, setTouched] = useState(false)
  const id = useId()
  const problem = reasonProblem(reason)

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (problem) return
    setBusy(true)
    setError(null)
    try {
      await onConfirm(reason.trim())
    } catch (err) {
      setError((err as Error).message)
      setBusy(false)
    }
  }

  return (
    <div className="dialog-backdrop" role="presentation">
      <form
        className="dialog mod-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-h`}
        onSubmit={submit}
        noValidate
      >
        <h2 id={`${id}-h`}>{title}</h2>
        <p>{intro}</p>
        <label htmlFor={`${id}-reason`}>Reason</label>
        <textarea
          id={`${id}-reason`}
          rows={3}
          maxLength={REASON_LENGTH.max}
          value={reason}
          autoFocus
          aria-invalid={touched && problem !== null}
          onChange={(e) => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        {touched && problem && <p className="error small">{problem}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="mod-actions">
          <button type="submit" className="danger" disabled={busy || problem !== null}>
            {busy ? 'Working…' : confirm}
          </button>
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  )
}
