// The stems zip of an export: each stem's contribution as the fan's mix plays it (its tracks
// after their chains, gain and pan, before the master; core/render `stems`), from the same render
// pass as the mix. A ZIP's entries are contiguous, and the pass makes all stems at once, so each
// stem's WAV (32-bit float: before the master a sum may pass full scale) streams into its own
// R2 object with its CRC-32 counted on the way; at the end the ZIP streams them back in order,
// STORE'd with sizes known, and the stems' objects are deleted. Not watermarked (see below).
import { infoChunk, wavHeader, wavSamples, wavTrailer } from '../../core/audio/wav.ts'
import { crc32 } from '../../core/lib/crc32.ts'
import { ZipWriter, ZIP_MAX_BYTES } from '../../core/lib/zip.ts'
import type { ExportManifest, ManifestOutput } from '../../core/provenance/manifest.ts'
import { infoFieldsFrom } from '../../core/provenance/tags.ts'
import { DomainError } from '../../core/errors.ts'
import { exportStemKey } from '../storage/keys.ts'
import { MultipartWriter } from '../storage/multipart.ts'
import type { MixFileContext } from './files.ts'
import { OutputFile } from './outputs.ts'

/** One stem's WAV being written: its bytes go to R2 and through CRC-32. */
class StemWav {
  crc = 0
  size = 0
  readonly key: string
  /** Its file's name in the ZIP. */
  readonly name: string
  /** The WAV's bytes before and after its samples. */
  readonly header: Uint8Array
  readonly trailer: Uint8Array
  private readonly writer: MultipartWriter

  constructor(
    key: string,
    index: number,
    stem: string,
    writer: MultipartWriter,
    header: Uint8Array,
    trailer: Uint8Array,
  ) {
    this.key = key
    this.name = entryName(index, stem)
    this.writer = writer
    this.header = header
    this.trailer = trailer
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.crc = crc32(bytes, this.crc)
    this.size += bytes.length
    await this.writer.write(bytes)
  }

  close = () => this.writer.close()
  abort = () => this.writer.abort()
}

/** A file name safe in every unzip: the stem's name without path or control characters. */
const entryName = (index: number, name: string) =>
  `${String(index + 1).padStart(2, '0')} ${name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_')}.wav`

/** The stems zip as the render pass feeds it: `write` gets every stem's block, by stem. */
export class StemsZip {
  private readonly ctx: MixFileContext
  private readonly stems: StemWav[]
  private readonly pcm: Uint8Array

  private constructor(ctx: MixFileContext, stems: StemWav[]) {
    this.ctx = ctx
    this.stems = stems
    this.pcm = new Uint8Array(ctx.blockFrames * 8)
  }

  /** Opens one WAV per stem (`names` by the renderer's `stemIds`), headers written. */
  static async open(ctx: MixFileContext, names: readonly string[]): Promise<StemsZip> {
    const dataBytes = ctx.frames * 8
    if (names.length * (dataBytes + 1024) > ZIP_MAX_BYTES)
      throw new DomainError(
        'bad_request',
        'The stems of this remix come to more than 4 GiB, more than a ZIP holds: export it without the stems zip.',
      )
    const stems: StemWav[] = []
    try {
      for (const [i, name] of names.entries()) {
        const key = exportStemKey(ctx.exportId, i)
        const chunks = [infoChunk(stemInfo(ctx.manifest, name))]
        const header = wavHeader(ctx.frames, 2, ctx.sampleRate, 'float32', chunks)
        const trailer = wavTrailer(dataBytes, chunks)
        const meta = {
          httpMetadata: { contentType: 'audio/wav' },
          customMetadata: { exportId: ctx.exportId },
        }
        const exact = header.length + dataBytes + trailer.length
        const writer = await MultipartWriter.open(ctx.bucket, key, meta, { exact }, ctx.slots)
        stems.push(new StemWav(key, i, name, writer, header, trailer))
      }
      const zip = new StemsZip(ctx, stems)
      for (const stem of stems) await stem.write(stem.header)
      return zip
    } catch (err) {
      for (const stem of stems) await stem.abort()
      throw err
    }
  }

  /** Writes one block of every stem (`blocks[i]` is stem i's left and right). */
  async write(blocks: readonly (readonly [Float32Array, Float32Array])[], n: number) {
    for (const [i, stem] of this.stems.entries()) {
      const block = [blocks[i]![0].subarray(0, n), blocks[i]![1].subarray(0, n)]
      await stem.write(this.pcm.subarray(0, wavSamples(block, 0, n, 'float32', this.pcm)))
    }
  }

  /** Completes the stems, streams them into the ZIP in order, and deletes them. */
  async close(): Promise<ManifestOutput> {
    const { ctx } = this
    for (const stem of this.stems) {
      await stem.write(stem.trailer)
      await stem.close()
    }
    // The ZIP holds every stem's WAV and their headers: at least the WAVs' bytes.
    const atLeast = this.stems.reduce((sum, stem) => sum + stem.size, 0)
    const out = await OutputFile.open(ctx.bucket, ctx.exportId, 'stems-zip', { atLeast }, ctx.slots)
    try {
      const zip = new ZipWriter(new Date(ctx.manifest.createdAt))
      for (const stem of this.stems) {
        await out.write(zip.entry(stem.name, stem.size, stem.crc))
        const object = await ctx.bucket.get(stem.key)
        if (!object) throw new Error(`export ${ctx.exportId}: the stem ${stem.key} vanished`)
        const reader = object.body.getReader()
        for (let r = await reader.read(); !r.done; r = await reader.read()) await out.write(r.value)
      }
      await out.write(zip.end())
      const output = await out.close()
      await ctx.bucket.delete(this.stems.map((s) => s.key))
      return output
    } catch (err) {
      await out.abort()
      throw err
    }
  }

  async abort(): Promise<void> {
    for (const stem of this.stems) await stem.abort()
  }
}

/** A stem's RIFF INFO: the export's, titled with the stem. */
function stemInfo(manifest: ExportManifest, stem: string) {
  const fields = infoFieldsFrom(manifest)
  return { ...fields, INAM: `${fields.INAM} (${stem} stem)` }
}
