// Steps 2–4 of an export, streamed block by block: render the recipe from the stems (core
// render), mark each block with the export's watermark, and encode it into the WAV and the MP3
// as it comes. Memory is a few blocks, the stems' decode windows and the embedder's state.
import { writeId3 } from '../../core/audio/id3.ts'
import { infoChunk, wavHeader, wavSamples, wavTrailer } from '../../core/audio/wav.ts'
import { coverFrames } from '../../core/artwork/cover.ts'
import type { ExportFormat, ManifestOutput } from '../../core/provenance/manifest.ts'
import { id3FramesFrom, infoFieldsFrom } from '../../core/provenance/tags.ts'
import type { Bindings } from '../env.ts'
import { RecipeRenderer } from '../../core/render/index.ts'
import { StreamingEmbedder } from '../../core/watermark/stream.ts'
import { createMp3Encoder } from '../audio/mp3-encoder.ts'
import type { ExportJob } from './load.ts'
import { OutputFile } from './outputs.ts'
import { openSources } from './sources.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'

/** Constant bit rate of the MP3. */
export const MP3_KBPS = 192

/** Frames rendered, marked and encoded at a time. */
export const BLOCK_FRAMES = 4096

/** Blocks between two yields to the event loop (the isolate may share the consumer with fetches). */
const YIELD_EVERY = 16

/** The watermark payload of an export: its 64-bit id. */
export const payloadOf = (exportId: string) => BigInt(`0x${exportId}`)

/**
 * Renders, marks and encodes an export into its two files in R2; answers where they are and their
 * hashes. `onProgress` hears the fraction rendered. On any failure both uploads are aborted.
 */
export async function renderMarkEncode(
  env: Bindings,
  job: ExportJob,
  coverPng: Uint8Array | null,
  onProgress: (fraction: number) => Promise<void>,
): Promise<Record<ExportFormat, ManifestOutput>> {
  const { row, recipe, sampleRate, manifest } = job
  const used = new Set(recipe.tracks.map((t) => t.stem))
  const sources = await openSources(env.MEDIA, job.stems, used, sampleRate)
  const renderer = new RecipeRenderer(recipe, sources, { sampleRate, blockFrames: BLOCK_FRAMES })
  // A manifest that says the files carry no watermark (core/campaign/markability.ts) means none.
  const embedder = manifest.watermark
    ? null
    : new StreamingEmbedder({
        sampleRate,
        channels: 2,
        key: env.WATERMARK_KEY,
        payload: payloadOf(row.id),
      })
  const encoder = await createMp3Encoder({ sampleRate, channels: 2, kbps: MP3_KBPS })
  const tag = writeId3([...id3FramesFrom(manifest, MP3_KBPS), ...coverFrames(coverPng)])
  const chunks = [infoChunk(infoFieldsFrom(manifest)), { id: 'id3 ', data: tag }]
  const frames = renderer.frames
  const files: OutputFile[] = []
  try {
    const wav = await OutputFile.open(env.MEDIA, row.id, 'wav')
    files.push(wav)
    const mp3 = await OutputFile.open(env.MEDIA, row.id, 'mp3')
    files.push(mp3)
    await wav.write(wavHeader(frames, 2, sampleRate, 'pcm16', chunks))
    await mp3.write(tag)

    const rendered = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)] as [
      Float32Array,
      Float32Array,
    ]
    const marked = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)]
    const pcm = new Uint8Array(BLOCK_FRAMES * 4)
    const latency = embedder?.latency ?? 0
    let fed = 0 // frames into the embedder (the render, then silence to flush its delay)
    let written = 0 // frames of the file written
    let blocks = 0
    let reported = 0
    while (written < frames) {
      let n = await renderer.next(rendered)
      if (n === 0) {
        n = BLOCK_FRAMES
        rendered[0].fill(0)
        rendered[1].fill(0)
      }
      if (embedder)
        embedder.process(
          [rendered[0].subarray(0, n), rendered[1].subarray(0, n)],
          [marked[0]!.subarray(0, n), marked[1]!.subarray(0, n)],
        )
      else for (let ch = 0; ch < 2; ch++) marked[ch]!.set(rendered[ch]!.subarray(0, n))
      // marked[i] is file frame fed - latency + i: skip the embedder's leading delay.
      const first = fed - latency
      fed += n
      const from = Math.max(0, -first)
      const count = Math.min(n, frames - first) - from
      if (count > 0) {
        const block = [
          marked[0]!.subarray(from, from + count),
          marked[1]!.subarray(from, from + count),
        ]
        await wav.write(pcm.subarray(0, wavSamples(block, 0, count, 'pcm16', pcm)))
        await mp3.write(encoder.encode(block))
        written += count
      }
      if (++blocks % YIELD_EVERY === 0) await yieldToEventLoop()
      if (written - reported >= frames / 20) {
        reported = written
        await onProgress(written / frames)
      }
    }
    await wav.write(wavTrailer(frames * 4, chunks))
    await mp3.write(encoder.finish())
    return { wav: await wav.close(), mp3: await mp3.close() }
  } catch (err) {
    for (const file of files) await file.abort()
    throw err
  } finally {
    for (const source of sources.values()) source.close()
  }
}
