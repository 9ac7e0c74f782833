// The page of `npm run bench:transcribe`: basic-pitch on the synthetic 43-note melody, per backend.
import { TEST_MELODY_TEMPO, testMelody } from '../../core/music/testing/melody.ts'
import { cleanNotes, recoveredShare } from '../../core/music/notes.ts'
import type { Backend } from '../../web/transcribe/protocol.ts'
import {
  disposeTranscriber,
  modelAudioFrom,
  transcribeAudio,
} from '../../web/transcribe/transcriber.ts'
import { melodyAudio, TEST_ASSETS } from '../render/melody-audio.ts'

export type TranscribeBench = {
  backend: Backend
  threads: number
  isolated: boolean
  seconds: number
  loadSeconds: number
  inferSeconds: number
  recovered: number
  raw: number
  kept: number
}

async function runBench(
  backend: Backend,
  seconds: number,
  threads?: number,
): Promise<TranscribeBench> {
  const melody = testMelody(TEST_MELODY_TEMPO, 0.5).filter((n) => n.time + n.duration < seconds)
  const audio = await modelAudioFrom(melodyAudio(melody, seconds))
  disposeTranscriber() // a fresh worker per backend: tfjs keeps one backend per thread
  const done = await transcribeAudio(audio, { backend, assets: TEST_ASSETS, threads })
  const kept = cleanNotes(done.notes)
  return {
    backend,
    threads: done.threads,
    isolated: done.isolated,
    seconds,
    loadSeconds: done.loadSeconds,
    inferSeconds: done.inferSeconds,
    recovered: recoveredShare(melody, kept),
    raw: done.notes.length,
    kept: kept.length,
  }
}

Object.assign(window, { runBench })
