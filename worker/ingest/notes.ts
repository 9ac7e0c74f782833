import type { StemNotesFile } from '../../core/api/notes.ts'
import type { UserView } from '../../core/api/users.ts'
import { DomainError } from '../../core/errors.ts'
import { LicencePolicySchema } from '../../core/licence/policy.ts'
import { mayTranscribe, transcribable } from '../../core/licence/transcribe.ts'
import { chromaOf, MIN_FIT, notesFit, type NotesFit } from '../../core/music/notes-fit.ts'
import { ownsOrAdmin } from '../auth/ownership.ts'
import { findNotesLicence, setStemNotes } from '../db/stem-notes.ts'
import type { StemAccessRow } from '../db/stems.ts'
import type { Bindings } from '../env.ts'
import { analysisCopyKey, notesKey } from '../storage/keys.ts'

// Notes for an uploaded stem, transcribed in its artist's browser while the wizard shows it
// (web/transcribe/upload.ts): basic-pitch cannot run inside a Worker's 128 MB (its WASM heap
// alone peaks at about 92 MB per 2 s window). The worker stores them only after it has checked
// them against facts it made itself:
//   1. who      — the campaign's owner or an admin (a draft's stem is no one else's to see)
//   2. stem     — ingested, melodic (never drums or the voice), and a licence that grants generated
//                 parts from it (at the campaign's opening, for a draft; GET checks again at serving)
//   3. bounds   — the transcription's length is the stem's, every note inside it, pitches on a piano
//   4. audio    — the notes fit the stem's own chroma, from ingest's analysis copy (notes-fit.ts)
//   5. store    — the JSON under the key named by the audio's SHA-256, then stems.notes_key

/** How far the transcribed length may stray from the stem's (a decoded MP3 is padded a little). */
const LENGTH_SLACK = 1.5
/** basic-pitch's range: the 88 keys of a piano. */
const LOWEST = 21
const HIGHEST = 108

/**
 * Whether the campaign's licence lets the assistant derive parts from the stem: now, or with
 * `fromOpening` at the campaign's opening while it has not opened (an artist sends a draft's notes
 * ahead). The test for serving a stem's notes and for storing them; a licence that does not parse
 * grants nothing.
 */
export async function licenceGrantsNotes(
  db: D1Database,
  stem: { id: string; campaign_id: string },
  { fromOpening }: { fromOpening: boolean },
): Promise<boolean> {
  const campaign = await findNotesLicence(db, stem.campaign_id)
  if (!campaign) return false
  const policy = LicencePolicySchema.safeParse(JSON.parse(campaign.licence || 'null'))
  const now = new Date().toISOString()
  const at = fromOpening && campaign.opensAt > now ? campaign.opensAt : now
  return policy.success && mayTranscribe(policy.data, campaign, stem.id, at)
}

/**
 * Checks notes sent for a stem the caller may see (`row`, from the stems route) and stores them;
 * what was stored and how well it fits.
 */
export async function storeSentNotes(
  env: Bindings,
  user: UserView,
  row: StemAccessRow,
  file: StemNotesFile,
): Promise<{ stored: boolean; fit: NotesFit }> {
  // 1. who
  const stemId = row.id
  if (!ownsOrAdmin(user, row.owner_id))
    throw new DomainError('forbidden', 'Only the campaign’s artist may store notes for its stems.')

  // 2. stem
  if (row.ingest_status !== 'ready' || !row.sha256)
    throw new DomainError(
      'conflict',
      'This stem is still processing; send its notes once it is ready.',
    )
  if (!transcribable({ role: row.role, isVoice: row.is_voice === 1 }))
    throw new DomainError(
      'unprocessable',
      'Only melodic stems get notes: not drums, not the voice.',
    )
  if (!(await licenceGrantsNotes(env.DB, row, { fromOpening: true })))
    throw new DomainError(
      'forbidden',
      'The campaign’s licence does not grant parts generated from this stem.',
    )

  // 3. bounds
  const seconds = row.length_samples / row.sample_rate
  if (Math.abs(file.seconds - seconds) > LENGTH_SLACK)
    throw new DomainError(
      'unprocessable',
      `These notes are of ${file.seconds.toFixed(1)} s of audio; the stem lasts ${seconds.toFixed(1)} s.`,
    )
  const outside = file.notes.find(
    (n) => n.time + n.duration > seconds + LENGTH_SLACK || n.midi < LOWEST || n.midi > HIGHEST,
  )
  if (outside)
    throw new DomainError(
      'unprocessable',
      `A note (MIDI ${outside.midi} at ${outside.time.toFixed(2)} s) lies outside the stem’s length or a piano’s range.`,
    )

  // 4. audio
  const copy = await env.MEDIA.get(analysisCopyKey(row))
  if (!copy)
    throw new DomainError('conflict', 'This stem’s analysis copy is missing; upload it again.')
  const rate = Number(copy.customMetadata?.sampleRate)
  const pcm = new Float32Array(await copy.arrayBuffer())
  const fit = notesFit(file.notes, chromaOf(pcm, rate))
  if (file.notes.length === 0 || fit.share < MIN_FIT)
    throw new DomainError(
      'unprocessable',
      `These notes do not match the stem’s audio: ${Math.round(fit.share * 100)} % of their length fits its pitches, ${Math.round(MIN_FIT * 100)} % is needed.`,
    )

  // 5. store
  const key = notesKey({ ...row, sha256: row.sha256 })
  await env.MEDIA.put(key, JSON.stringify(file), {
    httpMetadata: { contentType: 'application/json' },
  })
  return { stored: await setStemNotes(env.DB, stemId, key), fit }
}
