import type { StatementPlay } from '../../core/credits/statement.ts'

type Counted = 'play' | 'export' | 'download'

// Every number here comes from daily_counts (forwarded from the events databases' outboxes,
// worker/events/store.ts), never a scan of raw events: `counted` is what statements pay, `held`
// what the caps held back.

/** Counted events of a campaign per UTC day and type, from `since` (YYYY-MM-DD) on. */
export async function dailyCountsOf(
  db: D1Database,
  campaignId: string,
  since: string,
): Promise<{ day: string; type: Counted; n: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT day, type, SUM(counted) AS n FROM daily_counts
       WHERE campaign_id = ?1 AND day >= ?2 GROUP BY day, type ORDER BY day`,
    )
    .bind(campaignId, since)
    .all<{ day: string; type: Counted; n: number }>()
  return results
}

/** All-time counted events of a campaign by type, and the plays and downloads held. */
export async function totalCountsOf(
  db: D1Database,
  campaignId: string,
): Promise<Record<Counted, number> & { heldPlays: number; heldDownloads: number }> {
  const { results } = await db
    .prepare(
      `SELECT type, SUM(counted) AS n, SUM(held) AS held FROM daily_counts WHERE campaign_id = ?1
       GROUP BY type`,
    )
    .bind(campaignId)
    .all<{ type: Counted; n: number; held: number }>()
  const totals = { play: 0, export: 0, download: 0, heldPlays: 0, heldDownloads: 0 }
  for (const r of results) {
    totals[r.type] = r.n
    if (r.type === 'play') totals.heldPlays = r.held
    if (r.type === 'download') totals.heldDownloads = r.held
  }
  return totals
}

/** Each stem's summed contribution over the campaign's ready exports, and how many there are. */
export async function stemUsageOf(
  db: D1Database,
  campaignId: string,
): Promise<{ stem_id: string; bps: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT k.stem_id, SUM(k.bps) AS bps FROM contributions k
       JOIN exports e ON e.id = k.export_id
       WHERE e.campaign_id = ?1 AND e.status = 'ready' GROUP BY k.stem_id ORDER BY k.stem_id`,
    )
    .bind(campaignId)
    .all<{ stem_id: string; bps: number }>()
  return results
}

/** A campaign's most played ready exports (taken-down remixes left out). */
export async function topRemixesOf(
  db: D1Database,
  campaignId: string,
  limit: number,
): Promise<{ exportId: string; title: string; fan: string; plays: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id AS exportId, r.title AS title, u.display_name AS fan,
         (SELECT COALESCE(SUM(d.counted), 0) FROM daily_counts d
           WHERE d.export_id = e.id AND d.type = 'play') AS plays
       FROM exports e JOIN remixes r ON r.id = e.remix_id JOIN users u ON u.id = e.owner_id
       WHERE e.campaign_id = ?1 AND e.status = 'ready' AND r.status != 'taken_down'
       ORDER BY plays DESC, e.id LIMIT ?2`,
    )
    .bind(campaignId, limit)
    .all<{ exportId: string; title: string; fan: string; plays: number }>()
  return results
}

/**
 * The plays of a campaign from `from` up to (not including) `until`, per export and day: `count`
 * the counted (paid) ones, `held` those the caps held back.
 */
export async function playsOf(
  db: D1Database,
  campaignId: string,
  from: string,
  until: string,
): Promise<StatementPlay[]> {
  const { results } = await db
    .prepare(
      `SELECT d.export_id AS exportId, r.title AS remixTitle, u.display_name AS fan,
         d.day AS occurredAt, d.counted AS count, d.held AS held
       FROM daily_counts d JOIN exports e ON e.id = d.export_id
         JOIN remixes r ON r.id = e.remix_id JOIN users u ON u.id = e.owner_id
       WHERE d.campaign_id = ?1 AND d.type = 'play' AND d.day >= ?2 AND d.day < ?3`,
    )
    .bind(campaignId, from, until)
    .all<StatementPlay>()
  return results
}

/** A fan's ready exports with their plays and downloads, newest first. */
export async function fanRemixesOf(
  db: D1Database,
  ownerId: string,
): Promise<
  { exportId: string; title: string; campaign: string; plays: number; downloads: number }[]
> {
  const { results } = await db
    .prepare(
      `SELECT e.id AS exportId, r.title AS title, c.slug AS campaign,
         (SELECT COALESCE(SUM(d.counted), 0) FROM daily_counts d
           WHERE d.export_id = e.id AND d.type = 'play') AS plays,
         (SELECT COALESCE(SUM(d.counted), 0) FROM daily_counts d
           WHERE d.export_id = e.id AND d.type = 'download') AS downloads
       FROM exports e JOIN remixes r ON r.id = e.remix_id JOIN campaigns c ON c.id = e.campaign_id
       WHERE e.owner_id = ?1 AND e.status = 'ready'
       ORDER BY e.created_at DESC, e.id`,
    )
    .bind(ownerId)
    .all<{ exportId: string; title: string; campaign: string; plays: number; downloads: number }>()
  return results
}

/** The campaigns a fan has ready exports in, with their splits (JSON). */
export async function fanCampaignsOf(
  db: D1Database,
  ownerId: string,
): Promise<{ campaign: string; title: string; splits: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT c.slug AS campaign, c.title AS title, c.splits AS splits
       FROM exports e JOIN campaigns c ON c.id = e.campaign_id
       WHERE e.owner_id = ?1 AND e.status = 'ready' ORDER BY c.slug`,
    )
    .bind(ownerId)
    .all<{ campaign: string; title: string; splits: string }>()
  return results
}
