// The artist's API view of stems: rows plus URLs and each stem's mismatch against the whole set.
import type { AuthorStem } from '../../core/api/authoring.ts'
import type { Markability } from '../../core/watermark/markability.ts'
import { stemProblems } from '../../core/campaign/stem-shape.ts'
import { findAuthorStemRow, listAuthorStemRows, type AuthorStemRow } from '../db/author-stems.ts'

function authorStemFrom(row: AuthorStemRow, problem: string | null): AuthorStem {
  const ready = row.ingest_status === 'ready'
  return {
    id: row.id,
    position: row.position,
    name: row.name,
    role: row.role,
    isVoice: row.is_voice === 1,
    isrc: row.isrc,
    rightsHolders: JSON.parse(row.rights_holders) as string[],
    fileName: row.file_name ?? row.name,
    status: row.ingest_status,
    error: row.ingest_error,
    format: row.format === 'flac' ? 'flac' : 'wav',
    sampleRate: row.sample_rate,
    channels: row.channels,
    bitDepth: row.bit_depth ?? 16,
    lengthSamples: row.length_samples,
    problem,
    audioUrl: ready ? `/api/stems/${row.id}/audio` : null,
    peaksUrl: ready ? `/api/stems/${row.id}/peaks` : null,
    markability: ready && row.markability ? (JSON.parse(row.markability) as Markability) : null,
  }
}

/** Views of stem rows in position order, each with its mismatch against the whole set. */
export function authorStemsFrom(rows: readonly AuthorStemRow[]): AuthorStem[] {
  const problems = stemProblems(
    rows.map((r) => ({ sampleRate: r.sample_rate, lengthSamples: r.length_samples })),
  )
  return rows.map((row, i) => authorStemFrom(row, problems[i] ?? null))
}

/** A campaign's stems as its artist sees them, in position order, each with its mismatch (if any). */
export async function listAuthorStems(db: D1Database, campaignId: string): Promise<AuthorStem[]> {
  return authorStemsFrom(await listAuthorStemRows(db, campaignId))
}

/** One stem's view, its problem computed against its campaign's whole set. */
export async function authorStemView(db: D1Database, stemId: string): Promise<AuthorStem | null> {
  const row = await findAuthorStemRow(db, stemId)
  if (!row) return null
  return (await listAuthorStems(db, row.campaign_id)).find((s) => s.id === stemId) ?? null
}
