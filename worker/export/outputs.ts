// The files of an export, written as they are encoded: each goes into an R2 multipart upload and
// through SHA-256 at once, so no file is ever whole in memory.
import { FORMAT_INFO, type OutputFormat } from '../../core/api/formats.ts'
import { hexOf } from '../../core/lib/bytes.ts'
import type { ManifestOutput } from '../../core/provenance/manifest.ts'
import { exportKey } from '../storage/keys.ts'
import { MultipartWriter, type SizeHint, type UploadSlots } from '../storage/multipart.ts'

/** One output file being written: bytes go to R2 and to the hash in order. */
export class OutputFile {
  readonly key: string
  private readonly writer: MultipartWriter
  private readonly hash: DigestStream
  private readonly hashing: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>

  private constructor(key: string, writer: MultipartWriter) {
    this.key = key
    this.writer = writer
    this.hash = new crypto.DigestStream('SHA-256')
    this.hashing = this.hash.getWriter()
  }

  /** Opens the file of `format`; `hint` is what is known of its size (see MultipartWriter). */
  static async open(
    bucket: R2Bucket,
    exportId: string,
    format: OutputFormat,
    hint: SizeHint = {},
    slots?: UploadSlots,
  ) {
    const key = exportKey(exportId, format)
    const meta = {
      httpMetadata: { contentType: FORMAT_INFO[format].contentType },
      customMetadata: { exportId },
    }
    const writer = await MultipartWriter.open(bucket, key, meta, hint, slots)
    return new OutputFile(key, writer)
  }

  /** Writes bytes; the caller may reuse `bytes` once this resolves. */
  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return
    // The hash keeps no reference once written: a copy, since `bytes` is often a reused view.
    await this.hashing.write(bytes.slice())
    await this.writer.write(bytes)
  }

  async close(): Promise<ManifestOutput> {
    await this.hashing.close()
    const sha256 = hexOf(new Uint8Array(await this.hash.digest))
    const { size } = await this.writer.close()
    return { key: this.key, sha256, bytes: size }
  }

  async abort(): Promise<void> {
    // An aborted DigestStream rejects its digest; nobody will read it now.
    this.hash.digest.catch(() => {})
    await this.hashing.abort().catch(() => {})
    await this.writer.abort()
  }
}
