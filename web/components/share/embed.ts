import type { ShareView } from '../../../core/api/exports.ts'

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The iframe a site pastes to embed a remix's player. */
export function embedCodeOf(origin: string, share: Pick<ShareView, 'exportId' | 'title' | 'fan'>) {
  const title = escape(`${share.title}, a remix by ${share.fan} on Stemfair`)
  return `<iframe src="${origin}/embed/${share.exportId}" title="${title}" width="480" height="152" style="border:0;border-radius:8px" loading="lazy" allow="autoplay"></iframe>`
}
