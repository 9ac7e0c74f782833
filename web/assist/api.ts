import type { AiAction, Recipe } from '../../core/recipe/schema.ts'
import type { ProviderCapabilities, ProviderId } from '../../core/assist/provider.ts'
import { ApiError } from '../api.ts'

/** A provider this deployment offers, as GET /api/assist/providers lists it. */
export type ProviderView = { id: ProviderId; capabilities: ProviderCapabilities; model?: string }

/** What a free-text request answers: the patched recipe (not saved), and who made it. */
export type TextPatchView = {
  recipe: Recipe
  summary: string
  action: AiAction
  provider: ProviderId
  model: string
}

async function send<T>(path: string, init?: RequestInit, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { ...init, signal, credentials: 'same-origin' })
  const body = (await res.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null
  if (!res.ok)
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? res.statusText,
    )
  return body as T
}

/** The assistant's API. */
export const assistApi = {
  providers: (signal?: AbortSignal) =>
    send<{ providers: ProviderView[] }>('/api/assist/providers', undefined, signal),
  text: (body: { recipe: Recipe; text: string }, signal?: AbortSignal) =>
    send<TextPatchView>(
      '/api/assist/text',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
      signal,
    ),
}
