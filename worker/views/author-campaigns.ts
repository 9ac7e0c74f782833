// The artist's API view of a campaign: its row read at a time (status, what is still missing),
// its URLs, and its licence versions in sentences.
import { missingFor, statusAt } from '../../core/campaign/authoring.ts'
import { campaignShape } from '../../core/campaign/stem-shape.ts'
import type { AuthorCampaign, AuthorStem } from '../../core/api/authoring.ts'
import type { CampaignImage, LicenceVersionView } from '../../core/api/campaigns.ts'
import type { PublishBlock, StemMatchView } from '../../core/consent/verification.ts'
import type { Contributor, Splits } from '../../core/credits/splits.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import type { Markability } from '../../core/watermark/markability.ts'
import {
  listLicenceVersionRows,
  NONE,
  type AuthorCampaignRow,
  type ImageRow,
} from '../db/author-campaigns.ts'

const orNull = (window: string) => (window === NONE.window ? null : window)
const parsed = <T>(json: string) => JSON.parse(json) as T | null

/** The artist's view of a campaign row, its stems, images and consent, read at `now`. */
export function authorCampaignFrom(
  row: AuthorCampaignRow,
  stems: AuthorStem[],
  images: ImageRow[],
  consent: { blocks: PublishBlock[]; matches: StemMatchView[] },
  now = new Date().toISOString(),
): AuthorCampaign {
  const licence = parsed<LicencePolicy>(row.licence)
  const splits = parsed<Splits>(row.splits)
  const opensAt = orNull(row.opens_at)
  const closesAt = orNull(row.closes_at)
  const shape = campaignShape(stems)
  const base = `/api/artist/campaigns/${row.id}`
  const markability = row.markability ? (JSON.parse(row.markability) as Markability) : null
  const draft = {
    slug: row.slug,
    stems,
    licence,
    splits,
    hasArtwork: row.artwork_key !== null,
    opensAt,
    closesAt,
    markability,
  }
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    artist: row.artist,
    description: row.description,
    status: statusAt({ status: row.status, opensAt, closesAt }, now),
    opensAt,
    closesAt,
    tempo: row.tempo,
    musicalKey: row.musical_key,
    timeSignature: JSON.parse(row.time_signature) as [number, number],
    sampleRate: row.sample_rate > 0 ? row.sample_rate : (shape?.sampleRate ?? null),
    lengthSamples: shape?.lengthSamples ?? null,
    artworkUrl: row.artwork_key ? `${base}/artwork?v=${encodeURIComponent(row.artwork_key)}` : null,
    images: images.map((i) => imageFrom(i)),
    stems,
    licence,
    licenceVersion: licence?.version ?? 0,
    splits,
    credits: JSON.parse(row.credits) as Contributor[],
    missing: row.status === 'draft' ? missingFor(draft, now) : [],
    blocks: row.status === 'draft' ? consent.blocks : [],
    matches: consent.matches,
    nullTest:
      row.null_test_db !== null && row.reference_file_name !== null
        ? { residualDb: row.null_test_db, fileName: row.reference_file_name }
        : null,
    markability,
    shareUrl: `/c/${row.slug}`,
  }
}

/** An image as the artist's API shows it. */
export function imageFrom(row: ImageRow): CampaignImage {
  return { id: row.id, url: `/api/artist/campaigns/${row.campaign_id}/images/${row.id}` }
}

/** Every licence version of a campaign, oldest first, in sentences too. */
export async function listLicenceVersions(
  db: D1Database,
  campaignId: string,
  names: Record<string, string>,
): Promise<LicenceVersionView[]> {
  return (await listLicenceVersionRows(db, campaignId)).map((r) => {
    const policy = JSON.parse(r.policy) as LicencePolicy
    return {
      version: r.version,
      createdAt: r.created_at,
      policy,
      summary: describeLicence(policy, names),
    }
  })
}
