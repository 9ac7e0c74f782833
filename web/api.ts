import type { ExportFormat } from '../core/api/formats.ts'
import type { CampaignDetail, CampaignSummary } from '../core/api/campaigns.ts'
import type { ExportView, ShareView } from '../core/api/exports.ts'
import type { MyRemixView, PublicRemixView, RemixView } from '../core/api/remixes.ts'
import type { CampaignStats, FanStats } from '../core/api/stats.ts'
import type { UserView } from '../core/api/users.ts'
import type { Statement } from '../core/credits/statement.ts'
import type { Verification } from '../core/campaign/verification.ts'
import type { Recipe } from '../core/recipe/schema.ts'
import type { Peaks } from '../core/audio/peaks.ts'
import { ApiError, audioType, jsonInit, request, upload } from './request.ts'

/** Typed client of the worker's API. */
export const api = {
  campaigns: (signal?: AbortSignal) =>
    request<{ campaigns: CampaignSummary[] }>('/api/campaigns', undefined, signal),
  campaign: (slug: string, signal?: AbortSignal) =>
    request<{ campaign: CampaignDetail }>(
      `/api/campaigns/${encodeURIComponent(slug)}`,
      undefined,
      signal,
    ),
  campaignRemixes: (slug: string, signal?: AbortSignal) =>
    request<{ remixes: PublicRemixView[] }>(
      `/api/campaigns/${encodeURIComponent(slug)}/remixes`,
      undefined,
      signal,
    ),
  peaks: (url: string, signal?: AbortSignal) => request<Peaks>(url, undefined, signal),
  me: (signal?: AbortSignal) => request<{ user: UserView | null }>('/api/me', undefined, signal),
  login: (email: string, password: string) =>
    request<{ user: UserView }>('/api/auth/login', jsonInit({ email, password })),
  signup: (body: {
    email: string
    password: string
    displayName: string
    role: 'fan' | 'artist'
  }) => request<{ user: UserView }>('/api/auth/signup', jsonInit(body)),
  logout: () => request<void>('/api/auth/logout', { method: 'POST' }),
  remixes: (signal?: AbortSignal) =>
    request<{ remixes: MyRemixView[] }>('/api/remixes', undefined, signal),
  renameRemix: (id: string, title: string) =>
    request<{ remix: RemixView }>(
      `/api/remixes/${encodeURIComponent(id)}`,
      jsonInit({ title }, 'PATCH'),
    ),
  deleteRemix: (id: string) =>
    request<void>(`/api/remixes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  remix: (id: string, signal?: AbortSignal) =>
    request<{ remix: RemixView }>(`/api/remixes/${encodeURIComponent(id)}`, undefined, signal),
  createRemix: (body: { campaign: string; title: string; recipe: Recipe }) =>
    request<{ remix: RemixView }>('/api/remixes', jsonInit(body)),
  saveRemix: (id: string, body: { title: string; recipe: Recipe; version: number }) =>
    request<{ remix: RemixView }>(`/api/remixes/${encodeURIComponent(id)}`, jsonInit(body, 'PUT')),
  /** Asks the server to render a saved remix; the same key always answers the same export. */
  createExport: (
    remix: string,
    version: number,
    formats: readonly ExportFormat[],
    key: string,
    signal?: AbortSignal,
  ) =>
    request<{ export: ExportView }>(
      '/api/exports',
      jsonInit({ remix, version, formats }, 'POST', { 'Idempotency-Key': key }),
      signal,
    ),
  exportStatus: (id: string, signal?: AbortSignal) =>
    request<{ export: ExportView }>(`/api/exports/${encodeURIComponent(id)}`, undefined, signal),
  share: (id: string, signal?: AbortSignal) =>
    request<{ share: ShareView }>(`/api/share/${encodeURIComponent(id)}`, undefined, signal),
  campaignStats: (slug: string, signal?: AbortSignal) =>
    request<{ stats: CampaignStats }>(
      `/api/campaigns/${encodeURIComponent(slug)}/stats`,
      undefined,
      signal,
    ),
  statement: (slug: string, query: URLSearchParams) =>
    request<{ statement: Statement }>(
      `/api/campaigns/${encodeURIComponent(slug)}/statement?${query}`,
    ),
  myStats: (signal?: AbortSignal) => request<FanStats>('/api/me/stats', undefined, signal),
  /** A play ticket for this listener (the worker's cookie) and export. */
  playTicket: (id: string) =>
    request<{ ticket: string; needSeconds: number; expiresAt: string }>(
      `/api/share/${encodeURIComponent(id)}/tickets`,
      { method: 'POST' },
    ),
  /** Redeems a ticket once the listener has heard `needSeconds` of the remix. */
  play: (id: string, ticket: string) =>
    request<{ accepted: boolean }>(
      `/api/share/${encodeURIComponent(id)}/plays`,
      jsonInit({ ticket }),
    ),
}

/**
 * Sends an audio file to `POST /api/verify`: `onProgress` gets the upload fraction (0..1), then
 * `onUploaded` fires while the worker decodes and searches the file.
 */
export function verifyFile(
  file: Blob,
  onProgress: (fraction: number) => void,
  onUploaded: () => void,
  signal?: AbortSignal,
): Promise<Verification> {
  return upload<Verification>('POST', '/api/verify', file, audioType(file), {
    onProgress: (loaded, total) => total && onProgress(loaded / total),
    onUploaded,
    signal,
  })
}

/** Fetches a stem's encoded audio with download progress (0..1). */
export async function fetchAudio(
  url: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
  prefix?: { bytes: number; onPrefix: (head: ArrayBuffer) => void },
): Promise<ArrayBuffer> {
  const res = await fetch(url, { signal })
  if (!res.ok || !res.body)
    throw new ApiError(res.status, 'audio_unavailable', `Could not load ${url}`)
  const total = Number(res.headers.get('Content-Length')) || 0
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  // The first bytes, once they are in, go out on their own (a copy) while the rest streams in:
  // only when the file is longer than that, so a short file is decoded once.
  let prefixSent = !prefix || (total > 0 && total <= prefix.bytes)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    if (total) onProgress(received / total)
    if (!prefixSent && received >= prefix!.bytes) {
      prefixSent = true
      prefix!.onPrefix(concat(chunks, prefix!.bytes).buffer)
    }
  }
  return concat(chunks, received).buffer
}

/** The first `length` bytes of `chunks`, in one buffer. */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    if (offset >= length) break
    const part = chunk.length <= length - offset ? chunk : chunk.subarray(0, length - offset)
    out.set(part, offset)
    offset += part.length
  }
  return out
}
