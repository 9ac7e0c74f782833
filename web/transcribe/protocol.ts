import type { NoteEvent } from '../../core/music/notes.ts'

/** The TensorFlow.js backends basic-pitch can run on here; `wasm` is the fastest (bench:transcribe). */
export type Backend = 'wasm' | 'cpu' | 'webgl'

/** basic-pitch's note thresholds (outputToNotesPoly): onset and frame probability, frames per note. */
export type Thresholds = { onset: number; frame: number; minFrames: number }

/** Measured on the 43-note test melody: no misses, fewest ghosts (test/render/transcribe.test.ts). */
export const THRESHOLDS: Thresholds = { onset: 0.5, frame: 0.3, minFrames: 11 }

/** Where the model and the WebAssembly are served (the Vite plugin in ./assets.ts puts them there). */
export const ASSETS = { model: '/transcribe/model/model.json', wasm: '/transcribe/wasm/' }

/** Asks the worker to transcribe mono audio at 22 050 Hz. */
export type TranscribeRequest = {
  type: 'transcribe'
  id: number
  audio: Float32Array
  backend: Backend
  model: string
  wasm: string
  thresholds: Thresholds
  /** WASM threads to ask for; used only where the page is cross-origin isolated. */
  threads?: number
}

/** What the worker answers: progress 0..1, then the raw notes with timings, or an error. */
export type TranscribeReply =
  | { type: 'progress'; id: number; fraction: number }
  | {
      type: 'done'
      id: number
      notes: NoteEvent[]
      backend: Backend
      /** WASM threads it ran on (1 without cross-origin isolation); 0 on other backends. */
      threads: number
      /** Whether the Web Worker itself was cross-origin isolated (threads need it). */
      isolated: boolean
      loadSeconds: number
      inferSeconds: number
    }
  | { type: 'error'; id: number; message: string }

/** basic-pitch's sample rate. */
export const MODEL_RATE = 22_050
