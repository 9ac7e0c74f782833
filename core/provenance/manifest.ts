// The export manifest: what an export claims about itself, the rule for its IPTC digital source
// type, and its canonical form (the bytes that are hashed and signed). Pure TypeScript: the worker,
// the browser and the tests share it.
import type { Contributor } from '../credits/splits.ts'
import type { AiAction } from '../recipe/schema.ts'
import { sha256Hex } from '../lib/bytes.ts'
import { outputFormatOf, type OutputFormat } from '../api/formats.ts'

/** IPTC NewsCodes vocabulary of digital source types. */
export const IPTC_DIGITAL_SOURCE_TYPE = 'http://cv.iptc.org/newscodes/digitalsourcetype/'

/** What an export claims about itself; its hash is in the files' tags. */
export type ManifestClaim = {
  format: 'stemfair.export-manifest/1'
  exportId: string
  createdAt: string
  /** Where the signed manifest is served (absent from exports made before manifests were signed). */
  manifestUrl?: string
  remix: { id: string; version: number; title: string; fan: string; recipeSha256: string }
  campaign: { slug: string; title: string; artist: string; iswc: string | null }
  licence: { uid: string; version: number; url: string; attribution: string | null }
  sources: { stem: string; name: string; isrc: string | null }[]
  credits: Contributor[]
  aiActions: AiAction[]
  aiDisclosure: string
  digitalSourceType: string
  /** The text-and-data-mining reservation (EU DSM Art. 4, TDMRep): no training, no mining. */
  trainingMining: 'notAllowed'
  /**
   * Present only when the files carry no watermark: the campaign's stems cannot carry it and its
   * licence lets exports go out without (core/campaign/markability.ts). Absent: watermarked.
   */
  watermark?: { embedded: false; note: string }
}

/** One delivered file: where it is stored, its SHA-256 and its size. */
export type ManifestOutput = { key: string; sha256: string; bytes: number }

/**
 * The stored manifest: the claim, its hash, and the files that carry that hash by format
 * (core/api/formats.ts; exports made before the choice of formats name theirs `wav` and `mp3`).
 */
export type ExportManifest = ManifestClaim & {
  claimSha256: string
  outputs: Partial<Record<string, ManifestOutput>> | null
}

/** The files a manifest lists, by format, the old `wav` and `mp3` read as `wav-16` and `mp3-192`. */
export function outputsOf(
  manifest: Pick<ExportManifest, 'outputs'>,
): { format: OutputFormat; output: ManifestOutput }[] {
  return Object.entries(manifest.outputs ?? {}).flatMap(([name, output]) => {
    const format = outputFormatOf(name)
    return format && output ? [{ format, output }] : []
  })
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/**
 * Tools that are trained models (their output comes from weights learnt from data). Anything run
 * by the `workers-ai` provider is a trained model too, whatever its tool's name.
 */
export const TRAINED_TOOLS: ReadonlySet<string> = new Set(['@spotify/basic-pitch'])

/** Whether an AI action ran a trained model (machine learning), not a hand-written algorithm. */
export function isTrainedModel(action: Pick<AiAction, 'tool' | 'provider'>): boolean {
  return action.provider === 'workers-ai' || TRAINED_TOOLS.has(action.tool)
}

/**
 * IPTC digital source type of a remix, from its AI actions:
 * - none: `humanEdits` — a person edited official recordings by hand;
 * - any trained model (basic-pitch, a Workers AI model): `compositeWithTrainedAlgorithmicMedia`;
 * - only our rule-based algorithms (the local assistant's arrangement planner, the part
 *   generator): `compositeSynthetic` — IPTC's composite "at least one of which is synthetic";
 *   `algorithmicMedia` would claim the whole work is made by an algorithm, which a remix of
 *   recorded stems is not, and no trained model was involved.
 */
export function digitalSourceTypeOf(aiActions: readonly Pick<AiAction, 'tool' | 'provider'>[]) {
  const term = !aiActions.length
    ? 'humanEdits'
    : aiActions.some(isTrainedModel)
      ? 'compositeWithTrainedAlgorithmicMedia'
      : 'compositeSynthetic'
  return IPTC_DIGITAL_SOURCE_TYPE + term
}

/** The claim of a manifest: everything but its own hash and the outputs. */
export function claimOf(manifest: ExportManifest): ManifestClaim {
  const { claimSha256: _hash, outputs: _outputs, ...claim } = manifest
  return claim
}

/** Seals a claim: adds its hash; outputs come when the job has written the files. */
export async function manifestFrom(claim: ManifestClaim): Promise<ExportManifest> {
  return { ...claim, claimSha256: await sha256Hex(canonicalJson(claim)), outputs: null }
}

/** The URL an export's signed manifest is served at. */
export const manifestUrlOf = (origin: string, exportId: string) =>
  `${origin.replace(/\/+$/, '')}/api/manifests/${encodeURIComponent(exportId)}`

/** Which output of the manifest a file with this SHA-256 is, or null if none. */
export function checkManifest(
  manifest: Pick<ExportManifest, 'outputs'>,
  fileSha256: string,
): { format: OutputFormat; output: ManifestOutput } | null {
  const sha = fileSha256.toLowerCase()
  return outputsOf(manifest).find(({ output }) => output.sha256 === sha) ?? null
}

/** The model behind an AI action, where its parameters name one (Workers AI, …). */
export function modelOf(action: AiAction): string | null {
  const model = action.parameters['model']
  return typeof model === 'string' ? model : null
}

/** The seed of an AI action, where it used one. */
export function seedOf(action: AiAction): number | null {
  const seed = action.parameters['seed']
  return typeof seed === 'number' ? seed : null
}
