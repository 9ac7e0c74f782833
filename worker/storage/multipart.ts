/** R2 multipart parts: all equal, at least 5 MiB (R2's minimum), but the last. */
export const PART_BYTES = 5 * 1024 * 1024

/**
 * Writes bytes to an R2 object as a multipart upload of equal parts, as they come; memory stays at
 * one part. Nothing is visible under the key until `close`; `abort` (or a failed close) leaves
 * nothing behind.
 */
export class MultipartWriter {
  private readonly buffer = new Uint8Array(PART_BYTES)
  private filled = 0
  private size = 0
  private readonly parts: R2UploadedPart[] = []
  private readonly upload: R2MultipartUpload

  private constructor(upload: R2MultipartUpload) {
    this.upload = upload
  }

  static async open(
    bucket: R2Bucket,
    key: string,
    meta: R2MultipartOptions = {},
  ): Promise<MultipartWriter> {
    return new MultipartWriter(await bucket.createMultipartUpload(key, meta))
  }

  /** Buffers `bytes` (copied: the caller may reuse them) and uploads each part once it is full. */
  async write(bytes: Uint8Array): Promise<void> {
    let at = 0
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.buffer.length - this.filled)
      this.buffer.set(bytes.subarray(at, at + n), this.filled)
      this.filled += n
      at += n
      if (this.filled === this.buffer.length) await this.flushPart()
    }
    this.size += bytes.length
  }

  private async flushPart(): Promise<void> {
    // R2 has the bytes once uploadPart resolves: the buffer is reused for the next part.
    const part = this.buffer.subarray(0, this.filled)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part))
    this.filled = 0
  }

  /** Uploads the last part and completes the object; returns its size in bytes. */
  async close(): Promise<{ size: number }> {
    if (this.filled > 0 || this.parts.length === 0) await this.flushPart()
    await this.upload.complete(this.parts)
    return { size: this.size }
  }

  async abort(): Promise<void> {
    try {
      await this.upload.abort()
    } catch {
      // Already completed or aborted.
    }
  }
}
