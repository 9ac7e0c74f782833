// A stem's notes made ahead of time by the worker or the seed (GET /api/stems/:id/notes): what
// the studio shows at once; null sends it to transcribe in this browser instead.
import { StemNotesFile } from '../../core/api/notes.ts'
import { ApiError, request } from '../request.ts'

/** The stem's stored notes, or null when it has none (or the licence no longer allows them). */
export async function storedNotes(
  stemId: string,
  signal?: AbortSignal,
): Promise<StemNotesFile | null> {
  try {
    const body = await request<unknown>(
      `/api/stems/${encodeURIComponent(stemId)}/notes`,
      undefined,
      signal,
    )
    return StemNotesFile.parse(body)
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}
