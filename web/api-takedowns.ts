import type { TakedownEvidence } from '../core/campaign/takedown-notice.ts'
import { audioType, request } from './request.ts'

/** A stored takedown notice, as `POST /api/takedowns` answers it. */
export type TakedownNotice = {
  id: string
  createdAt: string
  campaign: { slug: string; title: string }
  textUrl: string
  htmlUrl: string
  evidence?: TakedownEvidence
}

/** Sends the file again: the worker re-examines it and stores a notice for its rights holder. */
export async function requestTakedown(file: Blob): Promise<TakedownNotice> {
  const { notice } = await request<{ notice: TakedownNotice }>('/api/takedowns', {
    method: 'POST',
    headers: { 'Content-Type': audioType(file) },
    body: file,
  })
  return notice
}

/** The notices the signed-in rights holder has issued (an admin: every notice), newest first. */
export async function listTakedowns(signal?: AbortSignal): Promise<TakedownNotice[]> {
  const { notices } = await request<{ notices: TakedownNotice[] }>('/api/takedowns', {}, signal)
  return notices
}
