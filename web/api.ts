import type { CampaignDetail, CampaignSummary } from '../core/api/campaigns.ts'
import type { ExportView, ShareView } from '../core/api/exports.ts'
import type { MyRemixView, PublicRemixView, RemixView } from '../core/api/remixes.ts'
import type { CampaignStats, FanStats } from '../core/api/stats.ts'
import type { UserView } from '../core/api/users.ts'
import type { Statement } from '../core/credits/statement.ts'
import type { Verification } from '../core/campaign/verification.ts'
import type { Recipe } from '../core/recipe/schema.ts'
import type { Peaks } from '../core/audio/peaks.ts'

/** A failed API call, with the worker's error code and message. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly details: Record<string, unknown>
  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
  }
}

async function request<T>(path: string, init?: RequestInit, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { ...init, signal, credentials: 'same-origin' })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string }
    } | null
    // Details (a licence refusal's violations, a conflict's current version) stay with the error.
    const { code = 'http_error', message = res.statusText, ...details } = body?.error ?? {}
    throw new ApiError(res.status, code, message, details)
  }
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

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
    request<{ user: UserView }>('/api/auth/login', json({ email, password })),
  signup: (body: {
    email: string
    password: string
    displayName: string
    role: 'fan' | 'artist'
  }) => request<{ user: UserView }>('/api/auth/signup', json(body)),
  logout: () => request<void>('/api/auth/logout', { method: 'POST' }),
  remixes: (signal?: AbortSignal) =>
    request<{ remixes: MyRemixView[] }>('/api/remixes', undefined, signal),
  renameRemix: (id: string, title: string) =>
    request<{ remix: RemixView }>(`/api/remixes/${encodeURIComponent(id)}`, {
      ...json({ title }),
      method: 'PATCH',
    }),
  deleteRemix: (id: string) =>
    request<void>(`/api/remixes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  remix: (id: string, signal?: AbortSignal) =>
    request<{ remix: RemixView }>(`/api/remixes/${encodeURIComponent(id)}`, undefined, signal),
  createRemix: (body: { campaign: string; title: string; recipe: Recipe }) =>
    request<{ remix: RemixView }>('/api/remixes', json(body)),
  saveRemix: (id: string, body: { title: string; recipe: Recipe; version: number }) =>
    request<{ remix: RemixView }>(`/api/remixes/${encodeURIComponent(id)}`, {
      ...json(body),
      method: 'PUT',
    }),
  /** Asks the server to render a saved remix; the same key always answers the same export. */
  createExport: (remix: string, version: number, key: string, signal?: AbortSignal) =>
    request<{ export: ExportView }>(
      '/api/exports',
      {
        ...json({ remix, version }),
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      },
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
    request<{ accepted: boolean }>(`/api/share/${encodeURIComponent(id)}/plays`, json({ ticket })),
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
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/verify')
    xhr.setRequestHeader(
      'Content-Type',
      file.type.startsWith('audio/') ? file.type : 'application/octet-stream',
    )
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.upload.onload = onUploaded
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'The upload failed. Check your connection and try again.'))
    signal?.addEventListener('abort', () => xhr.abort())
    xhr.onload = () => {
      let body: Verification | { error?: { code: string; message: string } } | null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = null
      }
      if (xhr.status === 200 && body && 'found' in body) return resolve(body)
      const error = body && 'error' in body ? body.error : undefined
      reject(
        new ApiError(xhr.status, error?.code ?? 'http_error', error?.message ?? xhr.statusText),
      )
    }
    xhr.send(file)
  })
}

/** Fetches a stem's encoded audio with download progress (0..1). */
export async function fetchAudio(
  url: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const res = await fetch(url, { signal })
  if (!res.ok || !res.body)
    throw new ApiError(res.status, 'audio_unavailable', `Could not load ${url}`)
  const total = Number(res.headers.get('Content-Length')) || 0
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    if (total) onProgress(received / total)
  }
  const out = new Uint8Array(received)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out.buffer
}
