// The fingerprint index (fingerprint_stems, fingerprint_hashes), stem_matches writes and takedown
// notices. Hash rows go in and out as JSON arrays bound to one parameter (json_each), so a batch of
// thousands of rows is one statement well inside D1's 100-parameter limit.

/** Hash rows per statement: about 100 KB of JSON, D1's statement size limit. */
const ROWS_PER_STATEMENT = 4000
/** Hashes looked up per statement. */
const HASHES_PER_LOOKUP = 2000

/** The index number of a stem, allocated on first use (a retry gets the same one). */
export async function fingerprintRefOf(
  db: D1Database,
  stemId: string,
  campaignId: string,
  seconds: number,
): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO fingerprint_stems (stem_id, campaign_id, seconds) VALUES (?1, ?2, ?3)
       ON CONFLICT (stem_id) DO UPDATE SET seconds = excluded.seconds
       RETURNING ref`,
    )
    .bind(stemId, campaignId, seconds)
    .first<{ ref: number }>()
  return row!.ref
}

/** Whether a stem's hashes are all in the index. */
export async function isFingerprinted(db: D1Database, stemId: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT indexed_at FROM fingerprint_stems WHERE stem_id = ?1')
    .bind(stemId)
    .first<{ indexed_at: string | null }>()
  return !!row?.indexed_at
}

/** Statements writing a stem's hash rows and marking it indexed (run them in one batch). */
export function indexStatements(
  db: D1Database,
  ref: number,
  rows: { hash: ArrayLike<number>; entry: ArrayLike<number> },
  now: string,
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = []
  const n = rows.hash.length
  for (let at = 0; at < n; at += ROWS_PER_STATEMENT) {
    const parts: string[] = []
    for (let i = at; i < Math.min(n, at + ROWS_PER_STATEMENT); i++)
      parts.push(`[${rows.hash[i]},${rows.entry[i]}]`)
    out.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO fingerprint_hashes (hash, entry)
           SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)`,
        )
        .bind(`[${parts.join(',')}]`),
    )
  }
  out.push(
    db
      .prepare('UPDATE fingerprint_stems SET hashes = ?2, indexed_at = ?3 WHERE ref = ?1')
      .bind(ref, n, now),
  )
  return out
}

/** Index rows for a set of hashes. */
export async function lookupHashes(
  db: D1Database,
  hashes: ArrayLike<number>,
): Promise<{ count: number; hash: number[]; entry: number[] }> {
  const unique = [...new Set(Array.from(hashes))]
  const statements: D1PreparedStatement[] = []
  for (let at = 0; at < unique.length; at += HASHES_PER_LOOKUP)
    statements.push(
      db
        .prepare(
          `SELECT hash, entry FROM fingerprint_hashes
           WHERE hash IN (SELECT value FROM json_each(?1))`,
        )
        .bind(JSON.stringify(unique.slice(at, at + HASHES_PER_LOOKUP))),
    )
  const hash: number[] = []
  const entry: number[] = []
  if (statements.length === 0) return { count: 0, hash, entry }
  for (const result of await db.batch<{ hash: number; entry: number }>(statements))
    for (const row of result.results) {
      hash.push(row.hash)
      entry.push(row.entry)
    }
  return { count: hash.length, hash, entry }
}

/** What verify and the ingest check tell about an indexed stem. */
export type FingerprintStemRow = {
  ref: number
  stem_id: string
  stem_name: string
  campaign_id: string
  protected: 0 | 1
  rights_holders: string
  isrc: string | null
  slug: string
  title: string
  artist: string
  owner_id: string
  contact: string
  licence: string
}

