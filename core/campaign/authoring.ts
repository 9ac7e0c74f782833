import { z } from 'zod'
import { checkSplits, type SplitsIssue } from '../credits/statement.ts'
import type { Splits } from '../credits/splits.ts'
import { dateWords } from '../licence/describe.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { Markability } from '../watermark/markability.ts'
import { needsUnwatermarkedChoice } from './markability.ts'
import { campaignShape, stemProblem, type StemShape } from './stem-shape.ts'

/** Where a campaign is, as fans see it: `scheduled` is published but not open yet. */
export type CampaignStatus = 'draft' | 'scheduled' | 'live' | 'closed'

/** The fewest ready stems a campaign publishes with. */
export const MIN_STEMS = 2

/** Paths the app uses under /c/ or that would confuse people as campaign addresses. */
const RESERVED_SLUGS = new Set(['new', 'edit', 'admin', 'api', 'artist', 'studio', 'drafts'])

/** A campaign's address (/c/:slug): 3-60 lowercase letters and digits, single hyphens between. */
export const SlugSchema = z
  .string()
  .min(3, 'a slug has at least 3 characters')
  .max(60, 'a slug has at most 60 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug is lowercase letters and digits joined by hyphens')
  .refine((s) => !RESERVED_SLUGS.has(s), 'this slug is reserved; pick another')

/** A slug suggested from a title: "Copper Moons (Live)" → "copper-moons-live". */
export function slugFrom(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
}

/** What decides a campaign's status: the stored one, and its window ('' or null when unset). */
export type StatusInput = {
  status: 'draft' | 'live' | 'closed'
  opensAt: string | null
  closesAt: string | null
  /** An admin suspended the campaign's artist: no new remixes or exports (share pages stay). */
  ownerSuspended?: boolean
}

/** The status at `at` (ISO date-time): a published campaign opens and closes by its window. */
export function statusAt(c: StatusInput, at: string): CampaignStatus {
  if (c.status === 'draft' || c.status === 'closed') return c.status
  const now = Date.parse(at)
  if (c.opensAt && now < Date.parse(c.opensAt)) return 'scheduled'
  if (c.closesAt && now >= Date.parse(c.closesAt)) return 'closed'
  return 'live'
}

/** The sentence fans read on a campaign whose artist is suspended. */
export const ARTIST_SUSPENDED =
  'The artist of this campaign is suspended: it accepts no new remixes or exports for now.'

/**
 * Why fans may not remix or export at `at` — the campaign's window, or its artist suspended — or
 * null when it is open. The one rule the remix and export routes call.
 */
export function windowViolation(
  c: StatusInput,
  at: string,
): { code: 'campaign_not_open' | 'campaign_closed' | 'artist_suspended'; message: string } | null {
  if (c.ownerSuspended && c.status !== 'draft')
    return { code: 'artist_suspended', message: ARTIST_SUSPENDED }
  const status = statusAt(c, at)
  const when = (iso: string | null) => (iso ? ` on ${dateWords(iso)}` : '')
  if (status === 'scheduled')
    return { code: 'campaign_not_open', message: `This campaign opens${when(c.opensAt)}.` }
  if (status === 'closed') {
    const ended = c.status === 'closed' ? '' : when(c.closesAt)
    return { code: 'campaign_closed', message: `This campaign closed${ended}.` }
  }
  if (status === 'draft')
    return { code: 'campaign_not_open', message: 'This campaign is not published.' }
  return null
}

/** Why a window cannot be, or null: it must open before it closes. */
export function windowProblem(opensAt: string | null, closesAt: string | null): string | null {
  if (opensAt && closesAt && Date.parse(opensAt) >= Date.parse(closesAt))
    return 'The window must open before it closes.'
  return null
}

/** A stem as completeness needs it. */
export type DraftStem = StemShape & {
  id: string
  name: string
  status: 'processing' | 'ready' | 'failed'
}

/** Everything publishing depends on. */
export type Draft = {
  slug: string
  stems: readonly DraftStem[]
  licence: LicencePolicy | null
  splits: Splits | null
  hasArtwork: boolean
  opensAt: string | null
  closesAt: string | null
  /** The default mix's markability, once measured at ingest. */
  markability?: Markability | null
}

/** Split stems named by row id, or by manifest id for seeded `<slug>-<id>` rows. */
function splitsByRowId(splits: Splits, slug: string, stemIds: readonly string[]): Splits {
  const rowId = (id: string) => (stemIds.includes(`${slug}-${id}`) ? `${slug}-${id}` : id)
  return { ...splits, stems: splits.stems.map((s) => ({ ...s, stem: rowId(s.stem) })) }
}

/** What is wrong with splits for these stems: shares, unknown stems, parties named twice. */
export function splitsProblems(
  splits: Splits,
  slug: string,
  stemIds: readonly string[],
): SplitsIssue[] {
  return checkSplits(splitsByRowId(splits, slug, stemIds), stemIds)
}

/** The stems a licence names (targets and required or excluded stems), `voice` aside. */
export function licenceStemRefs(policy: Pick<LicencePolicy, 'permissions' | 'prohibitions'>) {
  const refs = new Set<string>()
  for (const p of policy.permissions)
    for (const c of p.constraints) {
      if (c.target && c.target !== 'voice') refs.add(c.target)
      if (c.leftOperand === 'stemsUsed')
        for (const id of [c.rightOperand].flat()) refs.add(String(id))
    }
  for (const p of policy.prohibitions) if (p.target && p.target !== 'voice') refs.add(p.target)
  return [...refs]
}

