// SQL of a stem's stored notes (core/api/notes.ts): where they are, set once they are written.

/** Records where a stem's notes are; true when the row changed (a repeat changes nothing). */
export async function setStemNotes(db: D1Database, stemId: string, key: string): Promise<boolean> {
  const { meta } = await db
    .prepare('UPDATE stems SET notes_key = ?2 WHERE id = ?1 AND notes_key IS NOT ?2')
    .bind(stemId, key)
    .run()
  return meta.changes > 0
}

/** What decides whether a stem's notes may be made or served: its campaign's licence and stems. */
export type NotesLicenceRow = {
  slug: string
  licence: string
  opensAt: string
  stems: { id: string; isVoice: boolean }[]
}

export async function findNotesLicence(
  db: D1Database,
  campaignId: string,
): Promise<NotesLicenceRow | null> {
  const [campaign, stems] = await db.batch<
    { slug: string; licence: string; opens_at: string } & { id: string; is_voice: 0 | 1 }
  >([
    db.prepare('SELECT slug, licence, opens_at FROM campaigns WHERE id = ?1').bind(campaignId),
    db.prepare('SELECT id, is_voice FROM stems WHERE campaign_id = ?1').bind(campaignId),
  ])
  const row = campaign!.results[0]
  if (!row) return null
  return {
    slug: row.slug,
    licence: row.licence,
    opensAt: row.opens_at,
    stems: stems!.results.map((s) => ({ id: s.id, isVoice: s.is_voice === 1 })),
  }
}
