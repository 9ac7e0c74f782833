import type { ExportApproval, ExportStatus } from '../../core/api/exports.ts'
import type { MyRemixView, PublicRemixView, RemixView } from '../../core/api/remixes.ts'
import type { Recipe } from '../../core/recipe/schema.ts'
import { PUBLIC_EXPORT } from './exports.ts'

/** A remixes row with its campaign's slug and its owner's name joined in. */
export type RemixRow = {
  id: string
  campaign_id: string
  campaign_slug: string
  owner_id: string
  owner_name: string
  title: string
  recipe: string
  version: number
  status: RemixView['status']
  moderation_action: NonNullable<RemixView['moderation']>['action'] | null
  moderation_reason: string | null
  moderated_at: string | null
  created_at: string
  updated_at: string
}

/** A remix in a list: everything but the recipe. */
export type RemixSummary = Omit<RemixView, 'recipe'>

const COLUMNS = `r.id, r.campaign_id, c.slug AS campaign_slug, r.owner_id,
  u.display_name AS owner_name, r.title, r.version, r.status, m.action AS moderation_action,
  m.reason AS moderation_reason, m.at AS moderated_at, r.created_at, r.updated_at`
const FROM = `FROM remixes r JOIN campaigns c ON c.id = r.campaign_id JOIN users u ON u.id = r.owner_id
  LEFT JOIN moderation_log m ON m.id = r.moderation_id`
const SELECT_ONE = `SELECT ${COLUMNS}, r.recipe ${FROM} WHERE r.id = ?1`

