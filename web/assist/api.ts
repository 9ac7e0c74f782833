import type { AiAction, Recipe } from '../../core/recipe/schema.ts'
import type { ProviderCapabilities, ProviderId } from '../../core/assist/provider.ts'
import { jsonInit, request } from '../request.ts'

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

/** The assistant's API. */
export const assistApi = {
  providers: (signal?: AbortSignal) =>
    request<{ providers: ProviderView[] }>('/api/assist/providers', undefined, signal),
  text: (body: { recipe: Recipe; text: string }, signal?: AbortSignal) =>
    request<TextPatchView>('/api/assist/text', jsonInit(body), signal),
}
