import type { CampaignDetail } from '../../core/api/campaigns.ts'

/** Credits and the licence in plain words. */
export function CampaignInfo({ campaign }: { campaign: CampaignDetail }) {
  return (
    <div className="info">
      <section aria-labelledby="credits-h">
        <h2 id="credits-h">Credits</h2>
        <ul className="credits">
          {campaign.credits.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong> <span>{c.roles.join(', ')}</span>
            </li>
          ))}
        </ul>
        <p className="fine">
          {campaign.stems.filter((s) => s.isrc).length} stems with ISRCs
          {campaign.iswc ? ` · ISWC ${campaign.iswc}` : ''} · fan creators share{' '}
          {campaign.splits.fanCreatorBps / 100}% of revenue
        </p>
      </section>
      <section aria-labelledby="licence-h">
        <h2 id="licence-h">Licence</h2>
        <ul className="licence" data-testid="licence-summary">
          {campaign.licenceSummary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {campaign.exportNotice && (
          <p className="warning small" data-testid="export-notice">
            {campaign.exportNotice.message}
          </p>
        )}
      </section>
    </div>
  )
}
