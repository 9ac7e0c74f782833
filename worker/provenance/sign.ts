import type { ExportManifest } from '../../core/provenance/manifest.ts'
import type { Bindings } from '../env.ts'
import { findExportRow } from '../db/exports.ts'
import { saveManifestSignature } from '../db/provenance.ts'
import { signManifest } from './keys.ts'

/**
 * Signs the stored manifest of an export whose outputs are written. It runs after the outputs are
 * saved, outside the step that writes them, so a job that died in between signs on its retry; the
 * signature covers the manifest with the outputs' hashes.
 */
export async function signExportManifest(env: Bindings, exportId: string): Promise<void> {
  const row = await findExportRow(env.DB, exportId)
  if (!row?.manifest) return
  const manifest = JSON.parse(row.manifest) as ExportManifest
  if (!manifest.outputs) throw new Error(`export ${exportId} has no outputs to sign`)
  await saveManifestSignature(env.DB, exportId, row.manifest, await signManifest(env, manifest))
}
