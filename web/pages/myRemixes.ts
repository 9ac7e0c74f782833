import type { MyRemixView } from '../../core/api/remixes.ts'

/** Where a remix stands, in the words of its owner's list. */
export type RemixState =
  'draft' | 'exporting' | 'export-failed' | 'exported' | 'pending' | 'published' | 'taken-down'

/** Pure: a remix of "My remixes" to its state, a label and what the fan should know. */
export function remixStateOf(r: MyRemixView): {
  state: RemixState
  label: string
  detail: string | null
} {
  const latest = r.latestExport
  const reason = r.moderation?.reason ? `: ${r.moderation.reason}` : ''
  if (r.status === 'taken_down')
    return { state: 'taken-down', label: 'Taken down', detail: `The artist took it down${reason}` }
  // The artist decides on each export: the latest one's decision is what the fan needs to know.
  if (latest?.approval === 'rejected')
    return {
      state: r.status === 'published' ? 'published' : 'draft',
      label: 'Not approved',
      detail:
        `The artist did not approve it${latest.approvalReason ? `: ${latest.approvalReason}` : ''}` +
        (r.status === 'published' ? '. An earlier approved export stays public.' : ''),
    }
  if (r.status !== 'published' && r.moderation?.action === 'reject')
    return {
      state: 'draft',
      label: 'Not approved',
      detail: `The artist did not approve it${reason}`,
    }
  if (r.status === 'published' && latest?.approval === 'pending' && latest.status === 'ready')
    return {
      state: 'pending',
      label: 'Waiting for approval',
      detail: 'Your latest export waits for the artist; the approved one stays public meanwhile.',
    }
  if (r.status === 'published') return { state: 'published', label: 'Published', detail: null }
  if (r.status === 'submitted')
    return {
      state: 'pending',
      label: 'Waiting for approval',
      detail: 'The artist approves remixes of this campaign before they are shared.',
    }
  if (latest?.status === 'queued' || latest?.status === 'processing')
    return { state: 'exporting', label: 'Exporting', detail: null }
  if (latest?.status === 'rejected')
    return {
      state: 'export-failed',
      label: 'Export failed',
      detail: latest.reason ?? 'The last export failed.',
    }
  if (r.exports > 0) return { state: 'exported', label: 'Exported', detail: null }
  return { state: 'draft', label: 'Draft', detail: null }
}
