// Step 1 of an export: everything the job needs, read once — the export row, the recipe
// snapshot it was made of, the campaign's rate and stems, and the remix's cover.
import { DomainError } from '../../core/errors.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { canonicalJson, type ExportManifest } from '../../core/provenance/manifest.ts'
import { RecipeSchema, type Recipe } from '../../core/recipe/schema.ts'
import type { Hertz } from '../../core/units.ts'
import type { Bindings } from '../env.ts'
import { findCampaignRow } from '../db/campaigns.ts'
import { exportRecipeOf } from '../db/contributions.ts'
import type { ExportRow } from '../db/exports.ts'
import { renderCover } from '../artwork/cover.ts'
import { listStemRows, type StemRow } from '../db/stems.ts'

/** An export as the job sees it. */
export type ExportJob = {
  row: ExportRow
  manifest: ExportManifest
  recipe: Recipe
  sampleRate: Hertz
  stems: StemRow[]
}

/** Loads the export and its recipe snapshot; a recipe that changed since its hash fails here. */
export async function load(env: Bindings, row: ExportRow): Promise<ExportJob> {
  if (!row.manifest) throw new DomainError('bad_request', 'The export has no manifest.')
  const json = await exportRecipeOf(env.DB, row.id)
  if (!json) throw new DomainError('not_found', 'The remix of this export is gone; export again.')
  const recipe = RecipeSchema.parse(JSON.parse(json))
  if ((await sha256Hex(canonicalJson(recipe))) !== row.recipe_hash)
    throw new DomainError('conflict', 'The saved remix does not match this export; export again.')
  const campaign = await findCampaignRow(env.DB, row.campaign_slug)
  if (!campaign) throw new DomainError('not_found', 'The campaign of this export is gone.')
  return {
    row,
    manifest: JSON.parse(row.manifest) as ExportManifest,
    recipe,
    sampleRate: campaign.sample_rate,
    stems: await listStemRows(env.DB, row.campaign_id),
  }
}

/** The cover the files carry: the worker's render of the artwork this export's recipe records. */
export const cover = (env: Bindings, job: ExportJob) =>
  renderCover(env, { id: job.row.remix_id, recipe: job.recipe })