/** Stems the licence names that the campaign does not have. */
export function unknownLicenceStems(
  policy: Pick<LicencePolicy, 'permissions' | 'prohibitions'>,
  slug: string,
  stemIds: readonly string[],
): string[] {
  return licenceStemRefs(policy).filter(
    (id) => !stemIds.includes(id) && !stemIds.includes(`${slug}-${id}`),
  )
}

/** The steps of authoring a campaign, where each thing a draft lacks is fixed. */
export type AuthoringStep = 'details' | 'artwork' | 'stems' | 'licence' | 'splits'

/** What a draft still lacks: the step that fixes it, a code to branch on, a sentence for people. */
export type Missing = {
  step: AuthoringStep
  code:
    | 'stems_too_few'
    | 'stem_processing'
    | 'stem_failed'
    | 'stem_mismatch'
    | 'licence_missing'
    | 'licence_unknown_stem'
    | 'licence_unwatermarked_choice'
    | 'splits_missing'
    | 'splits_invalid'
    | 'artwork_missing'
    | 'opens_missing'
    | 'closes_missing'
    | 'window_invalid'
    | 'window_ended'
  message: string
}

const gap = (step: AuthoringStep, code: Missing['code'], message: string): Missing => ({
  step,
  code,
  message,
})

function stemsMissing(stems: readonly DraftStem[]): Missing[] {
  const ready = stems.filter((s) => s.status === 'ready')
  const missing: Missing[] = []
  if (ready.length < MIN_STEMS)
    missing.push(
      gap('stems', 'stems_too_few', `At least ${MIN_STEMS} ready stems (${ready.length} so far).`),
    )
  for (const s of stems) {
    if (s.status === 'processing')
      missing.push(gap('stems', 'stem_processing', `Stem “${s.name}” is still being processed.`))
    if (s.status === 'failed')
      missing.push(
        gap(
          'stems',
          'stem_failed',
          `Stem “${s.name}” could not be read: remove it or upload it again.`,
        ),
      )
  }
  const shape = campaignShape(stems)
  for (const s of stems) {
    const problem = stemProblem(s, shape)
    if (problem) missing.push(gap('stems', 'stem_mismatch', `Stem “${s.name}”: ${problem}`))
  }
  return missing
}

function windowMissing(d: Draft, at: string): Missing[] {
  const missing: Missing[] = []
  if (!d.opensAt) missing.push(gap('details', 'opens_missing', 'An opening date and time.'))
  if (!d.closesAt) missing.push(gap('details', 'closes_missing', 'A closing date and time.'))
  const problem = windowProblem(d.opensAt, d.closesAt)
  if (problem) missing.push(gap('details', 'window_invalid', problem))
  else if (d.closesAt && Date.parse(d.closesAt) <= Date.parse(at))
    missing.push(
      gap(
        'details',
        'window_ended',
        'A closing date in the future: this window has already ended.',
      ),
    )
  return missing
}

/** Everything a draft still lacks before it can be published at `at`; empty when complete. */
export function missingFor(d: Draft, at: string): Missing[] {
  const ids = d.stems.map((s) => s.id)
  const missing = stemsMissing(d.stems)
  if (!d.licence) missing.push(gap('licence', 'licence_missing', 'A licence.'))
  else
    for (const id of unknownLicenceStems(d.licence, d.slug, ids))
      missing.push(
        gap(
          'licence',
          'licence_unknown_stem',
          `The licence names stem “${id}”, which the campaign does not have.`,
        ),
      )
  if (needsUnwatermarkedChoice(d.markability ?? null, d.licence))
    missing.push(
      gap(
        'licence',
        'licence_unwatermarked_choice',
        'A choice of what exports do without a watermark: the stems cannot carry it.',
      ),
    )
  if (!d.splits) missing.push(gap('splits', 'splits_missing', 'Splits for every stem.'))
  else
    for (const issue of splitsProblems(d.splits, d.slug, ids))
      missing.push(gap('splits', 'splits_invalid', `Splits: ${issue.message}.`))
  if (!d.hasArtwork) missing.push(gap('artwork', 'artwork_missing', 'Artwork.'))
  return [...missing, ...windowMissing(d, at)]
}

/** The uid of a campaign's licence at a version. */
export function licenceUid(slug: string, version: number): string {
  return `urn:stemfair:licence:${slug}:${version}`
}

function termsOf(p: Omit<LicencePolicy, 'version' | 'uid'>): string {
  return JSON.stringify([p.permissions, p.prohibitions, p.duties, p.unwatermarked ?? null])
}

/**
 * The policy to store for `input`: a draft's licence stays version 1 however often it is edited;
 * a published campaign's moves to the next version, unless the terms are the same (a replay).
 */
export function nextLicence(
  input: Omit<LicencePolicy, 'version' | 'uid'>,
  campaign: { slug: string; published: boolean; current: LicencePolicy | null },
): LicencePolicy {
  const { current } = campaign
  if (current && termsOf(current) === termsOf(input)) return current
  const version = campaign.published && current ? current.version + 1 : 1
  return { ...input, version, uid: licenceUid(campaign.slug, version) }
}

/** The image types a campaign's artwork may be, by what the bytes say rather than the client. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp'

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to))

/** The image type the file's magic bytes announce, or null when it is none of PNG, JPEG, WebP. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'image/jpeg'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return 'image/webp'
  return null
}
