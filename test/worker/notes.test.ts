import { beforeAll, describe, expect, it } from 'vitest'
import leadNotes from '../../stems/notes/lead.json'
import { StemNotesFile } from '../../core/api/notes.ts'
import { seedCampaign, stemIdFor, type SeedInput } from '../../worker/seed.ts'
import { env } from 'cloudflare:test'
import { manifest, seedInput } from './fixture.ts'
import { call } from './http.ts'

const notes = StemNotesFile.parse(leadNotes)
// A campaign of its own, so that its licence's versions are this file's alone.
const SLUG = 'noted-moons'
const url = (stem: string) => `/api/stems/${stemIdFor(SLUG, stem)}/notes`

/** The fixture's campaign, with the demo's lead notes given to the lead and (wrongly) the voice. */
async function input(licence = manifest.licence): Promise<SeedInput> {
  const base = await seedInput()
  return {
    ...base,
    manifest: { ...manifest, slug: SLUG, licence },
    stems: base.stems.map((s) =>
      s.manifest.id === 'lead' || s.manifest.id === 'vox' ? { ...s, notes } : s,
    ),
  }
}

beforeAll(async () => {
  await seedCampaign(env, await input())
})

describe('GET /api/stems/:id/notes', () => {
  it('serves the notes made ahead of time, as they were made', async () => {
    const res = await call(url('lead'))
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json')
    const body = StemNotesFile.parse(await res.json())
    expect(body).toEqual(notes)
    expect(body.notes.length).toBeGreaterThan(50)
  })

  it('has none for drums, and never stores or serves the voice’s even when given them', async () => {
    for (const stem of ['drums', 'vox']) {
      const res = await call(url(stem))
      expect(res.status, stem).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
    }
    const vox = await env.DB.prepare('SELECT notes_key FROM stems WHERE id = ?1')
      .bind(stemIdFor(SLUG, 'vox'))
      .first<{ notes_key: string | null }>()
    expect(vox?.notes_key).toBeNull()
  })

  it('answers 404 in the error shape for a stem that does not exist', async () => {
    const res = await call('/api/stems/no-such-stem/notes')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({
      error: { code: 'not_found', message: expect.any(String) },
    })
  })

  it('seeds again without writing anything', async () => {
    expect(await seedCampaign(env, await input())).toEqual({
      usersCreated: 0,
      objectsWritten: 0,
      rowsChanged: 0,
    })
  })

  it('stops serving them once the licence no longer grants generated parts', async () => {
    const { version } = manifest.licence
    const withdrawn = {
      ...manifest.licence,
      version: version + 1,
      permissions: manifest.licence.permissions.filter((p) => p.action !== 'generateParts'),
    }
    await seedCampaign(env, await input(withdrawn))
    const res = await call(url('lead'))
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
    // Granted again in a later version: the notes stored are served again.
    await seedCampaign(env, await input({ ...manifest.licence, version: version + 2 }))
    expect((await call(url('lead'))).status).toBe(200)
  })
})