function summaryFrom(row: Omit<RemixRow, 'recipe'>): RemixSummary {
  return {
    id: row.id,
    campaign: row.campaign_slug,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    title: row.title,
    version: row.version,
    status: row.status,
    moderation: row.moderation_action
      ? { action: row.moderation_action, reason: row.moderation_reason, at: row.moderated_at! }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The API view of a row, recipe parsed. */
export function remixFrom(row: RemixRow): RemixView {
  return { ...summaryFrom(row), recipe: JSON.parse(row.recipe) as Recipe }
}

/** One remix with its recipe, or null. */
export async function findRemixRow(db: D1Database, id: string): Promise<RemixRow | null> {
  return db.prepare(SELECT_ONE).bind(id).first<RemixRow>()
}

type MyRemixRow = Omit<RemixRow, 'recipe'> & {
  export_count: number
  latest_id: string | null
  latest_status: ExportStatus | null
  latest_reason: string | null
  latest_at: string | null
  latest_approval: ExportApproval | null
  latest_approval_reason: string | null
  ready_id: string | null
  plays: number
  downloads: number
}

/** A user's remixes, most recently saved first, each with its latest export and its counts. */
export async function listRemixesOf(db: D1Database, ownerId: string): Promise<MyRemix[]> {
  const latest = (column: string) =>
    `(SELECT e.${column} FROM exports e WHERE e.remix_id = r.id
      ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1)`
  const counted = (type: string) =>
    `(SELECT COALESCE(SUM(d.counted), 0) FROM daily_counts d JOIN exports e ON e.id = d.export_id
      WHERE e.remix_id = r.id AND d.type = '${type}')`
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS},
         (SELECT COUNT(*) FROM exports e WHERE e.remix_id = r.id) AS export_count,
         ${latest('id')} AS latest_id, ${latest('status')} AS latest_status,
         ${latest('reason')} AS latest_reason, ${latest('created_at')} AS latest_at,
         ${latest('approval')} AS latest_approval,
         (SELECT l.reason FROM moderation_log l WHERE l.id = ${latest('approval_id')})
           AS latest_approval_reason,
         COALESCE(
           (SELECT e.id FROM exports e WHERE e.remix_id = r.id AND ${PUBLIC_EXPORT('e')}
             ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1),
           (SELECT e.id FROM exports e WHERE e.remix_id = r.id AND e.status = 'ready'
             ORDER BY e.created_at DESC, e.rowid DESC LIMIT 1)) AS ready_id,
         ${counted('play')} AS plays, ${counted('download')} AS downloads
       ${FROM} WHERE r.owner_id = ?1 ORDER BY r.updated_at DESC, r.rowid DESC`,
    )
    .bind(ownerId)
    .all<MyRemixRow>()
  return results.map((row) => ({
    ...summaryFrom(row),
    exports: row.export_count,
    latestExport: row.latest_id
      ? {
          id: row.latest_id,
          status: row.latest_status!,
          reason: row.latest_reason,
          createdAt: row.latest_at!,
          approval: row.latest_approval!,
          approvalReason: row.latest_approval === 'rejected' ? row.latest_approval_reason : null,
        }
      : null,
    readyExportId: row.ready_id,
    plays: row.plays,
    downloads: row.downloads,
  }))
}

/** A remix of the owner's list, before the route adds its public URL. */
export type MyRemix = Omit<MyRemixView, 'shareUrl'> & { readyExportId: string | null }

/** Renames a remix of `ownerId`; answers the row, or null when there is no such remix of theirs. */
export async function renameRemix(
  db: D1Database,
  id: string,
  ownerId: string,
  title: string,
): Promise<RemixRow | null> {
  const changed = await db
    .prepare(`UPDATE remixes SET title = ?3, updated_at = ?4 WHERE id = ?1 AND owner_id = ?2`)
    .bind(id, ownerId, title, new Date().toISOString())
    .run()
  return changed.meta.changes ? findRemixRow(db, id) : null
}

/**
 * Deletes a remix of `ownerId` that has never been exported, in one statement (an export racing
 * the delete keeps its remix). Answers whether a row went.
 */
export async function deleteUnexportedRemix(
  db: D1Database,
  id: string,
  ownerId: string,
): Promise<boolean> {
  const deleted = await db
    .prepare(
      `DELETE FROM remixes WHERE id = ?1 AND owner_id = ?2
         AND NOT EXISTS (SELECT 1 FROM exports WHERE remix_id = ?1)`,
    )
    .bind(id, ownerId)
    .run()
  return deleted.meta.changes > 0
}

/** What a new remix is made of; the rest (version, status, times) the insert decides. */
export type NewRemix = {
  id: string
  campaignId: string
  ownerId: string
  title: string
  recipe: Recipe
}

/** Inserts a draft at version 1 and answers the stored row. */
export async function insertRemix(db: D1Database, remix: NewRemix): Promise<RemixRow> {
  const now = new Date().toISOString()
  const [, read] = await db.batch<RemixRow>([
    db
      .prepare(
        `INSERT INTO remixes (id, campaign_id, owner_id, title, recipe, version, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, 'draft', ?6, ?6)`,
      )
      .bind(
        remix.id,
        remix.campaignId,
        remix.ownerId,
        remix.title,
        JSON.stringify(remix.recipe),
        now,
      ),
    db.prepare(SELECT_ONE).bind(remix.id),
  ])
  const row = read?.results[0]
  if (!row) throw new Error(`remix ${remix.id} vanished after insert`)
  return row
}

/**
 * Saves a recipe (and a title, if given) only while the stored version is still `version`, then
 * bumps it. Answers whether it saved and the row as it stands afterwards (null if there is none).
 */
export async function saveRemixAt(
  db: D1Database,
  id: string,
  version: number,
  change: { title?: string; recipe: Recipe },
): Promise<{ saved: boolean; row: RemixRow | null }> {
  const [update, read] = await db.batch<RemixRow>([
    db
      .prepare(
        `UPDATE remixes SET title = COALESCE(?3, title), recipe = ?4, version = version + 1,
           updated_at = ?5
         WHERE id = ?1 AND version = ?2`,
      )
      .bind(
        id,
        version,
        change.title ?? null,
        JSON.stringify(change.recipe),
        new Date().toISOString(),
      ),
    db.prepare(SELECT_ONE).bind(id),
  ])
  return { saved: update?.meta.changes === 1, row: read?.results[0] ?? null }
}

/**
 * The published remixes of a campaign, newest first, each with its latest public export (the one
 * its share page plays) and its counted plays. At most `limit`.
 */
export async function listPublicRemixes(
  db: D1Database,
  campaignId: string,
  limit = 50,
): Promise<Omit<PublicRemixView, 'shareUrl'>[]> {
  const { results } = await db
    .prepare(
      `SELECT e.id AS exportId, r.title AS title, u.display_name AS fan, e.created_at AS createdAt,
         (SELECT COALESCE(SUM(d.counted), 0) FROM daily_counts d
           WHERE d.export_id = e.id AND d.type = 'play') AS plays
       FROM remixes r JOIN users u ON u.id = r.owner_id
       JOIN exports e ON e.id = (SELECT x.id FROM exports x WHERE x.remix_id = r.id
         AND ${PUBLIC_EXPORT('x')} ORDER BY x.created_at DESC, x.rowid DESC LIMIT 1)
       WHERE r.campaign_id = ?1 AND r.status = 'published'
       ORDER BY e.created_at DESC LIMIT ?2`,
    )
    .bind(campaignId, limit)
    .all<Omit<PublicRemixView, 'shareUrl'>>()
  return results
}
