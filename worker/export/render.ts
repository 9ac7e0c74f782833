// Steps 2–4 of an export, streamed block by block: render the recipe from the stems (core
// render), mark each block with the export's watermark, and encode it into every chosen file as
// it comes (worker/export/files.ts), each stem's contribution into the stems zip when chosen.
// One render pass however many files. Memory is a few blocks, the stems' decode windows, the
// embedder's state and, per file being written (per stem too, for the zip), a 64 KiB chunk of the
// R2 part streaming or, for a part whose length is not known before it ends (the FLAC's, an
// MP3's last, those beyond the streamed parts a job may hold open), the part so far.
import { FORMAT_INFO, type ExportFormat, type OutputFormat } from '../../core/api/formats.ts'
import { TpdfDither } from '../../core/audio/dither.ts'
import { embeddedCoverFrom } from '../../core/artwork/cover.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import type { ManifestOutput } from '../../core/provenance/manifest.ts'
import type { Bindings } from '../env.ts'
import { RecipeRenderer } from '../../core/render/index.ts'
import { StreamingEmbedder } from '../../core/watermark/stream.ts'
import '../dsp.ts' // the embedder resamples in the DSP kernels
import type { ExportJob } from './load.ts'
import { openMixFile, type MixFile, type MixFileContext } from './files.ts'
import { StemsZip } from './stems-zip.ts'
import { openSources } from './sources.ts'
import { yieldToEventLoop } from '../lib/yield-to-event-loop.ts'
import { exportKey } from '../storage/keys.ts'
import { UploadSlots } from '../storage/multipart.ts'

/** Frames rendered, marked and encoded at a time. */
export const BLOCK_FRAMES = 4096

/** Blocks between two yields to the event loop (the isolate may share the consumer with fetches). */
const YIELD_EVERY = 16

/** The watermark payload of an export: its 64-bit id. */
export const payloadOf = (exportId: string) => BigInt(`0x${exportId}`)

/** The seed of an export's 16-bit dither: from its id, so a retry writes the same bytes. */
export const ditherSeedOf = (exportId: string) => Number(payloadOf(exportId) & 0xffffffffn)

/** What the pass made: each file by format, and how long the export lasts. */
export type Rendered = { outputs: Partial<Record<OutputFormat, ManifestOutput>>; seconds: number }

/**
 * Renders, marks and encodes an export into each of `formats` in R2 (and stores its cover PNG);
 * answers where they are and their hashes. `onProgress` hears the fraction rendered. On any
 * failure every upload is aborted.
 */
export async function renderMarkEncode(
  env: Bindings,
  job: ExportJob,
  formats: readonly ExportFormat[],
  coverPng: Uint8Array | null,
  onProgress: (fraction: number) => Promise<void>,
): Promise<Rendered> {
  const { row, recipe, sampleRate, manifest } = job
  const used = new Set(recipe.tracks.map((t) => t.stem))
  const sources = await openSources(env.MEDIA, job.stems, used, sampleRate)
  const zipped = formats.includes('stems-zip')
  const renderer = new RecipeRenderer(recipe, sources, {
    sampleRate,
    blockFrames: BLOCK_FRAMES,
    stems: zipped,
  })
  // A manifest that says the files carry no watermark (core/campaign/markability.ts) means none.
  const embedder = manifest.watermark
    ? null
    : new StreamingEmbedder({
        sampleRate,
        channels: 2,
        key: env.WATERMARK_KEY,
        payload: payloadOf(row.id),
      })
  const dither = formats.includes('wav-16') ? new TpdfDither(ditherSeedOf(row.id)) : null
  const frames = renderer.frames
  const ctx: MixFileContext = {
    bucket: env.MEDIA,
    exportId: row.id,
    manifest,
    cover: coverPng ? embeddedCoverFrom(coverPng) : null,
    sampleRate,
    frames,
    blockFrames: BLOCK_FRAMES,
    slots: new UploadSlots(),
  }
  const files: [ExportFormat, MixFile][] = []
  let zip: StemsZip | null = null
  try {
    for (const format of formats)
      if (format !== 'stems-zip') files.push([format, await openMixFile(ctx, format)])
    if (zipped) {
      const names = new Map(job.stems.map((s) => [s.id, s.name]))
      zip = await StemsZip.open(
        ctx,
        renderer.stemIds.map((id) => names.get(id) ?? id),
      )
    }
    await passThrough(renderer, embedder, dither, files, zip, frames, onProgress)
    const outputs: Rendered['outputs'] = {}
    for (const [format, file] of files) outputs[format] = await file.close()
    if (zip) outputs['stems-zip'] = await zip.close()
    if (coverPng) outputs['cover-png'] = await storeCoverPng(env, row.id, coverPng)
    return { outputs, seconds: frames / sampleRate }
  } catch (err) {
    for (const [, file] of files) await file.abort()
    await zip?.abort()
    throw err
  } finally {
    for (const source of sources.values()) source.close()
  }
}

