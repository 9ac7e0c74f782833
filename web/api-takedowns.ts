import type { TakedownEvidence } from '../core/campaign/takedown-notice.ts'

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
  const res = await fetch('/api/takedowns', {
    method: 'POST',
    headers: {
      'Content-Type': file.type.startsWith('audio/') ? file.type : 'application/octet-stream',
    },
    body: file,
  })
  const body = (await res.json().catch(() => null)) as
    { notice: TakedownNotice } | { error: { message: string } } | null
  if (res.status === 201 && body && 'notice' in body) return body.notice
  throw new Error(body && 'error' in body ? body.error.message : res.statusText)
}
