import { ApiError, isRetryable } from '../request.ts'
import type { artistApi, UploadKind, UploadResult, UploadView } from '../api-artist.ts'

/** The calls an upload makes; the artist API client in the app, an in-memory server in tests. */
export type UploadTransport = Pick<
  typeof artistApi,
  'createUpload' | 'upload' | 'putPart' | 'completeUpload' | 'abortUpload'
>

/** Where unfinished upload ids are remembered across reloads (localStorage in the browser). */
export type UploadMemory = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

/** Bytes sent of a file, counting parts already in R2 and parts in flight. */
export type UploadProgress = { loaded: number; total: number }

export type UploadOptions = {
  campaignId: string
  file: File
  kind: UploadKind
  transport: UploadTransport
  memory?: UploadMemory | null
  onProgress?: (progress: UploadProgress) => void
  /** Parts sent at once. */
  concurrency?: number
  /** Attempts per part after the first, for network errors, 408, 429 and 5xx. */
  retries?: number
  /** The first wait before a retry; doubles on each attempt. */
  backoffMs?: number
  wait?: (ms: number, signal: AbortSignal) => Promise<void>
}

const PREFIX = 'stemfair.upload:'

/** The memory key of a file's upload: the same file dropped again on the same campaign resumes. */
export function uploadKey(campaignId: string, file: Pick<File, 'name' | 'size' | 'lastModified'>) {
  return PREFIX + JSON.stringify([campaignId, file.name, file.size, file.lastModified])
}

/** The files of a campaign whose uploads were left unfinished, to offer resuming them. */
export function unfinishedUploads(memory: UploadMemory, campaignId: string) {
  const files: { name: string; size: number }[] = []
  for (let i = 0; i < memory.length; i++) {
    const key = memory.key(i)
    if (!key?.startsWith(PREFIX)) continue
    try {
      const [campaign, name, size] = JSON.parse(key.slice(PREFIX.length)) as [
        string,
        string,
        number,
      ]
      if (campaign === campaignId) files.push({ name, size })
    } catch {
      // not one of ours
    }
  }
  return files
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError'
const aborted = () => new DOMException('The upload was cancelled', 'AbortError')

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop)
      resolve()
    }, ms)
    const stop = () => {
      clearTimeout(timer)
      reject(aborted())
    }
    signal.addEventListener('abort', stop, { once: true })
  })
}

/**
 * A resumable multipart upload of one file: create (or resume) the upload, send the missing parts
 * a few at a time with retries, then complete. `abort()` cancels it and deletes it on the worker.
 */
export class MultipartUpload {
  readonly done: Promise<UploadResult>
  private uploadId: string | null = null
  private readonly stop = new AbortController()
  private readonly key: string
  private readonly memory: UploadMemory | null
  private readonly inFlight = new Map<number, number>()
  private sent = 0
  private failure: unknown = null

  constructor(private readonly options: UploadOptions) {
    this.key = uploadKey(options.campaignId, options.file)
    this.memory = options.memory !== undefined ? options.memory : (globalThis.localStorage ?? null)
    this.done = this.run()
    this.done.catch(() => undefined)
  }

  /** Cancels the upload, deletes it on the worker and forgets it. */
  async abort(): Promise<void> {
    this.stop.abort()
    await this.done.catch(() => undefined)
    this.memory?.removeItem(this.key)
    if (this.uploadId === null) return
    await this.options.transport.abortUpload(this.uploadId).catch((err: unknown) => {
      if (!(err instanceof ApiError && err.status === 404)) throw err
    })
  }

  private async run(): Promise<UploadResult> {
    const { transport, file } = this.options
    let view = await this.resumable()
    if (!view) {
      const created = await transport.createUpload(this.options.campaignId, {
        fileName: file.name,
        size: file.size,
        kind: this.options.kind,
      })
      view = created.upload
      this.memory?.setItem(this.key, view.id)
    }
    this.uploadId = view.id
    if (this.stop.signal.aborted) throw aborted()
    if (view.status === 'open') await this.sendParts(view)
    try {
      const id = view.id
      // The worker answers a repeated completion with what the first one made.
      const result = await this.retrying(() => transport.completeUpload(id))
      this.memory?.removeItem(this.key)
      return result
    } catch (err) {
      // A file the worker refuses (not audio, lossy, corrupt) will not get better by resending it.
      if (err instanceof ApiError && !isRetryable(err)) {
        this.memory?.removeItem(this.key)
        await transport.abortUpload(view.id).catch(() => undefined)
      }
      throw err
    }
  }

  /** The remembered upload of this file, if the worker still has it open. */
  private async resumable(): Promise<UploadView | null> {
    const id = this.memory?.getItem(this.key)
    if (!id) return null
    try {
      const { upload } = await this.options.transport.upload(id, this.stop.signal)
      if (upload.status !== 'aborted' && upload.size === this.options.file.size) return upload
    } catch (err) {
      if (!(err instanceof ApiError && (err.status === 404 || err.status === 403))) throw err
    }
    this.memory?.removeItem(this.key)
    return null
  }

  private async sendParts(view: UploadView): Promise<void> {
    const have = new Set(view.uploadedParts)
    const queue: number[] = []
    for (let n = 1; n <= view.partCount; n++) {
      if (have.has(n)) this.sent += this.partSize(view, n)
      else queue.push(n)
    }
    this.report()
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) await this.sendPart(view, n)
    }
    const workers = Array.from(
      { length: Math.min(this.options.concurrency ?? 3, queue.length) },
      worker,
    )
    const results = await Promise.allSettled(workers)
    if (this.failure !== null) throw this.failure
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  }

  private async sendPart(view: UploadView, n: number): Promise<void> {
    const { transport, file } = this.options
    const retries = this.options.retries ?? 5
    const backoff = this.options.backoffMs ?? 500
    const wait = this.options.wait ?? waitFor
    const start = (n - 1) * view.partSize
    const bytes = file.slice(start, start + this.partSize(view, n))
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.putPart(
          view.id,
          n,
          bytes,
          (loaded) => {
            this.inFlight.set(n, loaded)
            this.report()
          },
          this.stop.signal,
        )
        this.inFlight.delete(n)
        this.sent += bytes.size
        this.report()
        return
      } catch (err) {
        this.inFlight.delete(n)
        this.report()
        if (this.stop.signal.aborted || isAbort(err)) throw aborted()
        if (!isRetryable(err) || attempt >= retries) {
          this.failure = err
          this.stop.abort() // the other parts stop too; the upload stays resumable
          throw err
        }
        await wait(backoff * 2 ** attempt, this.stop.signal)
      }
    }
  }

  /** Runs a request again after network errors, 408, 429 and 5xx, waiting longer each time. */
  private async retrying<T>(request: () => Promise<T>): Promise<T> {
    const retries = this.options.retries ?? 5
    const backoff = this.options.backoffMs ?? 500
    const wait = this.options.wait ?? waitFor
    for (let attempt = 0; ; attempt++) {
      try {
        return await request()
      } catch (err) {
        if (this.stop.signal.aborted) throw aborted()
        if (!isRetryable(err) || attempt >= retries) throw err
        await wait(backoff * 2 ** attempt, this.stop.signal)
      }
    }
  }

  private partSize(view: UploadView, n: number): number {
    return n < view.partCount ? view.partSize : view.size - (view.partCount - 1) * view.partSize
  }

  private report() {
    let loaded = this.sent
    for (const bytes of this.inFlight.values()) loaded += bytes
    this.options.onProgress?.({ loaded, total: this.options.file.size })
  }
}
