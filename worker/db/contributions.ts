import type { Contributions } from '../../core/credits/contributions.ts'

/** Statements that record an export's contributions; existing rows stay as they are. */
export function insertContributionsStatements(
  db: D1Database,
  exportId: string,
  contributions: Contributions,
): D1PreparedStatement[] {
  return Object.entries(contributions).map(([stem, bps]) =>
    db
      .prepare(
        `INSERT INTO contributions (export_id, stem_id, bps) VALUES (?1, ?2, ?3)
         ON CONFLICT (export_id, stem_id) DO NOTHING`,
      )
      .bind(exportId, stem, bps),
  )
}

/** Records an export's contributions once; a retry changes nothing. Answers the rows written. */
export async function recordContributions(
  db: D1Database,
  exportId: string,
  contributions: Contributions,
): Promise<number> {
  const results = await db.batch(insertContributionsStatements(db, exportId, contributions))
  return results.reduce((n, r) => n + r.meta.changes, 0)
}

/** One export's contributions, or an empty record when none were recorded. */
export async function contributionsOf(db: D1Database, exportId: string): Promise<Contributions> {
  const { results } = await db
    .prepare('SELECT stem_id, bps FROM contributions WHERE export_id = ?1 ORDER BY stem_id')
    .bind(exportId)
    .all<{ stem_id: string; bps: number }>()
  return Object.fromEntries(results.map((r) => [r.stem_id, r.bps]))
}

/** The contributions of a campaign's exports (only processed ones have any), by export id. */
export async function contributionsOfCampaign(
  db: D1Database,
  campaignId: string,
): Promise<Record<string, Contributions>> {
  const { results } = await db
    .prepare(
      `SELECT k.export_id, k.stem_id, k.bps FROM contributions k
       JOIN exports e ON e.id = k.export_id
       WHERE e.campaign_id = ?1 ORDER BY k.export_id, k.stem_id`,
    )
    .bind(campaignId)
    .all<{ export_id: string; stem_id: string; bps: number }>()
  const out: Record<string, Contributions> = {}
  for (const r of results) (out[r.export_id] ??= {})[r.stem_id] = r.bps
  return out
}

/** The recipe (JSON) an export was made of, as captured when it was created, or null. */
export async function exportRecipeOf(db: D1Database, exportId: string): Promise<string | null> {
  return db
    .prepare('SELECT recipe FROM export_recipes WHERE export_id = ?1')
    .bind(exportId)
    .first<string>('recipe')
}
