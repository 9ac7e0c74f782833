import type { ArtworkRequest } from '../../core/artwork/request.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { jsonInit, request } from '../request.ts'

/** Saves a remix's artwork plan; the worker renders the PNG and records the AI action in the recipe. */
export function saveArtworkPlan(
  remixId: string,
  plan: ArtworkRequest,
): Promise<{ remix: RemixView; artwork: { url: string; sha256: string } }> {
  return request(`/api/remixes/${encodeURIComponent(remixId)}/artwork/plan`, jsonInit(plan, 'PUT'))
}
