import { useEffect, useState } from 'react'
import type { AuthorCampaign, AuthorStem } from '../../../core/api/authoring.ts'
import { mayTranscribe, transcribable } from '../../../core/licence/transcribe.ts'
import { ApiError } from '../../request.ts'
import { storedNotes } from '../../transcribe/stored.ts'
import { sendNotes, transcribeRendition } from '../../transcribe/upload.ts'

type NotesState =
  | { kind: 'checking' }
  | { kind: 'transcribing'; fraction: number }
  | { kind: 'stored'; count: number }
  | { kind: 'failed'; message: string }

/** One run per stem per page, whatever re-renders the wizard's polling causes. */
const runs = new Map<string, Promise<NotesState>>()
/** Where a run's progress goes: the row that shows the stem now. */
const shown = new Map<string, (state: NotesState) => void>()

async function notesFor(stem: AuthorStem): Promise<NotesState> {
  const onProgress = (fraction: number) => shown.get(stem.id)?.({ kind: 'transcribing', fraction })
  try {
    const stored = await storedNotes(stem.id)
    if (stored) return { kind: 'stored', count: stored.notes.length }
    const file = await transcribeRendition(stem.audioUrl!, onProgress)
    const sent = await sendNotes(stem.id, file)
    return { kind: 'stored', count: sent.notes.count }
  } catch (err) {
    runs.delete(stem.id) // the next visit tries again
    const message = err instanceof ApiError || err instanceof Error ? err.message : String(err)
    return { kind: 'failed', message }
  }
}

/** Whether the assistant may derive parts from this stem once the campaign opens. */
function wanted(campaign: AuthorCampaign, stem: AuthorStem): boolean {
  if (stem.status !== 'ready' || !stem.audioUrl || !campaign.licence || !transcribable(stem))
    return false
  const now = new Date().toISOString()
  const at = campaign.opensAt && campaign.opensAt > now ? campaign.opensAt : now
  return mayTranscribe(campaign.licence, campaign, stem.id, at)
}

/**
 * A ready melodic stem's notes, made in this browser while the wizard shows it, so that fans'
 * generated parts appear at once in the studio; the worker checks them against the stem's audio.
 */
export function StemNotes({ campaign, stem }: { campaign: AuthorCampaign; stem: AuthorStem }) {
  const want = wanted(campaign, stem)
  const [state, setState] = useState<NotesState>({ kind: 'checking' })
  useEffect(() => {
    if (!want) return
    let live = true
    shown.set(stem.id, setState)
    let run = runs.get(stem.id)
    if (!run) runs.set(stem.id, (run = notesFor(stem)))
    void run.then((s) => live && setState(s))
    return () => {
      live = false
      if (shown.get(stem.id) === setState) shown.delete(stem.id)
    }
  }, [want, stem])
  if (!want) return null
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated
  return (
    <p className="muted small" data-testid="stem-notes" data-state={state.kind}>
      {state.kind === 'checking' && 'Notes: looking for them…'}
      {state.kind === 'transcribing' &&
        `Notes: transcribing in this browser, ${Math.round(state.fraction * 100)} %${isolated ? '' : ' (one thread: this page is not cross-origin isolated, so it is slower)'}…`}
      {state.kind === 'stored' &&
        `Notes: ${state.count} stored, so fans' generated parts from this stem appear at once.`}
      {state.kind === 'failed' && `Notes could not be made: ${state.message}`}
    </p>
  )
}
