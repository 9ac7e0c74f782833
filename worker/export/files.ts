// The files of an export that carry the mix, each fed the marked blocks as they come and streamed
// into its R2 upload: the MP3s (LAME at their bit rates), the WAVs (16-bit dithered, 24-bit) and
// the FLAC (24-bit), each tagged with the manifest's title, credits, licence and AI disclosure.
import { MP3_KBPS, type ExportFormat } from '../../core/api/formats.ts'
import { writeId3 } from '../../core/audio/id3.ts'
import { FlacEncoder } from '../../core/audio/flac-encode.ts'
import {
  infoChunk,
  wavHeader,
  wavSamples,
  wavTrailer,
  type WavEncoding,
} from '../../core/audio/wav.ts'
import { coverFrames, type EmbeddedCover } from '../../core/artwork/cover.ts'
import type { ExportManifest, ManifestOutput } from '../../core/provenance/manifest.ts'
import { id3FramesFrom, infoFieldsFrom, vorbisCommentsFrom } from '../../core/provenance/tags.ts'
import type { Hertz } from '../../core/units.ts'
import { createMp3Encoder } from '../audio/mp3-encoder.ts'
import type { UploadSlots } from '../storage/multipart.ts'
import { OutputFile } from './outputs.ts'

/** A file of the mix: `write` gets the marked block and its dithered copy (for 16-bit PCM). */
export type MixFile = {
  write(marked: readonly Float32Array[], dithered: readonly Float32Array[]): Promise<void>
  close(): Promise<ManifestOutput>
  abort(): Promise<void>
}

/** What every file of an export is made from. */
export type MixFileContext = {
  bucket: R2Bucket
  exportId: string
  manifest: ExportManifest
  cover: EmbeddedCover | null
  sampleRate: Hertz
  frames: number
  blockFrames: number
  /** The parts the job may stream at once, shared by all its files. */
  slots: UploadSlots
}

const WAV_ENCODING: Partial<Record<ExportFormat, WavEncoding>> = {
  'wav-16': 'pcm16',
  'wav-24': 'pcm24',
}

/** Bit depth of the FLAC: lossless against the 24-bit WAV. */
export const FLAC_BITS = 24

/** Opens the file of one format of the mix (not the stems zip, which is not the mix). */
export async function openMixFile(ctx: MixFileContext, format: ExportFormat): Promise<MixFile> {
  const kbps = MP3_KBPS[format]
  if (kbps) return openMp3(ctx, format, kbps)
  const encoding = WAV_ENCODING[format]
  if (encoding) return openWav(ctx, format, encoding)
  if (format === 'flac') return openFlac(ctx)
  throw new Error(`${format} is not a file of the mix`)
}

/**
 * The fewest bytes a constant-bit-rate MP3 of `frames` takes, tag aside: every MPEG-1 frame (1152
 * samples at 32, 44.1 or 48 kHz) is ⌊144 × bit rate / rate⌋ bytes, one more when padded, and the
 * frames cover the audio. 0 at the MPEG-2 rates, where LAME lowers bit rates above 160 kbit/s.
 */
export function mp3BytesAtLeast(frames: number, sampleRate: Hertz, kbps: number): number {
  if (sampleRate < 32000) return 0
  return Math.ceil(frames / 1152) * Math.floor((144 * kbps * 1000) / sampleRate)
}

async function openMp3(ctx: MixFileContext, format: ExportFormat, kbps: number): Promise<MixFile> {
  const encoder = await createMp3Encoder({ sampleRate: ctx.sampleRate, channels: 2, kbps })
  const tag = writeId3([...id3FramesFrom(ctx.manifest, kbps), ...coverFrames(ctx.cover)])
  const atLeast = tag.length + mp3BytesAtLeast(ctx.frames, ctx.sampleRate, kbps)
  const file = await OutputFile.open(ctx.bucket, ctx.exportId, format, { atLeast }, ctx.slots)
  try {
    await file.write(tag)
  } catch (err) {
    await file.abort()
    throw err
  }
  return {
    write: (marked) => file.write(encoder.encode(marked as Float32Array[])),
    close: async () => {
      await file.write(encoder.finish())
      return file.close()
    },
    abort: () => file.abort(),
  }
}

async function openWav(
  ctx: MixFileContext,
  format: ExportFormat,
  encoding: WavEncoding,
): Promise<MixFile> {
  const tag = writeId3([
    ...id3FramesFrom(ctx.manifest, 0).filter(notEncoder),
    ...coverFrames(ctx.cover),
  ])
  const chunks = [infoChunk(infoFieldsFrom(ctx.manifest)), { id: 'id3 ', data: tag }]
  const width = encoding === 'pcm16' ? 2 : 3
  const pcm = new Uint8Array(ctx.blockFrames * 2 * width)
  const header = wavHeader(ctx.frames, 2, ctx.sampleRate, encoding, chunks)
  const trailer = wavTrailer(ctx.frames * 2 * width, chunks)
  const exact = header.length + ctx.frames * 2 * width + trailer.length
  const file = await OutputFile.open(ctx.bucket, ctx.exportId, format, { exact }, ctx.slots)
  const dither = encoding === 'pcm16'
  try {
    await file.write(header)
  } catch (err) {
    await file.abort()
    throw err
  }
  return {
    write: (marked, dithered) => {
      const block = dither ? dithered : marked
      const n = block[0]!.length
      return file.write(pcm.subarray(0, wavSamples(block, 0, n, encoding, pcm)))
    },
    close: async () => {
      await file.write(trailer)
      return file.close()
    },
    abort: () => file.abort(),
  }
}

/** The ID3 frames of a file that is not an MP3: no LAME bit rate. */
const notEncoder = (frame: { kind: string; id?: string }) =>
  !(frame.kind === 'text' && frame.id === 'TSSE')

async function openFlac(ctx: MixFileContext): Promise<MixFile> {
  const encoder = new FlacEncoder({
    sampleRate: ctx.sampleRate,
    channels: 2,
    bitDepth: FLAC_BITS,
    totalFrames: ctx.frames,
  })
  // A FLAC's size is known only once written: its parts are held until full.
  const file = await OutputFile.open(ctx.bucket, ctx.exportId, 'flac', {}, ctx.slots)
  try {
    await file.write(
      encoder.header({ comments: vorbisCommentsFrom(ctx.manifest), picture: ctx.cover }),
    )
  } catch (err) {
    await file.abort()
    throw err
  }
  return {
    write: (marked) => file.write(encoder.encode(marked, marked[0]!.length)),
    close: async () => {
      await file.write(encoder.finish())
      return file.close()
    },
    abort: () => file.abort(),
  }
}
