import { sizeOf, type ExportFormat } from '../../../core/api/formats.ts'
import type { ExportNotice } from '../../../core/campaign/markability.ts'
import type { ExportStep } from '../../store/exportFlow.ts'
import { FormatPicker } from './FormatPicker.tsx'

type Props = {
  step: ExportStep
  /** Said before the fan chooses: the campaign's exports go out without a watermark. */
  notice?: ExportNotice | null
  onStart: (formats: ExportFormat[]) => void
  onClose: () => void
}

const pct = (f: number) => `${Math.round(f * 100)}%`

/** The files to make, the export's progress, then its downloads and share link, or why it was refused. */
export function ExportDialog({ step, notice, onStart, onClose }: Props) {
  const busy = step.step !== 'ready' && step.step !== 'failed' && step.step !== 'choosing'
  return (
    <div className="dialog-backdrop" role="presentation">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="export-h"
        data-testid="export-dialog"
        data-step={step.step}
      >
        <h2 id="export-h">Export</h2>
        {step.step === 'choosing' && notice && (
          <p className="warning small" data-testid="export-notice">
            {notice.message}
          </p>
        )}
        {step.step === 'choosing' && <FormatPicker onStart={onStart} />}
        {step.step === 'saving' && <p>Saving the remix…</p>}
        {step.step === 'queued' && <p>Queued: the server will render your remix from the stems…</p>}
        {step.step === 'rendering' && (
          <Progress label="Rendering and watermarking" fraction={step.progress} />
        )}
        {step.step === 'encoding' && <p>Encoding and checking the watermark…</p>}
        {step.step === 'signing' && <p>Signing the manifest and crediting the stems…</p>}
        {step.step === 'ready' && step.export.downloads && (
          <>
            <p>
              Your remix is ready. It carries the credits, the licence and a label that says what AI
              did, if anything.
            </p>
            <ul className="downloads">
              {step.export.downloads.files.map((file) => (
                <li key={file.format}>
                  <a href={file.url} download data-testid={`download-${file.format}`}>
                    {file.label}
                  </a>{' '}
                  <span className="muted">{sizeOf(file.bytes)}</span>
                </li>
              ))}
            </ul>
            <p>
              Share page:{' '}
              <a href={`/r/${step.export.id}`} data-testid="share-link">
                {location.origin}/r/{step.export.id}
              </a>
            </p>
            <p className="fine">
              Download links expire at{' '}
              {new Date(step.export.downloads.expiresAt).toLocaleTimeString()}.
            </p>
          </>
        )}
        {step.step === 'failed' && (
          <div role="alert">
            <p className="error">
              {step.violations.length ? 'The licence does not allow this export:' : step.message}
            </p>
            {step.violations.length > 0 && (
              <ul className="violations">
                {step.violations.map((v) => (
                  <li key={v.code + v.message}>{v.message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <button type="button" onClick={onClose}>
          {busy ? 'Cancel' : 'Close'}
        </button>
      </div>
    </div>
  )
}

function Progress({ label, fraction }: { label: string; fraction: number }) {
  return (
    <div className="progress">
      <span>
        {label} {pct(fraction)}
      </span>
      <progress max={1} value={fraction} aria-label={label} />
    </div>
  )
}
