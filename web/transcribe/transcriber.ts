import { chordsFrom, keyFrom, type BarChord, type MusicalKey } from '../../core/music/harmony.ts'
import type { StemNotesFile } from '../../core/api/notes.ts'
import { cleanNotes, type NoteEvent } from '../../core/music/notes.ts'
import type { NormalRange, Seconds } from '../../core/units.ts'
import {
  ASSETS,
  MODEL_RATE,
  THRESHOLDS,
  type Backend,
  type Thresholds,
  type TranscribeReply,
} from './protocol.ts'

/** How to transcribe: backend, thresholds, asset URLs, the bar grid for chords, progress. */
export type TranscribeOptions = {
  backend?: Backend
  thresholds?: Thresholds
  assets?: { model: string; wasm: string }
  grid?: { tempo: number; beatsPerBar: number; offset: Seconds }
  /** WASM threads, where the page is cross-origin isolated (bench:transcribe compares counts). */
  threads?: number
  onProgress?: (fraction: NormalRange) => void
}

/** A stem's transcription: cleaned notes, the raw count, key, chords per bar, and timings. */
export type Transcription = {
  notes: NoteEvent[]
  rawCount: number
  key: MusicalKey
  chords: BarChord[]
  /** Where it ran: a TensorFlow.js backend in this browser, or `stored` (made ahead of time). */
  backend: Backend | 'stored'
  thresholds: Thresholds
  seconds: { audio: Seconds; load: Seconds; infer: Seconds }
}

let worker: Worker | undefined
let nextId = 1

function workerOf(): Worker {
  worker ??= new Worker(new URL('./transcribe.worker.ts', import.meta.url), { type: 'module' })
  return worker
}

/** Mono audio at basic-pitch's 22 050 Hz, mixed down and resampled by an OfflineAudioContext. */
export async function modelAudioFrom(buffer: AudioBuffer): Promise<Float32Array> {
  const length = Math.ceil((buffer.duration * MODEL_RATE) / 1)
  const context = new OfflineAudioContext(1, length, MODEL_RATE)
  const source = new AudioBufferSourceNode(context, { buffer })
  source.connect(context.destination)
  source.start()
  return (await context.startRendering()).getChannelData(0)
}

/** Runs basic-pitch on mono 22 050 Hz audio in the worker; resolves with its raw notes. */
export function transcribeAudio(
  audio: Float32Array,
  options: TranscribeOptions = {},
): Promise<Extract<TranscribeReply, { type: 'done' }>> {
  const id = nextId++
  const w = workerOf()
  const assets = options.assets ?? ASSETS
  return new Promise((resolve, reject) => {
    const listen = (event: MessageEvent<TranscribeReply>) => {
      const reply = event.data
      if (reply.id !== id) return
      if (reply.type === 'progress') return options.onProgress?.(Math.min(0.99, reply.fraction))
      w.removeEventListener('message', listen)
      if (reply.type === 'error') reject(new Error(reply.message))
      else resolve(reply)
    }
    w.addEventListener('message', listen)
    w.postMessage({
      type: 'transcribe',
      id,
      audio,
      backend: options.backend ?? 'wasm',
      model: assets.model,
      wasm: assets.wasm,
      thresholds: options.thresholds ?? THRESHOLDS,
      threads: options.threads,
    })
  })
}

/** Key and chords of cleaned notes over `seconds` of audio on the campaign's bar grid. */
function harmonyOf(notes: NoteEvent[], seconds: Seconds, grid: TranscribeOptions['grid']) {
  const key = keyFrom(notes)
  const g = grid ?? { tempo: 120, beatsPerBar: 4, offset: 0 }
  const barSeconds = (g.beatsPerBar * 60) / g.tempo
  const bars = Math.max(1, Math.ceil((seconds - g.offset) / barSeconds))
  return { key, chords: chordsFrom(notes, key, { ...g, bars }) }
}

/** A decoded stem to notes, key and chords (harmonic ghosts filtered); progress 0..1. */
export async function transcribeBuffer(
  buffer: AudioBuffer,
  options: TranscribeOptions = {},
): Promise<Transcription> {
  const audio = await modelAudioFrom(buffer)
  const done = await transcribeAudio(audio, options)
  const notes = cleanNotes(done.notes)
  options.onProgress?.(1)
  return {
    notes,
    rawCount: done.notes.length,
    ...harmonyOf(notes, buffer.duration, options.grid),
    backend: done.backend,
    thresholds: options.thresholds ?? THRESHOLDS,
    seconds: { audio: buffer.duration, load: done.loadSeconds, infer: done.inferSeconds },
  }
}

/** Stored notes (already cleaned when they were made) as a transcription: no model, no wait. */
export function transcriptionFromStored(
  file: StemNotesFile,
  grid?: TranscribeOptions['grid'],
): Transcription {
  return {
    notes: file.notes,
    rawCount: file.rawCount,
    ...harmonyOf(file.notes, file.seconds, grid),
    backend: 'stored',
    thresholds: file.thresholds,
    seconds: { audio: file.seconds, load: 0, infer: 0 },
  }
}

/** Ends the worker (and the model it holds); the next transcription starts a new one. */
export function disposeTranscriber(): void {
  worker?.terminate()
  worker = undefined
}
