import type { CampaignManifest, ManifestStem } from '../core/campaign/manifest.ts'
import type { CampaignAnalysis } from '../core/analysis/types.ts'
import type { StemAnalysis } from '../core/api/campaigns.ts'
import type { UserView } from '../core/api/users.ts'
import type { StemNotesFile } from '../core/api/notes.ts'
import type { Peaks } from '../core/audio/peaks.ts'
import { mayTranscribe } from '../core/licence/transcribe.ts'
import { hashPassword } from './auth/password.ts'
import { findCampaignRow, upsertCampaignStatement, type CampaignRow } from './db/campaigns.ts'
import { seedVerified } from './db/consent.ts'
import { setStemNotes } from './db/stem-notes.ts'
import { upsertStemStatement } from './db/stems.ts'
import { findUserByEmail, insertUser } from './db/users.ts'
import { indexRecording, type RecordingPrint } from './fingerprint/index-stem.ts'
import { saveMarkability } from './db/ingest.ts'
import {
  clipWindow,
  measureCampaignClips,
  type CodecRoundTrip,
} from '../core/watermark/markability.ts'
import { notesKey } from './storage/keys.ts'

/** A stem ready to seed: its manifest entry, its encoded bytes and what was measured from them. */
export type SeedStem = {
  manifest: ManifestStem
  bytes: Uint8Array
  contentType: string
  sha256: string
  sampleRate: number
  channels: number
  lengthSamples: number
  peaks: Peaks
  analysis: StemAnalysis
  /**
   * Its fingerprint for the index (worker/fingerprint), when the audio was decoded: made before the
   * local bindings open, since a long CPU step closes an idle connection to them under it.
   */
  print?: RecordingPrint
  /** The decoded channels, for measuring markability (`measureSeedMarkability`), when decoded. */
  pcm?: Float32Array[]
  /** Its notes, transcribed once ahead of time (stems/make-notes.ts), when it has some. */
  notes?: StemNotesFile
}

export type SeedUser = {
  email: string
  displayName: string
  role: UserView['role']
  password: string
}

export type SeedInput = {
  manifest: CampaignManifest
  owner: SeedUser
  users: SeedUser[]
  artwork: { bytes: Uint8Array; contentType: string; name: string }
  stems: SeedStem[]
  /** The full mix's analysis (core/analysis), when it was run. */
  analysis?: CampaignAnalysis
}

/** What a seed run changed; a second run with the same input reports nothing written. */
export type SeedReport = { usersCreated: number; objectsWritten: number; rowsChanged: number }

type Storage = { DB: D1Database; MEDIA: R2Bucket }

/** A seeded campaign's id, stable across runs like its stems'. */
export function campaignIdFor(slug: string): string {
  return `cmp-${slug}`
}

/** Stem ids are stable across runs so that URLs and later rows keep pointing at the same stem. */
export function stemIdFor(slug: string, stemId: string): string {
  return `${slug}-${stemId}`
}

async function ensureUser(
  db: D1Database,
  user: SeedUser,
): Promise<{ id: string; created: boolean }> {
  const existing = await findUserByEmail(db, user.email)
  if (existing) return { id: existing.id, created: false }
  const id = crypto.randomUUID()
  const created = await insertUser(db, {
    id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    passwordHash: await hashPassword(user.password),
  })
  return { id, created }
}

/** Writes an object unless one with this content-addressed key is already there. */
async function putOnce(bucket: R2Bucket, key: string, bytes: Uint8Array, contentType: string) {
  if (await bucket.head(key)) return false
  await bucket.put(key, bytes, { httpMetadata: { contentType } })
  return true
}

