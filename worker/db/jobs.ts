/** Records that a job finished; a replayed job changes nothing. */
export async function recordJobRun(db: D1Database, id: string, type: string): Promise<void> {
  await db
    .prepare(
      'INSERT INTO job_runs (id, type, finished_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING',
    )
    .bind(id, type, new Date().toISOString())
    .run()
}

/** When a job finished, or null if it has not. */
export async function findJobRun(db: D1Database, id: string): Promise<string | null> {
  return db
    .prepare('SELECT finished_at FROM job_runs WHERE id = ?1')
    .bind(id)
    .first<string>('finished_at')
}
