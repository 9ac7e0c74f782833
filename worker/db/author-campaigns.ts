import type { Contributor, Splits } from '../../core/credits/splits.ts'
import type { LicencePolicy } from '../../core/licence/policy.ts'
import type { CampaignRow } from './campaigns.ts'

/** A campaigns row, draft or not, with the reference-mix columns of migration 0007. */
export type AuthorCampaignRow = CampaignRow & {
  created_at: string
  reference_file_name: string | null
  null_test_db: number | null
}

/** An artwork_assets row. */
export type ImageRow = {
  id: string
  campaign_id: string
  r2_key: string
  content_type: string
  size: number
  sha256: string
  created_at: string
}

/** Placeholders a draft holds until the artist sets them (migration 0006). */
export const NONE = { json: 'null', window: '', sampleRate: 0 } as const

/** What a new draft starts with. */
export type NewDraft = {
  id: string
  slug: string
  ownerId: string
  title: string
  artist: string
  description: string
}

/** Inserts a draft; false when the slug is taken (the UNIQUE constraint decides). */
export async function insertDraft(db: D1Database, d: NewDraft): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO campaigns (id, slug, owner_id, title, artist, description, status, tempo,
         musical_key, time_signature, sample_rate, artwork_key, opens_at, closes_at, iswc, licence,
         splits, credits, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', 120, '', '[4,4]', 0, NULL, '', '', NULL, 'null',
         'null', '[]', ?7)
       ON CONFLICT (slug) DO NOTHING`,
    )
    .bind(d.id, d.slug, d.ownerId, d.title, d.artist, d.description, new Date().toISOString())
    .run()
  return result.meta.changes > 0
}

/** A campaign row by id, draft or not. */
export async function findAuthorCampaignRow(
  db: D1Database,
  id: string,
): Promise<AuthorCampaignRow | null> {
  return db.prepare('SELECT * FROM campaigns WHERE id = ?1').bind(id).first<AuthorCampaignRow>()
}

/** An artist's campaigns, newest first; every campaign when `ownerId` is null (admins). */
export async function listAuthorCampaignRows(
  db: D1Database,
  ownerId: string | null,
): Promise<AuthorCampaignRow[]> {
  const { results } = await db
    .prepare(
      'SELECT * FROM campaigns WHERE ?1 IS NULL OR owner_id = ?1 ORDER BY created_at DESC, slug',
    )
    .bind(ownerId)
    .all<AuthorCampaignRow>()
  return results
}

/** What PATCH may change, as columns; an absent field is left alone. */
export type DetailChanges = Partial<{
  title: string
  description: string
  artist: string
  opensAt: string
  closesAt: string
  tempo: number
  musicalKey: string
  timeSignature: [number, number]
}>

const COLUMNS: Record<keyof DetailChanges, string> = {
  title: 'title',
  description: 'description',
  artist: 'artist',
  opensAt: 'opens_at',
  closesAt: 'closes_at',
  tempo: 'tempo',
  musicalKey: 'musical_key',
  timeSignature: 'time_signature',
}

/** Writes the given details in one statement. */
export async function updateDetails(db: D1Database, id: string, changes: DetailChanges) {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [
    keyof DetailChanges,
    unknown,
  ][]
  if (entries.length === 0) return
  const sets = entries.map(([k], i) => `${COLUMNS[k]} = ?${i + 2}`).join(', ')
  const values = entries.map(([k, v]) => (k === 'timeSignature' ? JSON.stringify(v) : v))
  await db
    .prepare(`UPDATE campaigns SET ${sets} WHERE id = ?1`)
    .bind(id, ...values)
    .run()
}

/** Points the campaign at new artwork; answers the key it replaced. */
export async function replaceArtwork(
  db: D1Database,
  id: string,
  key: string,
): Promise<string | null> {
  const [old] = await db.batch<{ artwork_key: string | null }>([
    db.prepare('SELECT artwork_key FROM campaigns WHERE id = ?1').bind(id),
    db.prepare('UPDATE campaigns SET artwork_key = ?2 WHERE id = ?1').bind(id, key),
  ])
  return old?.results[0]?.artwork_key ?? null
}

/**
 * Stores `policy` if the campaign's licence is still at `expected` (its version, 0 for none);
 * false when another edit came first. Triggers record the version in licence_versions.
 */
export async function saveLicence(
  db: D1Database,
  id: string,
  policy: LicencePolicy,
  expected: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE campaigns SET licence = ?2
       WHERE id = ?1 AND COALESCE(json_extract(licence, '$.version'), 0) = ?3`,
    )
    .bind(id, JSON.stringify(policy), expected)
    .run()
  return result.meta.changes > 0
}

/** A licence_versions row. */
export type VersionRow = { version: number; policy: string; created_at: string }

/** Every licence version row of a campaign, oldest first. */
export async function listLicenceVersionRows(
  db: D1Database,
  campaignId: string,
): Promise<VersionRow[]> {
  const { results } = await db
    .prepare(
      'SELECT version, policy, created_at FROM licence_versions WHERE campaign_id = ?1 ORDER BY version',
    )
    .bind(campaignId)
    .all<VersionRow>()
  return results
}

