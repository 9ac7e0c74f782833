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
import { decodeHeads, type StemHead } from '../core/api/stem-heads.ts'
import { ApiError, apiErrorFrom, audioType, jsonInit, request, upload } from './request.ts'
import { takeEarly } from './studio/early-start.ts'

/** A campaign, by its slug. */
export const campaignPath = (slug: string) => `/api/campaigns/${encodeURIComponent(slug)}`

/** Typed client of the worker's API. */
export const api = {
  campaigns: (signal?: AbortSignal) =>
    request<{ campaigns: CampaignSummary[] }>('/api/campaigns', undefined, signal),
  campaign: (slug: string, signal?: AbortSignal) =>
    request<{ campaign: CampaignDetail }>(campaignPath(slug), undefined, signal),
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

/**
 * How much of each stem comes first, all stems in one request (fetchHeads), to play before the
 * whole files are in: about 4 s of a 192 kbit/s rendition (5 s at 160). Its samples are the full
 * decode's first samples (MP3 frames decode the same whatever follows them), so a longer decode
 * replaces it unheard.
 */
export const PREFIX_BYTES = 96 * 1024

/** Every stem's first PREFIX_BYTES of a campaign, by its slug. */
export const campaignHeadsPath = (slug: string) =>
  `${campaignPath(slug)}/heads?bytes=${PREFIX_BYTES}`

/**
 * Every named stem's first PREFIX_BYTES in one response (GET /api/stems/heads), or every stem's of
 * a campaign named by its slug (GET /api/campaigns/:slug/heads, asked beside the campaign): eight
 * stems' first seconds wait for one connection and one answer, not for eight of the browser's six
 * connections (HTTP/1.1) behind each other and the peaks. Asked for first, before the peaks; the
 * rests are asked for only once these are decoded (fetchAudio's `after`).
 */
export async function fetchHeads(
  stems: readonly string[] | { campaign: string },
  signal?: AbortSignal,
): Promise<Map<string, StemHead>> {
  const url =
    'campaign' in stems
      ? campaignHeadsPath(stems.campaign)
      : `/api/stems/heads?ids=${stems.map(encodeURIComponent).join(',')}&bytes=${PREFIX_BYTES}`
  const res = await (takeEarly(url) ?? fetch(url, { signal, priority: 'high' }))
  if (!res.ok) throw apiErrorFrom(res.status, res.statusText, await res.json().catch(() => null))
  return new Map(decodeHeads(await res.arrayBuffer()).map((h) => [h.id, h]))
}

/**
 * Fetches a stem's encoded audio with download progress (0..1). With `prefix`, its first bytes
 * (`prefix.head`, from fetchHeads) go to `onPrefix` (a copy) and the rest is asked for by Range
 * once `prefix.after` settles; each longer prefix in `prefix.bytes` (ascending) goes to `onPrefix`
 * too as the rest streams in. Only prefixes shorter than the file go out. Without a head (the
 * heads request failed), or a server ignores
 * the range, the whole file streams, its first PREFIX_BYTES and longer prefixes going out the same
 * way. The rest's `If-Range` makes the server answer the whole file (200) when the file is no longer
 * the head's; a 416 (a file now shorter than its head) asks for the whole file anew.
 */
export async function fetchAudio(
  url: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
  prefix?: {
    bytes: readonly number[]
    onPrefix: (head: ArrayBuffer) => void
    head?: Promise<StemHead | undefined>
    after?: Promise<unknown>
  },
): Promise<ArrayBuffer> {
  if (!prefix) return readAudio(await audioResponse(url, signal), onProgress)
  const { bytes: later, onPrefix } = prefix
  const whole = { bytes: [PREFIX_BYTES, ...later], onPrefix }
  const head = await prefix.head
  signal?.throwIfAborted()
  if (!head) return readAudio(await audioResponse(url, signal), onProgress, whole)
  const { bytes, total, etag } = head
  if (!(total > bytes.length)) return bytes.buffer // the whole file fits in the prefix
  onPrefix(bytes.slice().buffer)
  onProgress(bytes.length / total)
  // the rest streams for seconds, holding a connection and the main thread's time: it waits
  await prefix.after
  signal?.throwIfAborted()
  // a 416 (the file shrank below its head) asks for the whole file again
  const rest = await fetch(url, {
    signal,
    headers: { Range: `bytes=${bytes.length}-`, 'If-Range': etag },
    priority: 'low',
  })
  if (!rest.body || (!rest.ok && rest.status !== 416))
    throw new ApiError(rest.status, 'audio_unavailable', `Could not load ${url}`)
  // 200: the file changed since its head (If-Range), or a server that ignores ranges: all of it
  if (rest.status === 200) return readAudio(rest, onProgress, whole)
  if (rest.status !== 206) {
    void rest.body?.cancel()
    return readAudio(await audioResponse(url, signal), onProgress, whole)
  }
  return readAudio(rest, (f) => onProgress((bytes.length + f * (total - bytes.length)) / total), {
    head: bytes,
    bytes: later,
    onPrefix,
  })
}

async function audioResponse(
  url: string,
  signal?: AbortSignal,
  headers?: HeadersInit,
  priority?: RequestPriority,
) {
  const res = await fetch(url, { signal, headers, ...(priority ? { priority } : {}) })
  if (!res.ok || !res.body)
    throw new ApiError(res.status, 'audio_unavailable', `Could not load ${url}`)
  return res
}

/**
 * Reads a response's body with progress, after `head` (bytes already in) if given; each of `bytes`
 * (file offsets, ascending) shorter than the file sends the file's first that many bytes to
 * `onPrefix` (a copy) as soon as they are in, while the rest streams on.
 */
async function readAudio(
  res: Response,
  onProgress: (fraction: number) => void,
  options: {
    head?: Uint8Array
    bytes?: readonly number[]
    onPrefix?: (head: ArrayBuffer) => void
  } = {},
): Promise<ArrayBuffer> {
  const { head, bytes = [], onPrefix } = options
  const start = head?.length ?? 0
  const length = Number(res.headers.get('Content-Length')) || 0
  const file = length ? start + length : Infinity
  const marks = onPrefix ? bytes.filter((b) => b > start && b < file) : []
  const reader = res.body!.getReader()
  const chunks: Uint8Array[] = head ? [head] : []
  let received = 0
  let next = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    received += value.length
    if (length) onProgress(received / length)
    while (next < marks.length && start + received >= marks[next]!)
      onPrefix!(concat(chunks, marks[next++]!).buffer)
  }
  return concat(chunks, start + received).buffer
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
