// The API's view of consent: match sentences, and what blocks a campaign from publishing.
import {
  matchWords,
  publishBlocks,
  type PublishBlock,
  type StemMatchView,
} from '../../core/consent/verification.ts'
import {
  currentReason,
  findStanding,
  latestRequest,
  listCampaignMatches,
  listConsentLog,
  listMatches,
  type MatchFacts,
} from '../db/consent.ts'

/** A stored match with its sentence for people. */
export function matchViewOf(facts: MatchFacts): StemMatchView {
  return { ...facts, words: matchWords(facts) }
}

/** An owner's standing and its reason, read once per owner when many campaigns are listed. */
export type OwnerStandings = Map<
  string,
  Promise<[Awaited<ReturnType<typeof findStanding>>, string | null]>
>

/** What consent says about publishing a campaign: its matches and what blocks it (owner, matches). */
export async function campaignConsent(
  db: D1Database,
  campaign: { id: string; ownerId: string },
  owners: OwnerStandings = new Map(),
): Promise<{ blocks: PublishBlock[]; matches: StemMatchView[] }> {
  let owner = owners.get(campaign.ownerId)
  if (!owner) {
    owner = Promise.all([findStanding(db, campaign.ownerId), currentReason(db, campaign.ownerId)])
    owners.set(campaign.ownerId, owner)
  }
  const [[standing, reason], matches] = await Promise.all([
    owner,
    listCampaignMatches(db, campaign.id).then((m) => m.map(matchViewOf)),
  ])
  const blocks = publishBlocks({
    state: standing?.state ?? 'none',
    suspended: standing?.suspended ?? false,
    reason,
    matches,
  })
  return { blocks, matches }
}

/** Everything the admin console shows about one artist. */
export async function verificationCase(db: D1Database, userId: string) {
  const standing = await findStanding(db, userId)
  if (!standing || standing.role !== 'artist') return null
  const { role: _, ...artist } = standing
  const [request, matches, history] = await Promise.all([
    latestRequest(db, userId),
    listMatches(db, { ownerId: userId, status: null }).then((m) => m.map(matchViewOf)),
    listConsentLog(db, userId),
  ])
  return { artist, request, matches, history }
}