/** The policy of one licence version, or null. */
export async function findLicenceVersion(
  db: D1Database,
  campaignId: string,
  version: number,
): Promise<LicencePolicy | null> {
  const row = await db
    .prepare('SELECT policy FROM licence_versions WHERE campaign_id = ?1 AND version = ?2')
    .bind(campaignId, version)
    .first<{ policy: string }>()
  return row ? (JSON.parse(row.policy) as LicencePolicy) : null
}

/** Stores splits and credits as given (the route has checked them; triggers re-check sums). */
export async function saveSplits(
  db: D1Database,
  id: string,
  splits: Splits,
  credits: Contributor[],
): Promise<void> {
  await db
    .prepare('UPDATE campaigns SET splits = ?2, credits = ?3 WHERE id = ?1')
    .bind(id, JSON.stringify(splits), JSON.stringify(credits))
    .run()
}

/** Publishes a draft at its stems' sample rate; false if it was no longer a draft. */
export async function publishDraft(db: D1Database, id: string, sampleRate: number) {
  const result = await db
    .prepare(
      "UPDATE campaigns SET status = 'live', sample_rate = ?2 WHERE id = ?1 AND status = 'draft'",
    )
    .bind(id, sampleRate)
    .run()
  return result.meta.changes > 0
}

/** Closes a published campaign by hand. */
export async function closeCampaign(db: D1Database, id: string): Promise<void> {
  await db.prepare("UPDATE campaigns SET status = 'closed' WHERE id = ?1").bind(id).run()
}

/** A campaign's extra official images, oldest first. */
export async function listImages(db: D1Database, campaignId: string): Promise<ImageRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM artwork_assets WHERE campaign_id = ?1 ORDER BY created_at, id')
    .bind(campaignId)
    .all<ImageRow>()
  return results
}

/** One of a campaign's images, or null. */
export async function findImage(db: D1Database, campaignId: string, id: string) {
  return db
    .prepare('SELECT * FROM artwork_assets WHERE campaign_id = ?1 AND id = ?2')
    .bind(campaignId, id)
    .first<ImageRow>()
}

/** Records an image whose object is already in R2. */
export async function insertImage(db: D1Database, row: ImageRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO artwork_assets (id, campaign_id, r2_key, content_type, size, sha256, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(
      row.id,
      row.campaign_id,
      row.r2_key,
      row.content_type,
      row.size,
      row.sha256,
      row.created_at,
    )
    .run()
}

/** Forgets an image; the caller deletes its object. */
export async function deleteImage(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM artwork_assets WHERE id = ?1').bind(id).run()
}

/** What PATCH may change on a stem. */
export type StemChanges = Partial<{
  name: string
  role: string
  isVoice: boolean
  isrc: string | null
  rightsHolders: string[]
}>

/** Writes the given stem details in one statement. */
export async function updateStem(db: D1Database, id: string, changes: StemChanges) {
  const columns: [string, unknown][] = []
  if (changes.name !== undefined) columns.push(['name', changes.name])
  if (changes.role !== undefined) columns.push(['role', changes.role])
  if (changes.isVoice !== undefined) columns.push(['is_voice', changes.isVoice ? 1 : 0])
  if (changes.isrc !== undefined) columns.push(['isrc', changes.isrc])
  if (changes.rightsHolders !== undefined)
    columns.push(['rights_holders', JSON.stringify(changes.rightsHolders)])
  if (columns.length === 0) return
  const sets = columns.map(([c], i) => `${c} = ?${i + 2}`).join(', ')
  await db
    .prepare(`UPDATE stems SET ${sets} WHERE id = ?1`)
    .bind(id, ...columns.map(([, v]) => v))
    .run()
}

/**
 * Removes a draft's stem, its upload records and its split in one transaction (splits that would
 * be left empty become none). Answers false when the campaign is no longer a draft.
 */
export async function deleteDraftStem(
  db: D1Database,
  campaignId: string,
  stemId: string,
  splits: Splits | null,
): Promise<boolean> {
  const rest = splits?.stems.filter((s) => s.stem !== stemId)
  const next = splits && rest && rest.length > 0 ? { ...splits, stems: rest } : null
  const results = await db.batch([
    db
      .prepare(
        `DELETE FROM stems WHERE id = ?2 AND campaign_id = ?1
           AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?1 AND status = 'draft')`,
      )
      .bind(campaignId, stemId),
    db
      .prepare(
        `DELETE FROM uploads WHERE stem_id = ?2 AND campaign_id = ?1
           AND EXISTS (SELECT 1 FROM campaigns WHERE id = ?1 AND status = 'draft')`,
      )
      .bind(campaignId, stemId),
    db
      .prepare(
        "UPDATE campaigns SET splits = ?2 WHERE id = ?1 AND status = 'draft' AND splits IS NOT ?2",
      )
      .bind(campaignId, next ? JSON.stringify(next) : NONE.json),
  ])
  return (results[0]?.meta.changes ?? 0) > 0
}
