// What a file is: a licensed export (its watermark names one), unlicensed use of campaign stems
// (no watermark, but fingerprints match), or neither. The watermark is read first, so a fan's own
// export is never reported as unlicensed.
import {
  NOT_FOUND_MESSAGE,
  UNLICENSED_MESSAGE,
  UNWATERMARKED_CAMPAIGN_MESSAGE,
  type StemUse,
  type Verification,
} from '../../core/campaign/verification.ts'
import { DomainError } from '../../core/errors.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { monoOf, queryFingerprintOf } from '../../core/fingerprint/fingerprint.ts'
import { describeLicence } from '../../core/licence/describe.ts'
import { licenceMadeUnder, UNRECORDED } from '../licence/made-under.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import type { Seconds } from '../../core/units.ts'
import '../dsp.ts'
import { detectWatermark, MIN_DETECT_SECONDS } from '../../core/watermark/detect.ts'
import { MIN_RATE } from '../../core/watermark/embed.ts'
import type { Bindings } from '../env.ts'
import { decodeAudio } from '../audio/decode.ts'
import { exportMarkingFor } from '../../core/campaign/markability.ts'
import { findCampaignRow, markabilityOf } from '../db/campaigns.ts'
import { findExportRow, findUnwatermarkedExportByFile, statusNowOf } from '../db/exports.ts'
import { findRemixRow } from '../db/remixes.ts'
import { listStems } from '../views/stems.ts'
import { identify } from '../fingerprint/identify.ts'
import { outputsOf, type ExportManifest } from '../../core/provenance/manifest.ts'

/** How much audio from the start of a file is searched; the mark repeats all through it. */
export const ANALYSED_SECONDS: Seconds = 60

/** What we know of the export whose id a watermark carries; "not found" for an unknown id. */
async function verificationOf(
  env: Bindings,
  exportId: string,
  confidence: number,
  origin: string,
  by: 'watermark' | 'file-hash' = 'watermark',
): Promise<Verification> {
  const row = await findExportRow(env.DB, exportId)
  if (!row?.manifest) return { found: false, message: NOT_FOUND_MESSAGE }
  const [remix, campaign, stems] = await Promise.all([
    findRemixRow(env.DB, row.remix_id),
    findCampaignRow(env.DB, row.campaign_slug),
    listStems(env.DB, row.campaign_id),
  ])
  if (!remix || !campaign) return { found: false, message: NOT_FOUND_MESSAGE }
  const manifest = JSON.parse(row.manifest) as ExportManifest
  const policy = LicencePolicySchema.parse(JSON.parse(campaign.licence))
  const names = Object.fromEntries(stems.map((s) => [s.id, s.name]))
  const madeUnder = await licenceMadeUnder(env.DB, row.campaign_id, row.licence_version, policy)
  return {
    found: true,
    confidence,
    export: {
      id: row.id,
      createdAt: row.created_at,
      formats: outputsOf(manifest).map((o) => o.format),
    },
    remix: { id: remix.id, title: manifest.remix.title, status: remix.status },
    campaign: { slug: campaign.slug, title: campaign.title, artist: campaign.artist },
    fan: { name: manifest.remix.fan },
    licence: {
      uid: manifest.licence.uid,
      version: row.licence_version,
      url: manifest.licence.url,
      summary: madeUnder ? describeLicence(madeUnder, names) : UNRECORDED(row.licence_version),
    },
    credits: manifest.credits,
    status: statusNowOf(row, remix.status),
    shareUrl: new URL(`/r/${row.id}`, origin).href,
    by,
    ...(manifest.watermark ? { watermarkNote: manifest.watermark.note } : {}),
  }
}

/** The campaign stems the file's fingerprints match, strongest first. */
async function stemUsesOf(db: D1Database, channels: Float32Array[], rate: number) {
  const found = await identify(db, queryFingerprintOf(monoOf(channels), rate))
  return found.map(({ match, row }): StemUse => ({
    stem: { id: row.stem_id, name: row.stem_name, isrc: row.isrc },
    campaign: { slug: row.slug, title: row.title, artist: row.artist },
    rightsHolders: JSON.parse(row.rights_holders) as string[],
    contact: row.contact,
    file: { start: match.queryStart, end: match.queryEnd },
    inStem: { start: match.refStart, end: match.refEnd },
    strength: match.strength,
    semitones: Math.round(match.semitones * 10) / 10,
    timeScale: Math.round(match.timeScale * 100) / 100,
  }))
}

/** Examines an uploaded audio file (see the top of this file). */
export async function examineAudio(
  env: Bindings,
  bytes: Uint8Array,
  origin: string,
): Promise<Verification> {
  const audio = await decodeAudio(bytes, ANALYSED_SECONDS)
  if (audio.sampleRate < MIN_RATE)
    throw new DomainError(
      'invalid_audio',
      `The audio is sampled at ${audio.sampleRate} Hz; verification needs ${MIN_RATE} Hz or more.`,
    )
  const seconds = audio.channels[0]!.length / audio.sampleRate
  if (seconds < MIN_DETECT_SECONDS)
    throw new DomainError(
      'invalid_audio',
      `The audio lasts ${seconds.toFixed(1)} s; verification needs at least ${MIN_DETECT_SECONDS} s.`,
    )
  const detection = detectWatermark(audio.channels, audio.sampleRate, env.WATERMARK_KEY)
  if (detection.found) {
    const verification = await verificationOf(env, detection.payload, detection.confidence, origin)
    if (verification.found) return verification
  }
  const fileSha256 = await sha256Hex(bytes)
  // An export made without a watermark (its campaign's stems cannot carry one) is known by its
  // files' hashes, as long as the file is unchanged.
  const unmarked = await findUnwatermarkedExportByFile(env.DB, fileSha256)
  if (unmarked) {
    const verification = await verificationOf(env, unmarked, 1, origin, 'file-hash')
    if (verification.found) return verification
  }
  const uses = await stemUsesOf(env.DB, audio.channels, audio.sampleRate)
  if (uses.length === 0) return { found: false, message: NOT_FOUND_MESSAGE }
  const slugs = [...new Set(uses.map((u) => u.campaign.slug))]
  const campaigns = await Promise.all(slugs.map((s) => findCampaignRow(env.DB, s)))
  const unwatermarked = campaigns.some(
    (c) =>
      c &&
      'label' in
        exportMarkingFor(markabilityOf(c), LicencePolicySchema.parse(JSON.parse(c.licence))),
  )
  return {
    found: false,
    message: unwatermarked ? UNWATERMARKED_CAMPAIGN_MESSAGE : UNLICENSED_MESSAGE,
    unlicensed: { fileSha256, uses },
  }
}
