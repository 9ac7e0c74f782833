import type { ManifestSignature } from '../../core/provenance/signature.ts'

/** Stores the signature of an export's manifest; writing it again (a retried job) changes nothing. */
export async function saveManifestSignature(
  db: D1Database,
  exportId: string,
  manifest: string,
  signature: ManifestSignature,
): Promise<void> {
  // Only over the manifest that was signed: a manifest rewritten since is never paired with it.
  await db
    .prepare(`UPDATE exports SET manifest_signature = ?2 WHERE id = ?1 AND manifest = ?3`)
    .bind(exportId, JSON.stringify(signature), manifest)
    .run()
}

/** The stored signature of an export's manifest, or null before the job signed it. */
export async function manifestSignatureOf(
  db: D1Database,
  exportId: string,
): Promise<ManifestSignature | null> {
  const json = await db
    .prepare(`SELECT manifest_signature FROM exports WHERE id = ?1`)
    .bind(exportId)
    .first<string | null>('manifest_signature')
  return json ? (JSON.parse(json) as ManifestSignature) : null
}
