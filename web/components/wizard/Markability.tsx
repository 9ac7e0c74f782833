import type { AuthorCampaign, AuthorStem } from '../../../core/api/authoring.ts'
import { markabilityWords } from '../../../core/campaign/markability.ts'
import type { Markability as Measure } from '../../../core/watermark/markability.ts'

const TITLES: Record<Measure['level'], string> = {
  markable: 'Carries the watermark',
  weak: 'Carries the watermark weakly',
  unmarkable: 'Cannot carry the watermark',
}

/** The measured figure in one line: the read-back after MP3, and with noise. */
export function markabilityFigure(m: Measure): string {
  const read = (r: Measure['coded']) =>
    r.found
      ? `read back (sync ${Math.round(r.confidence * 100)} %, ${r.bitErrors} of ${m.codedBits} bits wrong)`
      : `not read back (sync ${Math.round(r.confidence * 100)} %)`
  const clip = `${Math.round(m.seconds)} s`
  return m.coded.found
    ? `Test mark on ${clip} after MP3: ${read(m.coded)}; with noise 30 dB down: ${read(m.noisy)}.`
    : `Test mark on ${clip} after MP3: ${read(m.coded)}.`
}

/** A stem's verdict, as a badge with its figure. */
export function StemMarkability({ stem }: { stem: AuthorStem }) {
  const m = stem.markability
  if (!m) return null
  return (
    <span
      className={`badge mark-${m.level}`}
      data-testid="stem-markability"
      data-level={m.level}
      title={`${markabilityWords(m.level)} ${markabilityFigure(m)}`}
    >
      {TITLES[m.level]}
    </span>
  )
}

/** The campaign's verdict (its default mix) in plain words, what it means and what to do. */
export function CampaignMarkability({ campaign }: { campaign: AuthorCampaign }) {
  const m = campaign.markability
  const ready = campaign.stems.length > 0 && campaign.stems.every((s) => s.status === 'ready')
  if (!m)
    return ready ? (
      <p className="muted small" data-testid="markability" data-level="pending">
        Checking whether the stems can carry the export watermark…
      </p>
    ) : null
  return (
    <section
      className={m.level === 'markable' ? 'info small' : 'warning small'}
      role={m.level === 'unmarkable' ? 'alert' : undefined}
      data-testid="markability"
      data-level={m.level}
    >
      <h4>Watermark: {TITLES[m.level].toLowerCase()}</h4>
      <p>{markabilityWords(m.level)}</p>
      <p className="muted">{markabilityFigure(m)}</p>
      {m.level === 'unmarkable' && (
        <p>
          Before publishing, choose in the licence step what exports do: go out without a watermark,
          labelled so, or not at all.
        </p>
      )}
    </section>
  )
}
