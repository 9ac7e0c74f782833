/** R2 multipart parts: all equal, at least 5 MiB (R2's minimum), but the last. */
export const PART_BYTES = 5 * 1024 * 1024

/** Bytes gathered before they go on into a streamed part. */
const CHUNK_BYTES = 64 * 1024

/** The first size a buffered part's buffer has; it doubles up to the part's size as it fills. */
const FIRST_BUFFER_BYTES = 256 * 1024

/**
 * What is known of an object's size before it is written: `exact` (a WAV: its header says it), or
 * a lower bound `atLeast` (a constant-bit-rate MP3). A part that lies wholly within what is known
 * streams into R2 as it fills; only the rest is held in memory, a part at a time.
 */
export type SizeHint = { exact?: number; atLeast?: number }

/** Parts streaming at once in one job, at most. */
export const STREAMED_PARTS = 4

/**
 * How many parts one job streams at once. A streamed part holds a connection open for as long as
 * it takes to fill, and a Worker holds six open at most (any more wait for one to close), so a
 * job streams at most STREAMED_PARTS and buffers the others, which leaves connections for the
 * buffered parts' uploads and everything else the job reaches.
 */
export class UploadSlots {
  private free: number
  constructor(count = STREAMED_PARTS) {
    this.free = count
  }
  take(): boolean {
    if (this.free === 0) return false
    this.free--
    return true
  }
  give(): void {
    this.free++
  }
}

/** A part being streamed: its bytes go into R2 as they come, in chunks. */
type StreamedPart = {
  kind: 'streamed'
  writer: WritableStreamDefaultWriter<ArrayBufferView>
  uploaded: Promise<R2UploadedPart>
  remaining: number
}

/** A part held in memory until it is full (or the object ends). */
type BufferedPart = { kind: 'buffered'; capacity: number }

/**
 * Writes bytes to an R2 object as a multipart upload of equal parts, as they come. Parts whose
 * length is known (from the SizeHint) stream as they fill, through a 64 KiB chunk; the others are
 * held in memory until full. Nothing is visible under the key until `close`; `abort` (or a failed
 * close) leaves nothing behind.
 */
export class MultipartWriter {
  private readonly upload: R2MultipartUpload
  private readonly slots: UploadSlots
  private readonly exact: number | null
  /** Every part's size but the last's, and how many parts have a length known before the end. */
  private readonly partBytes: number
  private readonly knownParts: number
  private readonly parts: R2UploadedPart[] = []
  private part: StreamedPart | BufferedPart | null = null
  private readonly chunk = new Uint8Array(CHUNK_BYTES)
  private chunked = 0
  private buffer: Uint8Array = new Uint8Array(0)
  private filled = 0
  private size = 0

  private constructor(upload: R2MultipartUpload, hint: SizeHint, slots: UploadSlots) {
    this.upload = upload
    this.slots = slots
    this.exact = hint.exact ?? null
    const known = hint.exact ?? hint.atLeast ?? 0
    if (hint.exact !== undefined) {
      this.partBytes = PART_BYTES
      this.knownParts = Math.max(1, Math.ceil(hint.exact / PART_BYTES))
    } else {
      // k parts of ⌊known / k⌋ ≥ 5 MiB fit in what is known: all but a short last part stream.
      this.knownParts = Math.floor(known / PART_BYTES)
      this.partBytes = this.knownParts > 0 ? Math.floor(known / this.knownParts) : PART_BYTES
    }
  }

  static async open(
    bucket: R2Bucket,
    key: string,
    meta: R2MultipartOptions = {},
    hint: SizeHint = {},
    slots: UploadSlots = new UploadSlots(),
  ): Promise<MultipartWriter> {
    return new MultipartWriter(await bucket.createMultipartUpload(key, meta), hint, slots)
  }

  /** The length of part `i` (from 0) if it is known now. */
  private knownLength(i: number): number | null {
    if (i >= this.knownParts) return null
    if (this.exact === null || i < this.knownParts - 1) return this.partBytes
    return this.exact - i * this.partBytes
  }

