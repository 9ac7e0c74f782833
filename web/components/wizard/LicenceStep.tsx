import { useEffect, useState } from 'react'
import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import type { LicenceVersionView } from '../../../core/api/campaigns.ts'
import { describeLicence } from '../../../core/licence/describe.ts'
import { UNWATERMARKED_CHOICES } from '../../../core/campaign/markability.ts'
import type { LicencePolicy, UnwatermarkedExports } from '../../../core/licence/policy.ts'
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
    // The editor knows nothing of the watermark choice: keep the one made below.
    const unwatermarked = policy.unwatermarked ?? campaign.licence?.unwatermarked
    const kept = unwatermarked ? { ...policy, unwatermarked } : policy
    onSaved((await artistApi.putLicence(campaign.id, kept)).campaign)
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
      {(campaign.markability?.level === 'unmarkable' || campaign.licence?.unwatermarked) && (
        <UnwatermarkedChoice campaign={campaign} onSave={save} />
      )}
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

/** What exports of a campaign whose stems cannot carry the watermark do: the artist's choice. */
function UnwatermarkedChoice({
  campaign,
  onSave,
}: {
  campaign: AuthorCampaign
  onSave: (policy: LicencePolicy) => Promise<void>
}) {
  const [error, setError] = useState<string | null>(null)
  const licence = campaign.licence
  // Shown at once; the saved licence confirms it (or the error says why not).
  const [chosen, setChosen] = useState(licence?.unwatermarked)
  const choose = (unwatermarked: UnwatermarkedExports) => {
    if (!licence) return
    setError(null)
    setChosen(unwatermarked)
    onSave({ ...licence, unwatermarked }).catch((err: Error) => {
      setChosen(licence.unwatermarked)
      setError(err.message)
    })
  }
  return (
    <fieldset className="unwatermarked-choice" data-testid="unwatermarked-choice">
      <legend>Exports without a watermark</legend>
      <p className="small">
        The stems cannot carry the export watermark (see the stems step). Choose what fans’ exports
        do; publishing waits for this choice.
      </p>
      {!licence && <p className="muted small">Save a licence first.</p>}
      {(Object.keys(UNWATERMARKED_CHOICES) as UnwatermarkedExports[]).map((value) => (
        <label key={value} className="check">
          <input
            type="radio"
            name="unwatermarked"
            value={value}
            disabled={!licence}
            checked={chosen === value}
            onChange={() => choose(value)}
          />
          {UNWATERMARKED_CHOICES[value]}
        </label>
      ))}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
