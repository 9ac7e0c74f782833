import type {
  ArtistVerificationView,
  ConsentLogEntry,
  StemMatchView,
  VerificationCase,
  VerificationQueueItem,
  VerificationState,
  VerificationSubmissionInput,
} from '../core/consent/verification.ts'
import { jsonInit, request } from './request.ts'

const post = (body: unknown): RequestInit => jsonInit(body)
const id = encodeURIComponent

/** The form as sent: an unticked statement goes too, and the worker answers 400 by field. */
export type VerificationForm = Omit<VerificationSubmissionInput, 'statement'> & {
  statement: { name: string; text: string; accepted: boolean }
}

/** The artist's own verification, and the admin console's routes. */
export const consentApi = {
  mine: (signal?: AbortSignal) =>
    request<{ verification: ArtistVerificationView }>(
      '/api/artist/verification',
      undefined,
      signal,
    ),
  submit: (body: VerificationForm) =>
    request<{ verification: ArtistVerificationView }>('/api/artist/verification', post(body)),

  queue: (state: VerificationState | 'all', signal?: AbortSignal) =>
    request<{ queue: VerificationQueueItem[] }>(
      `/api/admin/verifications?state=${state}`,
      undefined,
      signal,
    ),
  case: (userId: string, signal?: AbortSignal) =>
    request<{ case: VerificationCase }>(`/api/admin/artists/${id(userId)}`, undefined, signal),
  decide: (requestId: string, action: 'approve' | 'more-info' | 'refuse', reason?: string) =>
    request<{ case: VerificationCase }>(
      `/api/admin/verifications/${id(requestId)}/${action}`,
      post(reason ? { reason } : {}),
    ),
  suspension: (userId: string, action: 'suspend' | 'reinstate', reason?: string) =>
    request<{ case: VerificationCase }>(
      `/api/admin/artists/${id(userId)}/${action}`,
      post(reason ? { reason } : {}),
    ),
  matches: (status: StemMatchView['status'] | 'all', signal?: AbortSignal) =>
    request<{ matches: StemMatchView[] }>(`/api/admin/matches?status=${status}`, undefined, signal),
  decideMatch: (m: StemMatchView, action: 'clear' | 'refuse', reason?: string) =>
    request<{ match: StemMatchView }>(
      `/api/admin/matches/${id(m.stem.id)}/${id(m.matched.id)}/${action}`,
      post(reason ? { reason } : {}),
    ),
  audit: (signal?: AbortSignal) =>
    request<{ entries: ConsentLogEntry[] }>('/api/admin/audit', undefined, signal),
}
