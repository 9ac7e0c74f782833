import type { ArtworkRequest } from '../../core/artwork/request.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { ApiError } from '../api.ts'

/** Saves a remix's artwork plan; the worker renders the PNG and records the AI action in the recipe. */
export async function saveArtworkPlan(
  remixId: string,
  plan: ArtworkRequest,
): Promise<{ remix: RemixView; artwork: { url: string; sha256: string } }> {
  const res = await fetch(`/api/remixes/${encodeURIComponent(remixId)}/artwork/plan`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan),
    credentials: 'same-origin',
  })
  const body = (await res.json().catch(() => null)) as
    | { remix: RemixView; artwork: { url: string; sha256: string }; error?: undefined }
    | { error: { code: string; message: string } }
    | null
  if (!res.ok || !body || body.error)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? res.statusText,
    )
  return body
}
