/**
 * make-notes.ts: transcribes the demo's melodic stems once, ahead of time, so that no fan waits
 * for basic-pitch in the studio. The same model, thresholds and cleaning as the studio's
 * in-browser fallback (web/transcribe/), run here in Node on TensorFlow.js's WASM backend.
 *
 *   node stems/make-notes.ts        (after make-stems.ts; output is committed)
 *
 * Outputs stems/notes/<id>.json (core/api/notes.ts's StemNotesFile) for every stem that has notes
 * to transcribe and is not the voice: the licence never lets the assistant derive from the voice.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { MPEGDecoder } from 'mpg123-decoder'
import { StemNotesFile, notesFileFrom } from '../core/api/notes.ts'
import { CampaignManifestSchema } from '../core/campaign/manifest.ts'
import { transcribable } from '../core/licence/transcribe.ts'
import { resampleInto, resampledLength } from '../core/lib/dsp/resample.ts'
import { MODEL_RATE, THRESHOLDS } from '../web/transcribe/protocol.ts'
import { modelFromBytes, runBasicPitch, type ModelJson } from '../web/transcribe/run.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const modelDir = join(here, '../node_modules/@spotify/basic-pitch/model/')

/** A decoded MP3 as mono at basic-pitch's rate. */
async function modelAudio(file: string): Promise<{ audio: Float32Array; seconds: number }> {
  const decoder = new MPEGDecoder()
  await decoder.ready
  try {
    const { channelData, samplesDecoded, sampleRate } = decoder.decode(readFileSync(file))
    const mono = new Float32Array(samplesDecoded)
    for (const ch of channelData)
      for (let i = 0; i < samplesDecoded; i++) mono[i]! += ch[i]! / channelData.length
    const out = new Float32Array(resampledLength(samplesDecoded, sampleRate, MODEL_RATE))
    resampleInto(mono, sampleRate, MODEL_RATE, 10_000, 1_000, out)
    return { audio: out, seconds: samplesDecoded / sampleRate }
  } finally {
    decoder.free()
  }
}

async function main() {
  const manifest = CampaignManifestSchema.parse(
    JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')),
  )
  if (!(await tf.setBackend('wasm'))) throw new Error('no TensorFlow.js WASM backend')
  await tf.ready()
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as ModelJson
  const model = modelFromBytes(json, readFileSync(join(modelDir, 'group1-shard1of1.bin')))
  for (const stem of manifest.stems.filter(transcribable)) {
    const { audio, seconds } = await modelAudio(join(here, stem.file))
    const t0 = performance.now()
    const raw = await runBasicPitch(model, audio, THRESHOLDS)
    const file = StemNotesFile.parse(notesFileFrom(raw, THRESHOLDS, seconds))
    writeFileSync(join(here, 'notes', `${stem.id}.json`), JSON.stringify(file) + '\n')
    const took = (performance.now() - t0) / 1000
    console.log(
      `${stem.id}: ${file.notes.length} notes (${file.rawCount} raw) from ${seconds.toFixed(1)} s in ${took.toFixed(1)} s`,
    )
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