/** Seeds users, a campaign and its stems into D1 and R2. Idempotent. */
export async function seedCampaign(env: Storage, input: SeedInput): Promise<SeedReport> {
  const { manifest: m } = input
  const owner = await ensureUser(env.DB, input.owner)
  // The demo's artist is a verified rights holder (the log says the seed verified them).
  const verified = input.owner.role === 'artist' && (await seedVerified(env.DB, owner.id))
  let usersCreated = owner.created ? 1 : 0
  for (const u of input.users) if ((await ensureUser(env.DB, u)).created) usersCreated++

  const campaignId = campaignIdFor(m.slug)
  const artworkKey = `campaigns/${campaignId}/${input.artwork.name}`
  let objectsWritten = 0
  if (await putOnce(env.MEDIA, artworkKey, input.artwork.bytes, input.artwork.contentType))
    objectsWritten++

  const stemRows = []
  for (const [position, stem] of input.stems.entries()) {
    const id = stemIdFor(m.slug, stem.manifest.id)
    const ext = stem.manifest.file.split('.').pop() ?? 'bin'
    const r2Key = `stems/${campaignId}/${id}/${stem.sha256}.${ext}`
    const peaksKey = `peaks/${campaignId}/${id}/${stem.sha256}.json`
    if (await putOnce(env.MEDIA, r2Key, stem.bytes, stem.contentType)) objectsWritten++
    const peaks = new TextEncoder().encode(JSON.stringify(stem.peaks))
    if (await putOnce(env.MEDIA, peaksKey, peaks, 'application/json')) objectsWritten++
    stemRows.push({
      id,
      campaign_id: campaignId,
      position,
      name: stem.manifest.name,
      role: stem.manifest.role,
      is_voice: stem.manifest.isVoice ? 1 : 0,
      r2_key: r2Key,
      format: stem.contentType,
      sample_rate: stem.sampleRate,
      channels: stem.channels,
      length_samples: stem.lengthSamples,
      sha256: stem.sha256,
      peaks_key: peaksKey,
      analysis: JSON.stringify(stem.analysis),
      isrc: stem.manifest.isrc ?? null,
      rights_holders: JSON.stringify(stem.manifest.rightsHolders),
    } as const)
  }

  const campaign: CampaignRow = {
    id: campaignId,
    slug: m.slug,
    owner_id: owner.id,
    title: m.title,
    artist: m.artist,
    description: m.description,
    status: 'live',
    tempo: m.tempo,
    musical_key: m.key,
    time_signature: JSON.stringify(m.timeSignature),
    sample_rate: m.sampleRate,
    artwork_key: artworkKey,
    opens_at: m.opensAt,
    closes_at: m.closesAt,
    iswc: m.iswc ?? null,
    licence: JSON.stringify(m.licence),
    splits: JSON.stringify(m.splits),
    credits: JSON.stringify(m.credits),
    analysis: input.analysis ? JSON.stringify(input.analysis) : null,
  }
  // Upserts only touch rows whose content differs, so a repeat run changes nothing.
  const results = await env.DB.batch([
    upsertCampaignStatement(env.DB, campaign),
    ...stemRows.map((row) => upsertStemStatement(env.DB, row)),
  ])
  let rowsChanged = results.reduce((n, r) => n + r.meta.changes, verified ? 1 : 0)
  // Notes only where the licence lets the assistant derive from the stem (never the voice).
  const at = new Date().toISOString()
  const licensed = {
    slug: m.slug,
    stems: stemRows.map((r) => ({ id: r.id, isVoice: r.is_voice === 1 })),
  }
  for (const [i, stem] of input.stems.entries()) {
    const row = stemRows[i]!
    if (!stem.notes || !mayTranscribe(m.licence, licensed, row.id, at)) continue
    const key = notesKey(row)
    const json = new TextEncoder().encode(JSON.stringify(stem.notes))
    if (await putOnce(env.MEDIA, key, json, 'application/json')) objectsWritten++
    if (await setStemNotes(env.DB, row.id, key)) rowsChanged++
  }
  for (const [i, stem] of input.stems.entries())
    if (stem.print) await indexRecording(env.DB, { id: stemRows[i]!.id, campaignId }, stem.print)
  return { usersCreated, objectsWritten, rowsChanged }
}

/** Whether the seeded campaign still waits for its markability measure (`measureSeedMarkability`). */
export async function seedNeedsMarkability(env: Storage, input: SeedInput): Promise<boolean> {
  const row = await findCampaignRow(env.DB, input.manifest.slug)
  return row !== null && !row.markability
}

/** A seeded campaign's measured markability, as `saveMarkability` stores it. */
export type SeedMarkability = { campaign: string; stems: { id: string; markability: string }[] }

/**
 * Measures the seeded campaign's markability as ingest does for uploaded stems (each stem and the
 * default mix, over the same clip); `codec` is the export's MP3 round trip. Null when the stems
 * were not decoded or are too short.
 */
export async function measureSeedMarkability(
  input: SeedInput,
  watermarkKey: string,
  codec: CodecRoundTrip,
): Promise<SeedMarkability | null> {
  const rate = input.manifest.sampleRate
  if (input.stems.some((s) => !s.pcm)) return null
  const window = clipWindow(Math.max(...input.stems.map((s) => s.lengthSamples)), rate)
  if (!window) return null
  const { start, frames } = window
  const clips = new Map<string, Float32Array[]>()
  for (const stem of input.stems) {
    const clip = [new Float32Array(frames), new Float32Array(frames)]
    const pcm = stem.pcm!
    for (let ch = 0; ch < 2; ch++)
      clip[ch]!.set(pcm[Math.min(ch, pcm.length - 1)]!.subarray(start, start + frames))
    clips.set(stemIdFor(input.manifest.slug, stem.manifest.id), clip)
  }
  const measured = await measureCampaignClips(clips, rate, watermarkKey, codec)
  return {
    campaign: JSON.stringify(measured.campaign),
    stems: [...measured.stems].map(([id, m]) => ({ id, markability: JSON.stringify(m) })),
  }
}

/** Stores what `measureSeedMarkability` measured. */
export async function saveSeedMarkability(
  env: Storage,
  input: SeedInput,
  measured: SeedMarkability,
): Promise<void> {
  await saveMarkability(
    env.DB,
    campaignIdFor(input.manifest.slug),
    measured.campaign,
    measured.stems,
  )
}
