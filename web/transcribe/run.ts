// basic-pitch's model run, shared by the browser's Web Worker and Node (stems/make-notes.ts):
// mono 22 050 Hz audio in, raw notes out (not yet cleaned). No DOM, no fs: the caller loads.
import { BasicPitch, noteFramesToTime, outputToNotesPoly } from '@spotify/basic-pitch'
import * as tf from '@tensorflow/tfjs'
import { notesFromBasicPitch, type NoteEvent } from '../../core/music/notes.ts'
import type { Thresholds } from './protocol.ts'

/** basic-pitch over a model already in memory: model.json's content and its one weights shard. */
export function modelFromBytes(json: ModelJson, weights: Uint8Array): BasicPitch {
  const weightData = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer
  const model = tf.loadGraphModel({
    load: () =>
      Promise.resolve({
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData,
      }),
  })
  return new BasicPitch(model)
}

/** The parts of basic-pitch's model.json that `modelFromBytes` reads. */
export type ModelJson = {
  modelTopology: object
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  userDefinedMetadata?: Record<string, object>
  weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]
}

/** Runs the model on mono audio at 22 050 Hz; raw notes sorted by onset, then pitch. */
export async function runBasicPitch(
  model: BasicPitch,
  audio: Float32Array,
  thresholds: Thresholds,
  onProgress: (fraction: number) => void = () => {},
): Promise<NoteEvent[]> {
  await model.model
  const frames: number[][] = []
  const onsets: number[][] = []
  await model.evaluateModel(
    audio,
    (f, o) => {
      frames.push(...f)
      onsets.push(...o)
    },
    onProgress,
  )
  const { onset, frame, minFrames } = thresholds
  const events = noteFramesToTime(outputToNotesPoly(frames, onsets, onset, frame, minFrames))
  return notesFromBasicPitch(events).sort((a, b) => a.time - b.time || a.midi - b.midi)
}
