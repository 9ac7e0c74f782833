import { useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import type { PublishReason } from '../../../core/api/errors.ts'
import type { Missing } from '../../../core/campaign/authoring.ts'
import type { PublishBlock } from '../../../core/consent/verification.ts'
import { ApiError } from '../../request.ts'
import { artistApi } from '../../api-artist.ts'
import { navigate } from '../../store/route.ts'
import { CampaignMarkability } from './Markability.tsx'
import { STEPS, wizardPath } from './steps.ts'

/** Whether a reason is something the campaign itself lacks (it names the step that fixes it). */
const isMissing = (r: PublishReason): r is Missing => 'step' in r

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'not set')

/** What is still missing, a summary, Publish (or Close), and the public page once published. */
export function ReviewStep({
  campaign,
  onSaved,
}: {
  campaign: AuthorCampaign
  onSaved: (c: AuthorCampaign) => void
}) {
  const [busy, setBusy] = useState(false)
  const [confirmClose, setConfirmClose] = useState(false)
  const [error, setError] = useState<{
    message: string
    missing: Missing[]
    reasons: PublishReason[]
  } | null>(null)

  async function act(action: 'publish' | 'close') {
    setBusy(true)
    setError(null)
    try {
      onSaved((await artistApi[action](campaign.id)).campaign)
    } catch (err) {
      const reasons = (err instanceof ApiError && err.as('incomplete')?.reasons) || []
      // What is missing from the campaign itself; consent reasons are listed on their own.
      setError({ message: (err as Error).message, missing: reasons.filter(isMissing), reasons })
    } finally {
      setBusy(false)
    }
  }

  const missing = error?.missing.length ? error.missing : campaign.missing
  const blocks: PublishBlock[] = error?.reasons.length
    ? error.reasons.filter((r): r is PublishBlock => !isMissing(r))
    : campaign.blocks
  const link = (item: Missing) => {
    const { step } = item
    const href = wizardPath(campaign.id, step)
    const label = STEPS.find((s) => s.id === step)!.label
    return (
      <a
        href={href}
        onClick={(e) => {
          e.preventDefault()
          navigate(href)
        }}
      >
        {label}
      </a>
    )
  }

  return (
    <div className="wizard-form">
      <dl className="review">
        <dt>Title</dt>
        <dd>{campaign.title}</dd>
        <dt>Address</dt>
        <dd>/c/{campaign.slug}</dd>
        <dt>Window</dt>
        <dd>
          {when(campaign.opensAt)} to {when(campaign.closesAt)}
        </dd>
        <dt>Stems</dt>
        <dd>
          {campaign.stems.length} ({campaign.stems.filter((s) => s.status === 'ready').length}{' '}
          ready)
        </dd>
        <dt>Licence</dt>
        <dd>{campaign.licence ? `version ${campaign.licenceVersion}` : 'not set'}</dd>
        <dt>Splits</dt>
        <dd>
          {campaign.splits
            ? `set; fan creators get ${campaign.splits.fanCreatorBps / 100}%`
            : 'not set'}
        </dd>
      </dl>
      <CampaignMarkability campaign={campaign} />
      {missing.length > 0 && (
        <section aria-labelledby="missing-head" data-testid="missing">
          <h3 id="missing-head">Still needed before publishing</h3>
          <ul>
            {missing.map((item) => (
              <li key={`${item.code}:${item.message}`}>
                {item.message} — {link(item)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {campaign.status === 'draft' && blocks.length > 0 && (
        <section
          aria-labelledby="blocks-head"
          data-testid="publish-blocks"
          className="publish-blocks"
        >
          <h3 id="blocks-head">What blocks publishing</h3>
          <ul>
            {blocks.map((b) => (
              <li key={b.message} data-code={b.code}>
                {b.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && (
        <p className="error" role="alert" data-testid="publish-error">
          {error.message}
        </p>
      )}
      {campaign.status === 'draft' ? (
        <div className="wizard-actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void act('publish')}
          >
            {busy ? 'Publishing…' : 'Publish'}
          </button>
          <span className="muted small">
            Fans can remix from the opening date; the campaign closes by itself at the end.
          </span>
        </div>
      ) : (
        <div className="published" data-testid="published" data-status={campaign.status}>
          <p>
            {campaign.status === 'live' && 'Published and open for remixes. '}
            {campaign.status === 'scheduled' && `Published; opens ${when(campaign.opensAt)}. `}
            {campaign.status === 'closed' && 'Closed: fans can no longer export. '}
            <a href={campaign.shareUrl}>Open the public campaign page</a>
          </p>
          {campaign.status !== 'closed' &&
            (confirmClose ? (
              <p role="group" aria-label="Confirm closing">
                Fans will no longer be able to export remixes of this campaign.{' '}
                <button type="button" disabled={busy} onClick={() => void act('close')}>
                  Yes, close it now
                </button>{' '}
                <button type="button" onClick={() => setConfirmClose(false)}>
                  Keep it open
                </button>
              </p>
            ) : (
              <button type="button" onClick={() => setConfirmClose(true)}>
                Close the campaign now…
              </button>
            ))}
        </div>
      )}
    </div>
  )
}
