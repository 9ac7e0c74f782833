import type { ExportNotice } from '../../../core/campaign/markability.ts'
import type { LicenceDecision } from '../../../core/licence/evaluate.ts'

type Props = { summary: string[]; decision: LicenceDecision; notice: ExportNotice | null }

/** The licence in plain words, and what in this remix it does not allow yet. */
export function LicencePanel({ summary, decision, notice }: Props) {
  return (
    <section className="licence-panel" aria-label="Licence" data-testid="licence-panel">
      <h3>Licence</h3>
      {decision.allowed ? (
        <p className="licence-ok small">This remix is within the licence.</p>
      ) : (
        <>
          <p className="error small">Fix these before you export:</p>
          <ul className="violations" data-testid="violations">
            {decision.violations.map((v) => (
              <li key={`${v.code}:${v.path?.join('.') ?? ''}`}>{v.message}</li>
            ))}
          </ul>
        </>
      )}
      {notice && (
        <p className="warning small" data-testid="export-notice">
          {notice.message}
        </p>
      )}
      <details>
        <summary className="small">What the licence says</summary>
        <ul>
          {summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>
    </section>
  )
}
