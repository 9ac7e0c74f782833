import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { AuthorCampaign, AuthorStem } from '../../core/api/authoring.ts'
import { notesFileFrom, StemNotesFile } from '../../core/api/notes.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import type { NoteEvent } from '../../core/music/notes.ts'
import { testMelody } from '../../core/music/testing/melody.ts'
import { renderNotes } from '../../core/music/testing/render-notes.ts'
import { seedCampaign, stemIdFor } from '../../worker/seed.ts'
import { ARTIST_B } from '../support/users.ts'
import { inDays, ok, path, preset, refused, send } from './author-fixture.ts'
import { ARTIST, FAN, manifest, seedInput } from './fixture.ts'
import { call, login } from './http.ts'
import { uploadMaster } from './upload-fixture.ts'

// Two stems ingest through the real queue on a shared machine: generous waits.
vi.setConfig({ testTimeout: 300_000 })

const RATE = 44100
const SECONDS = 16
const melody = testMelody(240)
const THRESHOLDS = { onset: 0.5, frame: 0.3, minFrames: 11 }
/** What the wizard sends for a stem: its notes (here the melody it was made from) as stored. */
const fileOf = (notes: NoteEvent[], seconds = SECONDS) =>
  StemNotesFile.parse(notesFileFrom(notes, THRESHOLDS, seconds))
const notesUrl = (id: string) => `/api/stems/${id}/notes`

let artist: string
let artistB: string
let fan: string
let keys: AuthorStem
let drums: AuthorStem

const campaignOf = async (id: string) =>
  (await ok<{ campaign: AuthorCampaign }>(send('GET', path({ id }), undefined, artist))).campaign
const notesKeyOf = async (id: string) =>
  (
    await env.DB.prepare('SELECT notes_key FROM stems WHERE id = ?1')
      .bind(id)
      .first<{ notes_key: string | null }>()
  )?.notes_key ?? null

beforeAll(async () => {
  const input = await seedInput()
  await seedCampaign(env, { ...input, users: [...input.users, ARTIST_B] })
  artist = await login(ARTIST.email, ARTIST.password)
  artistB = await login(ARTIST_B.email, ARTIST_B.password)
  fan = await login(FAN.email, FAN.password)
  const body = { slug: 'sent-notes', title: 'Sent notes', description: 'A melody and a beat.' }
  const draft = (
    await ok<{ campaign: AuthorCampaign }>(send('POST', '/api/artist/campaigns', body, artist), 201)
  ).campaign
  await ok(send('PUT', path(draft, '/licence'), { policy: preset('open-remix') }, artist))
  const window = { opensAt: inDays(-1), closesAt: inDays(30) }
  await ok(send('PATCH', path(draft, ''), window, artist))
  const wav = encodeWav([renderNotes(melody, RATE, SECONDS)], RATE, { encoding: 'pcm16' })
  await uploadMaster(draft.id, wav, 'Keys.wav', artist)
  await uploadMaster(draft.id, wav, 'Drums.wav', artist)
  await vi.waitFor(
    async () => {
      const { stems } = await campaignOf(draft.id)
      expect(stems.map((s) => s.status)).toEqual(['ready', 'ready'])
      keys = stems.find((s) => s.role === 'keys')!
      drums = stems.find((s) => s.role === 'drums')!
    },
    { timeout: 240_000, interval: 500 },
  )
}, 300_000)

describe('PUT /api/stems/:id/notes', () => {
  it('stores the artist’s notes for an uploaded melodic stem, served as sent; a replay changes nothing', async () => {
    const file = fileOf(melody)
    const put = () => send('PUT', notesUrl(keys.id), file, artist)
    const first = await ok<{ notes: { count: number; fits: number; stored: boolean } }>(put())
    expect(first.notes).toMatchObject({ count: file.notes.length, stored: true })
    expect(first.notes.fits).toBeGreaterThan(0.9)
    const key = await notesKeyOf(keys.id)
    expect(key).toMatch(new RegExp(`^notes/.+/${keys.id}/[0-9a-f]{64}\\.json$`))
    const served = await call(notesUrl(keys.id), { headers: { Cookie: artist } })
    expect(served.status).toBe(200)
    expect(StemNotesFile.parse(await served.json())).toEqual(file)
    expect((await ok<{ notes: { stored: boolean } }>(put())).notes.stored).toBe(false)
    expect(await notesKeyOf(keys.id)).toBe(key)
  })

  it('refuses a fan, another artist, and anyone signed out', async () => {
    const file = fileOf(melody)
    const demoLead = stemIdFor(manifest.slug, 'lead')
    await refused(send('PUT', notesUrl(demoLead), file, fan), 403, 'forbidden')
    await refused(send('PUT', notesUrl(demoLead), file, artistB), 403, 'forbidden')
    // A draft's stem does not exist for anyone but its artist.
    await refused(send('PUT', notesUrl(keys.id), file, fan), 404, 'not_found')
    await refused(send('PUT', notesUrl(keys.id), file, artistB), 404, 'not_found')
    await refused(send('PUT', notesUrl(keys.id), file), 401, 'unauthorized')
  })

  it('refuses notes that are not this stem’s, too large, and drums, storing nothing', async () => {
    const before = await notesKeyOf(keys.id)
    const refusedNotes = [
      fileOf(melody.map((n) => ({ ...n, midi: n.midi + 6 }))), // another key: not in its audio
      fileOf(melody.map((n) => ({ ...n, time: n.time + 20 }))), // past the stem's end
      fileOf(melody.map((n) => ({ ...n, midi: n.midi + 48 }))), // above a piano
      fileOf(melody, 60), // of a minute of audio
      fileOf([]),
    ]
    for (const file of refusedNotes)
      await refused(send('PUT', notesUrl(keys.id), file, artist), 422, 'unprocessable')
    const malformed = {
      ...fileOf(melody),
      notes: [{ time: 1, duration: 1, midi: 60, velocity: 2 }],
    }
    await refused(send('PUT', notesUrl(keys.id), malformed, artist), 400, 'invalid_request')
    const oversized = { ...fileOf(melody), padding: 'x'.repeat(2 * 1024 * 1024) } // over 2 MiB
    await refused(send('PUT', notesUrl(keys.id), oversized, artist), 413, 'payload_too_large')
    await refused(send('PUT', notesUrl(drums.id), fileOf(melody), artist), 422, 'unprocessable')
    expect(await notesKeyOf(keys.id)).toBe(before)
    expect(await notesKeyOf(drums.id)).toBeNull()
  })
})
