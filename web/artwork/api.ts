import type { RemixView } from '../../core/campaign/views.ts'
import { ApiError } from '../api.ts'

/** Uploads a remix's artwork PNG; the worker checks it and records the AI action in the recipe. */
export async function uploadArtwork(
  remixId: string,
  png: Blob,
  params: { sources: string[]; seed: number; words: string },
): Promise<{ remix: RemixView }> {
  const query = new URLSearchParams({
    sources: params.sources.join(','),
    seed: String(params.seed),
    words: params.words,
  })
  const res = await fetch(`/api/remixes/${encodeURIComponent(remixId)}/artwork?${query}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/png' },
    body: png,
    credentials: 'same-origin',
  })
  const body = (await res.json().catch(() => null)) as
    { remix: RemixView; error?: undefined } | { error: { code: string; message: string } } | null
  if (!res.ok || !body || body.error)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? res.statusText,
    )
  return body
}