/** The one render pass: each block rendered, marked, dithered, and written to every file. */
async function passThrough(
  renderer: RecipeRenderer,
  embedder: StreamingEmbedder | null,
  dither: TpdfDither | null,
  files: readonly [ExportFormat, MixFile][],
  zip: StemsZip | null,
  frames: number,
  onProgress: (fraction: number) => Promise<void>,
): Promise<void> {
  const block = () => [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)] as const
  const rendered = block() as unknown as [Float32Array, Float32Array]
  const marked = block()
  const dithered = block()
  const stems = renderer.stemIds.map(block)
  const latency = embedder?.latency ?? 0
  let fed = 0 // frames into the embedder (the render, then silence to flush its delay)
  let written = 0 // frames of the file written
  let stemsWritten = 0
  let blocks = 0
  let reported = 0
  while (written < frames) {
    const before = renderer.rendered
    let n = await renderer.next(rendered, stems)
    // the stems are not marked, so they are written as rendered, without the embedder's delay
    if (zip && n > 0) {
      await zip.write(stems, n)
      stemsWritten = before + n
    }
    if (n === 0) {
      n = BLOCK_FRAMES
      rendered[0].fill(0)
      rendered[1].fill(0)
    }
    if (embedder)
      embedder.process(
        [rendered[0].subarray(0, n), rendered[1].subarray(0, n)],
        [marked[0].subarray(0, n), marked[1].subarray(0, n)],
      )
    else for (let ch = 0; ch < 2; ch++) marked[ch]!.set(rendered[ch]!.subarray(0, n))
    // marked[i] is file frame fed - latency + i: skip the embedder's leading delay.
    const first = fed - latency
    fed += n
    const from = Math.max(0, -first)
    const count = Math.min(n, frames - first) - from
    if (count > 0) {
      const out = [marked[0].subarray(from, from + count), marked[1].subarray(from, from + count)]
      const noisy = dither ? [dithered[0].subarray(0, count), dithered[1].subarray(0, count)] : out
      dither?.process(out, noisy, count)
      for (const [, file] of files) await file.write(out, noisy)
      written += count
    }
    if (++blocks % YIELD_EVERY === 0) await yieldToEventLoop()
    if (written - reported >= frames / 20) {
      reported = written
      await onProgress(written / frames)
    }
  }
  if (zip && stemsWritten !== frames) throw new Error('the stems ended before the mix')
}

/** The 3000×3000 artwork as its own download, beside the audio. */
async function storeCoverPng(env: Bindings, exportId: string, png: Uint8Array) {
  const key = exportKey(exportId, 'cover-png')
  await env.MEDIA.put(key, png, {
    httpMetadata: { contentType: FORMAT_INFO['cover-png'].contentType },
    customMetadata: { exportId },
  })
  return { key, sha256: await sha256Hex(png), bytes: png.length }
}
