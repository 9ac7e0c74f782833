// Notes for a stem the artist uploaded: transcribed in this browser while the wizard shows the
// stem (a Worker has too little memory for basic-pitch), then sent to the worker, which checks
// them against the stem's own audio before it stores them (PUT /api/stems/:id/notes).
import { notesFileFrom, type StemNotesFile } from '../../core/api/notes.ts'
import type { NormalRange } from '../../core/units.ts'
import { request } from '../request.ts'
import { THRESHOLDS } from './protocol.ts'
import { modelAudioFrom, transcribeAudio } from './transcriber.ts'

/** What the worker answers once it stored (or already had) the notes. */
export type SentNotes = { notes: { count: number; fits: number; stored: boolean } }

/** The rendition decoded, basic-pitch run on it here, its notes in their stored form. */
export async function transcribeRendition(
  audioUrl: string,
  onProgress?: (fraction: NormalRange) => void,
): Promise<StemNotesFile> {
  const res = await fetch(audioUrl, { credentials: 'same-origin' })
  if (!res.ok) throw new Error(`The stem's audio could not be loaded (${res.status}).`)
  const buffer = await new OfflineAudioContext(1, 1, 44_100).decodeAudioData(
    await res.arrayBuffer(),
  )
  const done = await transcribeAudio(await modelAudioFrom(buffer), { onProgress })
  return notesFileFrom(done.notes, THRESHOLDS, buffer.duration)
}

/** Sends a stem's notes to the worker to check and store. */
export const sendNotes = (stemId: string, file: StemNotesFile) =>
  request<SentNotes>(`/api/stems/${encodeURIComponent(stemId)}/notes`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(file),
  })
