// SQL of the stem ingest pipeline (worker/ingest/): a stem's outcome, and what the campaign jobs
// read and write.

/** The campaign's music as the artist entered it, and its reference mix. */
export type CampaignMusicRow = {
  tempo: number | null
  musical_key: string | null
  reference_key: string | null
}

export async function findCampaignMusic(
  db: D1Database,
  campaignId: string,
): Promise<CampaignMusicRow | null> {
  return db
    .prepare('SELECT tempo, musical_key, reference_key FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<CampaignMusicRow>()
}

/**
 * Ends a stem's ingest ('ready' with its outputs, or 'failed' with the reason) and counts, in the
 * same transaction, the campaign's stems still processing. `ended` is false when the stem was no
 * longer processing (deleted, or ended by a duplicate delivery); `last` is true for exactly the one
 * ingest whose end left no stem of the campaign processing (D1 runs a batch as one transaction).
 */
export async function endStemIngest(
  db: D1Database,
  stem: { id: string; campaignId: string },
  outcome:
    | { status: 'ready'; renditionKey: string; peaksKey: string; sha256: string; analysis: string }
    | { status: 'failed'; error: string },
): Promise<{ ended: boolean; last: boolean }> {
  const end =
    outcome.status === 'ready'
      ? db
          .prepare(
            `UPDATE stems SET r2_key = ?2, peaks_key = ?3, sha256 = ?4, analysis = ?5,
               ingest_status = 'ready', ingest_error = NULL
             WHERE id = ?1 AND ingest_status = 'processing'`,
          )
          .bind(stem.id, outcome.renditionKey, outcome.peaksKey, outcome.sha256, outcome.analysis)
      : db
          .prepare(
            `UPDATE stems SET ingest_status = 'failed', ingest_error = ?2
             WHERE id = ?1 AND ingest_status = 'processing'`,
          )
          .bind(stem.id, outcome.error)
  const [ended, left] = await db.batch([
    end,
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM stems WHERE campaign_id = ?1 AND ingest_status = 'processing'`,
      )
      .bind(stem.campaignId),
  ])
  const changed = ended!.meta.changes > 0
  const processing = (left!.results[0] as { n: number } | undefined)?.n ?? 0
  return { ended: changed, last: changed && processing === 0 }
}

/** How many of the campaign's stems are still processing. */
export async function countProcessingStems(db: D1Database, campaignId: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM stems WHERE campaign_id = ?1 AND ingest_status = 'processing'`,
    )
    .bind(campaignId)
    .first<{ n: number }>()
  return row?.n ?? 0
}

/** Writes the campaign's analysis and each ready stem's (with its activity) in one transaction. */
export async function saveCampaignAnalysis(
  db: D1Database,
  campaignId: string,
  analysis: string,
  stems: { id: string; analysis: string }[],
): Promise<void> {
  await db.batch([
    ...stems.map((s) =>
      db
        .prepare(`UPDATE stems SET analysis = ?2 WHERE id = ?1 AND ingest_status = 'ready'`)
        .bind(s.id, s.analysis),
    ),
    db.prepare('UPDATE campaigns SET analysis = ?2 WHERE id = ?1').bind(campaignId, analysis),
  ])
}

/** The campaign's reference mix (the null test's input), if it has one. */
export async function findReference(
  db: D1Database,
  campaignId: string,
): Promise<{ reference_key: string | null } | null> {
  return db
    .prepare('SELECT reference_key FROM campaigns WHERE id = ?1')
    .bind(campaignId)
    .first<{ reference_key: string | null }>()
}

/** Stores the null test's result for the reference it was run against (a newer one wins). */
export async function saveNullTest(
  db: D1Database,
  campaignId: string,
  referenceKey: string,
  result: { db: number | null; error: string | null },
): Promise<void> {
  await db
    .prepare(
      `UPDATE campaigns SET null_test_db = ?3, null_test_error = ?4 WHERE id = ?1 AND reference_key = ?2`,
    )
    .bind(campaignId, referenceKey, result.db, result.error)
    .run()
}

/**
 * Writes the campaign's markability and each measured stem's in one transaction; nothing when a
 * stem started processing meanwhile (its last ingest measures again).
 */
export async function saveMarkability(
  db: D1Database,
  campaignId: string,
  campaign: string,
  stems: { id: string; markability: string }[],
): Promise<void> {
  const idle = `NOT EXISTS (SELECT 1 FROM stems WHERE campaign_id = ?1 AND ingest_status = 'processing')`
  await db.batch([
    ...stems.map((s) =>
      db
        .prepare(`UPDATE stems SET markability = ?3 WHERE id = ?2 AND campaign_id = ?1 AND ${idle}`)
        .bind(campaignId, s.id, s.markability),
    ),
    db
      .prepare(`UPDATE campaigns SET markability = ?2 WHERE id = ?1 AND ${idle}`)
      .bind(campaignId, campaign),
  ])
}

/** Forgets the campaign's markability (its stems changed: a stem was removed). */
export async function clearMarkability(db: D1Database, campaignId: string): Promise<void> {
  await db.prepare('UPDATE campaigns SET markability = NULL WHERE id = ?1').bind(campaignId).run()
}