  private begin(): StreamedPart | BufferedPart {
    const i = this.parts.length
    const length = this.knownLength(i)
    if (length !== null && length > 0 && this.slots.take()) {
      const stream = new FixedLengthStream(length)
      const uploaded = this.upload.uploadPart(i + 1, stream.readable)
      uploaded.catch(() => {}) // its failure surfaces through the writer, and at the end
      return { kind: 'streamed', writer: stream.writable.getWriter(), uploaded, remaining: length }
    }
    return { kind: 'buffered', capacity: length ?? this.partBytes }
  }

  /** Writes `bytes` (copied: the caller may reuse them); uploads each part as it fills. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.exact !== null && this.size + bytes.length > this.exact)
      throw new Error(`${this.upload.key}: more bytes than its ${this.exact}`)
    let at = 0
    while (at < bytes.length) {
      const part = (this.part ??= this.begin())
      at +=
        part.kind === 'streamed'
          ? await this.stream(part, bytes, at)
          : await this.hold(part, bytes, at)
    }
    this.size += bytes.length
  }

  /** Feeds a streamed part from `bytes` at `at`; answers how many bytes it took. */
  private async stream(part: StreamedPart, bytes: Uint8Array, at: number): Promise<number> {
    const n = Math.min(bytes.length - at, part.remaining, this.chunk.length - this.chunked)
    this.chunk.set(bytes.subarray(at, at + n), this.chunked)
    this.chunked += n
    part.remaining -= n
    // A write resolves once the upload has read the chunk: it is reused after.
    if (this.chunked === this.chunk.length || part.remaining === 0) {
      await part.writer.write(this.chunk.subarray(0, this.chunked))
      this.chunked = 0
    }
    if (part.remaining === 0) {
      this.part = null
      await part.writer.close()
      this.parts.push(await part.uploaded)
      this.slots.give()
    }
    return n
  }

  /** Fills a buffered part from `bytes` at `at`, uploading it once full; answers the bytes taken. */
  private async hold(part: BufferedPart, bytes: Uint8Array, at: number): Promise<number> {
    const n = Math.min(bytes.length - at, part.capacity - this.filled)
    if (this.filled + n > this.buffer.length) {
      let size = Math.max(FIRST_BUFFER_BYTES, this.buffer.length)
      while (size < this.filled + n) size *= 2
      const grown = new Uint8Array(Math.min(size, part.capacity))
      grown.set(this.buffer.subarray(0, this.filled))
      this.buffer = grown
    }
    this.buffer.set(bytes.subarray(at, at + n), this.filled)
    this.filled += n
    if (this.filled === part.capacity) await this.flushBuffered()
    return n
  }

  private async flushBuffered(): Promise<void> {
    // R2 has the bytes once uploadPart resolves: the buffer is reused for the next part.
    const bytes = this.buffer.subarray(0, this.filled)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes))
    this.filled = 0
    this.part = null
  }

  /** Uploads the last part and completes the object; returns its size in bytes. */
  async close(): Promise<{ size: number }> {
    const part = this.part
    if (part?.kind === 'streamed')
      throw new Error(`${this.upload.key}: ended ${part.remaining} bytes short of its known size`)
    if (this.exact !== null && this.size !== this.exact)
      throw new Error(`${this.upload.key}: ${this.size} bytes, not ${this.exact}`)
    if (this.filled > 0 || this.parts.length === 0) await this.flushBuffered()
    await this.upload.complete(this.parts)
    this.buffer = new Uint8Array(0)
    return { size: this.size }
  }

  async abort(): Promise<void> {
    const part = this.part
    this.part = null
    if (part?.kind === 'streamed') {
      await part.writer.abort(new Error('aborted')).catch(() => {})
      await part.uploaded.catch(() => {})
      this.slots.give()
    }
    try {
      await this.upload.abort()
    } catch {
      // Already completed or aborted.
    }
  }
}
