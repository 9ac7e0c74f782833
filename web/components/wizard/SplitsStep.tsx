import type { AuthorCampaign } from '../../../core/api/authoring.ts'
import type { Contributor, Splits } from '../../../core/credits/splits.ts'
import { artistApi } from '../../api-artist.ts'
import { SplitsEditor } from '../splits/SplitsEditor.tsx'

/** Who is paid for each stem, the fan creator's share and the credits, through the splits editor. */
export function SplitsStep({
  campaign,
  onSaved,
}: {
  campaign: AuthorCampaign
  onSaved: (c: AuthorCampaign) => void
}) {
  async function save(splits: Splits, credits: Contributor[]) {
    onSaved((await artistApi.putSplits(campaign.id, splits, credits)).campaign)
  }
  if (campaign.stems.length === 0)
    return <p className="muted">Upload the stems first: splits are set per stem.</p>
  return (
    <div className="wizard-form">
      <SplitsEditor campaign={campaign} onSave={save} />
    </div>
  )
}
