// What an export claims about itself, fixed when the export is created and its licence checked.
// Pure: the route builds it from the rows it read; the job only adds the outputs' hashes.
import type { Contributor } from '../credits/splits.ts'
import type { LicenceDecision } from '../licence/evaluate.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { Recipe } from '../recipe/schema.ts'
import {
  canonicalJson,
  digitalSourceTypeOf,
  manifestUrlOf,
  type ManifestClaim,
} from './manifest.ts'
import { aiDisclosureOf } from './disclosure.ts'
import { sha256Hex } from '../lib/bytes.ts'

export type ClaimInput = {
  id: string
  now: Date
  origin: string
  remix: { id: string; version: number; title: string; fan: string }
  campaign: {
    slug: string
    title: string
    artist: string
    iswc: string | null
    credits: Contributor[]
  }
  policy: LicencePolicy
  recipe: Recipe
  stems: readonly { id: string; name: string; isrc: string | null }[]
  decision: LicenceDecision
  /** Why the files carry no watermark, when they do not (core/campaign/markability.ts). */
  unwatermarked?: string
}

/** The manifest claim of a new export: remix, campaign, licence, sources, credits, AI use. */
export async function claimFrom(p: ClaimInput): Promise<ManifestClaim> {
  const used = new Set(p.recipe.tracks.map((t) => t.stem))
  const attribution = p.decision.duties.find((d) => d.action === 'attribute')
  return {
    format: 'stemfair.export-manifest/1',
    exportId: p.id,
    createdAt: p.now.toISOString(),
    manifestUrl: manifestUrlOf(p.origin, p.id),
    remix: { ...p.remix, recipeSha256: await sha256Hex(canonicalJson(p.recipe)) },
    campaign: {
      slug: p.campaign.slug,
      title: p.campaign.title,
      artist: p.campaign.artist,
      iswc: p.campaign.iswc,
    },
    licence: {
      uid: p.policy.uid,
      version: p.policy.version,
      url: `${p.origin}/c/${p.campaign.slug}#licence`,
      attribution: attribution?.action === 'attribute' ? attribution.text : null,
    },
    sources: p.stems
      .filter((s) => used.has(s.id))
      .map((s) => ({ stem: s.id, name: s.name, isrc: s.isrc })),
    credits: p.campaign.credits,
    aiActions: p.recipe.aiActions,
    aiDisclosure: aiDisclosureOf(p.recipe.aiActions).label,
    digitalSourceType: digitalSourceTypeOf(p.recipe.aiActions),
    trainingMining: 'notAllowed',
    ...(p.unwatermarked ? { watermark: { embedded: false as const, note: p.unwatermarked } } : {}),
  }
}
