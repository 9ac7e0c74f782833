import { env } from 'cloudflare:test'
import { expect } from 'vitest'
import type { AuthorCampaign, AuthorStem } from '../../core/api/authoring.ts'
import { licencePresets, type LicencePreset } from '../../core/licence/presets.ts'
import { call, json } from './http.ts'

/** The smallest bodies that sniff as PNG and JPEG. */
export const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2,
])
export const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])

/** A request, JSON when a body is given, signed in with `cookie` when there is one. */
export const send = (method: string, path: string, body?: unknown, cookie?: string) =>
  call(
    path,
    body === undefined
      ? { method, headers: cookie ? { Cookie: cookie } : {} }
      : { method, ...json(body, cookie) },
  )

/** A request with a raw body. */
export const raw = (
  method: string,
  path: string,
  body: Uint8Array,
  contentType: string,
  cookie?: string,
) =>
  call(path, {
    method,
    headers: { 'Content-Type': contentType, ...(cookie ? { Cookie: cookie } : {}) },
    body,
  })

/** The JSON body, once the status is as expected. */
export async function ok<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res
  const body = (await r.json()) as T
  expect(r.status, JSON.stringify(body)).toBe(status)
  return body
}

export type ErrorBody = { error: { code: string; message: string; missing?: string[] } }

/** The error, once status and code are as expected. */
export async function refused(res: Response | Promise<Response>, status: number, code: string) {
  const r = await res
  const body = (await r.json()) as ErrorBody
  expect(r.status, JSON.stringify(body)).toBe(status)
  expect(body.error.code).toBe(code)
  return body.error
}

/** An artist's API path for a campaign. */
export const path = (c: { id: string }, rest = '') => `/api/artist/campaigns/${c.id}${rest}`

export async function createDraft(slug: string, cookie: string): Promise<AuthorCampaign> {
  const body = { slug, title: `Campaign ${slug}`, description: 'Stems for fans.' }
  const res = send('POST', '/api/artist/campaigns', body, cookie)
  return (await ok<{ campaign: AuthorCampaign }>(res, 201)).campaign
}

/** A stem as ingest leaves it (uploads are section B's): its row and its three objects. */
export async function addStem(
  campaignId: string,
  name: string,
  shape: { sampleRate?: number; lengthSamples?: number; status?: AuthorStem['status'] } = {},
) {
  const id = crypto.randomUUID()
  const keys = [
    `masters/${campaignId}/${id}.wav`,
    `stems/${campaignId}/${id}.m4a`,
    `peaks/${campaignId}/${id}.json`,
  ]
  for (const key of keys) await env.MEDIA.put(key, new Uint8Array([1, 2, 3]))
  await env.DB.prepare(
    `INSERT INTO stems (id, campaign_id, position, name, role, is_voice, r2_key, format, sample_rate,
       channels, length_samples, sha256, peaks_key, analysis, isrc, rights_holders, master_key,
       bit_depth, file_name, ingest_status)
     VALUES (?1, ?2, (SELECT COUNT(*) FROM stems WHERE campaign_id = ?2), ?3, 'keys', 0, ?4, 'wav',
       ?5, 2, ?6, 'hash', ?7, '{}', NULL, '[]', ?8, 24, ?9, ?10)`,
  )
    .bind(
      id,
      campaignId,
      name,
      keys[1],
      shape.sampleRate ?? 48000,
      shape.lengthSamples ?? 480000,
      keys[2],
      keys[0],
      `${name}.wav`,
      shape.status ?? 'ready',
    )
    .run()
  return { id, keys }
}

/** A preset's terms, as the licence editor sends them (no uid, no version). */
export function preset(id: LicencePreset['id']) {
  const { uid: _, version: __, ...policy } = licencePresets().find((p) => p.id === id)!.policy
  return policy
}

const DAY = 24 * 60 * 60 * 1000

/** An ISO date-time `days` from now. */
export const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString()

/** A draft with everything publishing needs: two matching stems, licence, splits, artwork, window. */
export async function completeDraft(slug: string, cookie: string, opensAt = inDays(-1)) {
  const draft = await createDraft(slug, cookie)
  const stems = [await addStem(draft.id, 'Keys'), await addStem(draft.id, 'Bass')]
  await ok(raw('PUT', path(draft, '/artwork'), PNG, 'image/png', cookie))
  await ok(send('PUT', path(draft, '/licence'), { policy: preset('open-remix') }, cookie))
  const shares = [{ party: 'The Artist', bps: 10_000 }]
  const splits = { fanCreatorBps: 500, stems: stems.map((s) => ({ stem: s.id, shares })) }
  const credits = [{ name: 'The Artist', roles: ['artist'] }]
  await ok(send('PUT', path(draft, '/splits'), { splits, credits }, cookie))
  await ok(send('PATCH', path(draft, ''), { opensAt, closesAt: inDays(30) }, cookie))
  return { draft, stems }
}
