import { useEffect, useRef, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import type { UploadResult } from '../../api-artist.ts'
import { unfinishedUploads } from '../../upload/multipart.ts'
import { useUploads } from '../../upload/useUploads.ts'
import { DropZone } from './DropZone.tsx'
import { CampaignMarkability } from './Markability.tsx'
import { StemRow } from './StemRow.tsx'
import { UploadRow } from './UploadRow.tsx'
import { masterFileProblem, nullTestWords, percentOf } from './words.ts'

const POLL_MS = 1500
const MASTER_ACCEPT = '.wav,.wave,.flac,audio/wav,audio/x-wav,audio/flac'

/** Stems by drag and drop or picker, with progress; each stem's metadata; the reference mix. */
export function StemsStep({
  campaign,
  refresh,
}: {
  campaign: AuthorCampaign
  refresh: () => Promise<void>
}) {
  const [refused, setRefused] = useState<string[]>([])
  const [reference, setReference] = useState<string | null>(null)
  const polls = useRef(0)
  const uploads = useUploads(campaign.id, async (result: UploadResult) => {
    if ('reference' in result) setReference(result.reference.fileName)
    await refresh()
  })

  const processing = campaign.stems.some((s) => s.status === 'processing')
  // The watermark check runs after the last stem is ready: wait for it too.
  const measuring =
    campaign.markability === null &&
    campaign.stems.length > 0 &&
    campaign.stems.every((s) => s.status === 'ready')
  const awaitingNull = reference !== null && campaign.nullTest?.fileName !== reference
  useEffect(() => {
    if (!processing && !awaitingNull && !measuring) {
      polls.current = 0
      return
    }
    if (polls.current++ > 400) return
    const timer = setTimeout(() => void refresh(), POLL_MS)
    return () => clearTimeout(timer)
  }, [campaign, processing, awaitingNull, measuring, refresh])

  function addStems(files: File[]) {
    const problems = files.map(masterFileProblem).filter((p): p is string => p !== null)
    setRefused(problems)
    uploads.add(
      files.filter((f) => !masterFileProblem(f)),
      'stem',
    )
  }

  const active = new Set(uploads.items.map((it) => it.file.name))
  const unfinished =
    typeof localStorage === 'undefined'
      ? []
      : unfinishedUploads(localStorage, campaign.id).filter((f) => !active.has(f.name))
  const stemUploads = uploads.items.filter((it) => it.kind === 'stem')
  const referenceUploads = uploads.items.filter((it) => it.kind === 'reference')
  const draft = campaign.status === 'draft'
  const { overall } = uploads

  return (
    <div className="wizard-form">
      <p className="muted">
        Lossless masters (WAV 16/24-bit or 32-bit float, or FLAC), up to 15 minutes each. All stems
        must share one sample rate and length: export them from the same session, from bar 1 to the
        end. Fans hear a compressed copy; the masters stay private.
      </p>
      {draft ? (
        <DropZone
          name="stems"
          accept={MASTER_ACCEPT}
          label="Choose stem files"
          hint="Drop all your stems here at once"
          onFiles={addStems}
        />
      ) : (
        <p className="muted">Stems cannot change once the campaign is published.</p>
      )}
      {refused.length > 0 && (
        <ul className="error small" role="alert">
          {refused.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {unfinished.length > 0 && (
        <p className="muted small" data-testid="unfinished-uploads">
          Unfinished uploads: {unfinished.map((f) => f.name).join(', ')}. Drop the same files again
          to resume where they stopped.
        </p>
      )}
      {overall.total > 0 && (
        <div className="overall-progress" data-testid="overall-progress">
          <label>
            All uploads: {percentOf(overall.loaded, overall.total)}%
            <progress value={overall.loaded} max={overall.total} />
          </label>
        </div>
      )}
      {stemUploads.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {stemUploads.map((item) => (
            <UploadRow
              key={item.key}
              item={item}
              onCancel={() => void uploads.cancel(item.key)}
              onRetry={() => uploads.retry(item.key)}
              onDismiss={() => uploads.dismiss(item.key)}
            />
          ))}
        </ul>
      )}
      <h3>
        Stems <span className="muted small">({campaign.stems.length})</span>
      </h3>
      {campaign.stems.length === 0 ? (
        <p className="muted">No stems yet. A campaign needs at least two.</p>
      ) : (
        <ol className="stem-list">
          {campaign.stems.map((stem) => (
            <StemRow
              key={stem.id}
              campaignId={campaign.id}
              campaign={campaign}
              stem={stem}
              matches={campaign.matches.filter((m) => m.stem.id === stem.id)}
              removable={draft}
              onChanged={refresh}
            />
          ))}
        </ol>
      )}

      <CampaignMarkability campaign={campaign} />

      <h3>Reference mix (optional)</h3>
      <p className="muted small">
        Upload the full mix to check that the stems add up to it (a null test, as labels run on
        delivered stems).
      </p>
      {campaign.nullTest && (
        <p data-testid="null-test" data-residual={campaign.nullTest.residualDb}>
          Sum of the stems against <strong>{campaign.nullTest.fileName}</strong>: residual{' '}
          <strong>
            {Number.isFinite(campaign.nullTest.residualDb)
              ? `${campaign.nullTest.residualDb.toFixed(1)} dB`
              : '−∞ dB'}
          </strong>
          . {nullTestWords(campaign.nullTest.residualDb)}
        </p>
      )}
      {awaitingNull && <p className="muted small">Comparing {reference} with the stems…</p>}
      <label>
        Reference mix file
        <input
          type="file"
          name="reference"
          accept={MASTER_ACCEPT}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            e.currentTarget.value = ''
            if (!file) return
            const problem = masterFileProblem(file)
            setRefused(problem ? [problem] : [])
            if (!problem) uploads.add([file], 'reference')
          }}
        />
      </label>
      {referenceUploads.length > 0 && (
        <ul className="upload-list" aria-label="Reference mix upload">
          {referenceUploads.map((item) => (
            <UploadRow
              key={item.key}
              item={item}
              onCancel={() => void uploads.cancel(item.key)}
              onRetry={() => uploads.retry(item.key)}
              onDismiss={() => uploads.dismiss(item.key)}
            />
          ))}
        </ul>
      )}
    </div>
  )
}
