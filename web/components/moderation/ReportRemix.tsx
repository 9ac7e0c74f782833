import { useId, useState } from 'react'
import { ApiError } from '../../request.ts'
import { moderationApi } from '../../api-moderation.ts'
import { reasonProblem, REASON_LENGTH } from './moderation.ts'
import './moderation.css'

type Step =
  | { step: 'closed' }
  | { step: 'open'; error: string | null }
  | { step: 'sending' }
  | { step: 'sent' }
  | { step: 'limited' }

/** "Report this remix" on a share page: a reason, sent to the campaign's artist. */
export function ReportRemix({ exportId }: { exportId: string }) {
  const [step, setStep] = useState<Step>({ step: 'closed' })
  const [reason, setReason] = useState('')
  const id = useId()
  const problem = reasonProblem(reason)

  const send = async (e: React.FormEvent) => {
    e.preventDefault()
    if (problem) return
    setStep({ step: 'sending' })
    try {
      await moderationApi.report(exportId, reason.trim())
      setStep({ step: 'sent' })
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setStep({ step: 'limited' })
      else setStep({ step: 'open', error: (err as Error).message })
    }
  }

  if (step.step === 'closed')
    return (
      <p className="report-remix small">
        <button
          type="button"
          className="link"
          onClick={() => setStep({ step: 'open', error: null })}
        >
          Report this remix
        </button>
      </p>
    )
  if (step.step === 'sent')
    return (
      <p className="report-remix small" role="status" data-testid="report-sent">
        Thank you. The artist will look at your report.
      </p>
    )
  if (step.step === 'limited')
    return (
      <p className="report-remix small" role="status" data-testid="report-limited">
        You have sent several reports in a short time. Please wait a while before sending another;
        the ones you sent have reached the artist.
      </p>
    )
  return (
    <form className="report-remix" onSubmit={send} noValidate data-testid="report-form">
      <label htmlFor={`${id}-reason`}>What is wrong with this remix?</label>
      <textarea
        id={`${id}-reason`}
        rows={3}
        maxLength={REASON_LENGTH.max}
        value={reason}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      {reason !== '' && problem && <p className="error small">{problem}</p>}
      {step.step === 'open' && step.error && (
        <p className="error small" role="alert">
          {step.error}
        </p>
      )}
      <div className="mod-actions">
        <button type="submit" disabled={problem !== null || step.step === 'sending'}>
          {step.step === 'sending' ? 'Sending…' : 'Send report'}
        </button>
        <button type="button" className="link" onClick={() => setStep({ step: 'closed' })}>
          Cancel
        </button>
      </div>
    </form>
  )
}
