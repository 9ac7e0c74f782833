import { useState } from 'react'
import { stemUseLine } from '../../../core/campaign/takedown-notice.ts'
import type { UnlicensedUse as Use } from '../../../core/campaign/verification.ts'
import { requestTakedown, type TakedownNotice } from '../../api-takedowns.ts'

/** Verify's third answer: which campaign stems a file without a watermark uses, and a notice. */
export function UnlicensedUse({ file, use, message }: { file: File; use: Use; message: string }) {
  const [notice, setNotice] = useState<TakedownNotice | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <section className="verify-answer" data-testid="verify-result" data-found="unlicensed">
      <p className="verify-status rejected">Unlicensed use</p>
      <h2>{message}</h2>
      <ul data-testid="verify-uses">
        {use.uses.map((u) => (
          <li key={u.stem.id} data-testid="verify-use">
            <strong>{u.campaign.title}</strong> by {u.campaign.artist}: {stemUseLine(u)}
            <br />
            <span className="muted">
              Rights holders: {u.rightsHolders.join(', ')} · contact {u.contact}
            </span>
          </li>
        ))}
      </ul>
      <p className="muted">
        File SHA-256 <code>{use.fileSha256}</code>. A re-recorded cover is not the same recording:
        fingerprints find the campaign&apos;s own recordings, not the song played again.
      </p>
      {notice ? (
        <p data-testid="takedown-ready">
          Notice <code>{notice.id}</code> stored:{' '}
          <a href={notice.textUrl} download data-testid="takedown-text">
            plain text
          </a>{' '}
          ·{' '}
          <a href={notice.htmlUrl} download data-testid="takedown-html">
            HTML document
          </a>
        </p>
      ) : (
        <button
          type="button"
          disabled={busy}
          data-testid="takedown-request"
          onClick={() => {
            setBusy(true)
            setError(null)
            requestTakedown(file)
              .then(setNotice, (err: Error) => setError(err.message))
              .finally(() => setBusy(false))
          }}
        >
          Generate a takedown notice (rights holders)
        </button>
      )}
      {error && (
        <p className="error" role="alert" data-testid="takedown-error">
          {error}
        </p>
      )}
    </section>
  )
}