/** The indexed stems with these refs that still exist. */
export async function fingerprintStemsOf(
  db: D1Database,
  refs: readonly number[],
): Promise<FingerprintStemRow[]> {
  if (refs.length === 0) return []
  const { results } = await db
    .prepare(
      `SELECT f.ref, f.stem_id, s.name AS stem_name, f.campaign_id, f.protected, s.rights_holders,
              s.isrc, c.slug, c.title, c.artist, c.owner_id, u.email AS contact, c.licence
       FROM fingerprint_stems f
       JOIN stems s ON s.id = f.stem_id
       JOIN campaigns c ON c.id = f.campaign_id
       JOIN users u ON u.id = c.owner_id
       WHERE f.indexed_at IS NOT NULL AND f.ref IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(refs))
    .all<FingerprintStemRow>()
  return results
}

/** Marks an indexed recording protected (or not): its matches count even inside its campaign. */
export async function setStemProtected(
  db: D1Database,
  stemId: string,
  value: boolean,
): Promise<boolean> {
  const r = await db
    .prepare('UPDATE fingerprint_stems SET protected = ?2 WHERE stem_id = ?1')
    .bind(stemId, value ? 1 : 0)
    .run()
  return r.meta.changes > 0
}

/** One stem_matches row (status 'open'); a repeat of the same pair changes nothing. */
export type StemMatchInsert = {
  stemId: string
  matchedStemId: string
  matchedCampaignId: string
  stemStart: number
  stemEnd: number
  matchedStart: number
  matchedEnd: number
  strength: number
}

export function insertStemMatchStatement(
  db: D1Database,
  m: StemMatchInsert,
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO stem_matches (stem_id, matched_stem_id, matched_campaign_id,
         stem_start, stem_end, matched_start, matched_end, strength, status, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9)`,
    )
    .bind(
      m.stemId,
      m.matchedStemId,
      m.matchedCampaignId,
      m.stemStart,
      m.stemEnd,
      m.matchedStart,
      m.matchedEnd,
      m.strength,
      now,
    )
}

/** A stem's match rows, strongest first. */
export async function listStemMatches(db: D1Database, stemId: string) {
  const { results } = await db
    .prepare('SELECT * FROM stem_matches WHERE stem_id = ?1 ORDER BY strength DESC')
    .bind(stemId)
    .all<StemMatchInsert & Record<string, unknown>>()
  return results
}

/** A takedown_notices row. */
export type TakedownRow = {
  id: string
  file_sha256: string
  campaign_id: string
  created_by: string
  evidence: string
  text_key: string
  html_key: string
  created_at: string
}

export async function insertTakedown(db: D1Database, row: TakedownRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO takedown_notices (id, file_sha256, campaign_id, created_by, evidence, text_key,
         html_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(
      row.id,
      row.file_sha256,
      row.campaign_id,
      row.created_by,
      row.evidence,
      row.text_key,
      row.html_key,
      row.created_at,
    )
    .run()
}

export async function findTakedown(db: D1Database, id: string): Promise<TakedownRow | null> {
  return db.prepare('SELECT * FROM takedown_notices WHERE id = ?1').bind(id).first<TakedownRow>()
}

/** Notices of one owner's campaigns (of every campaign when `ownerId` is null), newest first. */
export async function listTakedowns(
  db: D1Database,
  ownerId: string | null,
): Promise<(TakedownRow & { slug: string; title: string })[]> {
  const { results } = await db
    .prepare(
      `SELECT t.*, c.slug, c.title FROM takedown_notices t JOIN campaigns c ON c.id = t.campaign_id
       WHERE ?1 IS NULL OR c.owner_id = ?1 ORDER BY t.created_at DESC LIMIT 200`,
    )
    .bind(ownerId)
    .all<TakedownRow & { slug: string; title: string }>()
  return results
}

/** A campaign as a takedown notice names it, drafts included. */
export async function findNoticeCampaign(db: D1Database, slug: string) {
  return db
    .prepare('SELECT id, slug, title, artist, owner_id, licence FROM campaigns WHERE slug = ?1')
    .bind(slug)
    .first<{
      id: string
      slug: string
      title: string
      artist: string
      owner_id: string
      licence: string
    }>()
}
