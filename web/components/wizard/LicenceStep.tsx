import { useEffect, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import type { LicenceVersionView } from '../../../core/api/campaigns.ts'
import { describeLicence } from '../../../core/licence/describe.ts'
import type { LicencePolicy } from '../../../core/licence/policy.ts'
import { artistApi } from '../../api-artist.ts'
import { LicenceEditor } from '../licence/LicenceEditor.tsx'

/** The campaign's licence through the licence editor; on a published campaign, its versions. */
export function LicenceStep({
  campaign,
  onSaved,
}: {
  campaign: AuthorCampaign
  onSaved: (c: AuthorCampaign) => void
}) {
  const published = campaign.status !== 'draft'
  const [versions, setVersions] = useState<LicenceVersionView[] | null>(null)
  useEffect(() => {
    if (!published) return
    const abort = new AbortController()
    artistApi
      .licenceVersions(campaign.id, abort.signal)
      .then((r) => setVersions(r.versions))
      .catch(() => !abort.signal.aborted && setVersions([]))
    return () => abort.abort()
  }, [campaign.id, campaign.licenceVersion, published])

  async function save(policy: LicencePolicy) {
    onSaved((await artistApi.putLicence(campaign.id, policy)).campaign)
  }

  const names = Object.fromEntries(campaign.stems.map((s) => [s.id, s.name]))
  return (
    <div className="wizard-form">
      <LicenceEditor
        policy={campaign.licence}
        stems={campaign.stems}
        onSave={save}
        status={campaign.status}
        campaign={{ title: campaign.title, artist: campaign.artist }}
      />
      {campaign.licence && (
        <section aria-label="Current licence" data-testid="current-licence">
          <h3>
            In force {published ? 'now' : 'once published'} (version {campaign.licenceVersion})
          </h3>
          <ul>
            {describeLicence(campaign.licence, names).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      {versions && versions.length > 1 && (
        <details>
          <summary>Earlier versions</summary>
          <ol>
            {versions.map((v) => (
              <li key={v.version}>
                Version {v.version}, {new Date(v.createdAt).toLocaleString()}: {v.summary.join(' ')}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  )
}
