import { describe, expect, it } from 'vitest'
import { ApiError } from '../request.ts'
import type { UploadResult, UploadView } from '../api-artist.ts'
import {
  MultipartUpload,
  unfinishedUploads,
  uploadKey,
  type UploadMemory,
  type UploadTransport,
} from './multipart.ts'

/** An in-memory Storage. */
class Memory implements UploadMemory {
  private items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  key = (i: number) => [...this.items.keys()][i] ?? null
  getItem = (k: string) => this.items.get(k) ?? null
  setItem = (k: string, v: string) => void this.items.set(k, v)
  removeItem = (k: string) => void this.items.delete(k)
}

const tick = () => new Promise((r) => setTimeout(r, 0))

/** The worker's upload routes over a Map: parts kept as bytes, failures injected per part. */
class FakeWorker implements UploadTransport {
  partSize = 4
  uploads = new Map<string, UploadView & { parts: Map<number, Uint8Array> }>()
  puts: number[] = []
  aborted: string[] = []
  inFlight = 0
  maxInFlight = 0
  failures = new Map<number, ApiError[]>()
  hang = false
  refuse: ApiError | null = null
  private next = 1

  createUpload = async (
    campaignId: string,
    body: { fileName: string; size: number; kind: 'stem' | 'reference' },
  ) => {
    const id = `u${this.next++}`
    const partCount = Math.max(1, Math.ceil(body.size / this.partSize))
    const upload = {
      id,
      campaignId,
      ...body,
      partSize: this.partSize,
      partCount,
      uploadedParts: [],
      status: 'open' as const,
      parts: new Map(),
    }
    this.uploads.set(id, upload)
    return { upload: this.view(id) }
  }
  upload = async (id: string) => {
    if (!this.uploads.has(id)) throw new ApiError(404, 'not_found', 'no such upload')
    return { upload: this.view(id) }
  }
  putPart = async (
    id: string,
    n: number,
    bytes: Blob,
    onProgress: (loaded: number) => void,
    signal?: AbortSignal,
  ) => {
    this.puts.push(n)
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight)
    try {
      await tick()
      if (this.hang)
        await new Promise((_, reject) => {
          const stop = () => reject(new DOMException('stopped', 'AbortError'))
          if (signal!.aborted) stop()
          signal!.addEventListener('abort', stop)
        })
      onProgress(Math.floor(bytes.size / 2))
      await tick()
      const failure = this.failures.get(n)?.shift()
      if (failure) throw failure
      this.uploads.get(id)!.parts.set(n, new Uint8Array(await bytes.arrayBuffer()))
      onProgress(bytes.size)
      return { part: n, etag: `e${n}` }
    } finally {
      this.inFlight--
    }
  }
  completeUpload = async (id: string): Promise<UploadResult> => {
    if (this.refuse) throw this.refuse
    const upload = this.uploads.get(id)!
    upload.status = 'completed'
    return { reference: { fileName: upload.fileName } }
  }
  abortUpload = async (id: string) => {
    this.aborted.push(id)
    this.uploads.delete(id)
  }
  bytes(id: string): number[] {
    const upload = this.uploads.get(id)!
    return [...upload.parts.keys()].sort((a, b) => a - b).flatMap((n) => [...upload.parts.get(n)!])
  }
  private view(id: string): UploadView {
    const { parts, ...upload } = this.uploads.get(id)!
    return { ...upload, uploadedParts: [...parts.keys()] }
  }
}

const content = Array.from({ length: 37 }, (_, i) => (i * 7) % 251)
const file = () => new File([new Uint8Array(content)], 'drums.wav', { lastModified: 1_700_000_000 })
const noWait = async () => undefined

function start(
  worker: FakeWorker,
  memory: Memory,
  extra: Partial<ConstructorParameters<typeof MultipartUpload>[0]> = {},
) {
  const progress: number[] = []
  const upload = new MultipartUpload({
    campaignId: 'c1',
    file: file(),
    kind: 'stem',
    transport: worker,
    memory,
    wait: noWait,
    onProgress: (p) => progress.push(p.loaded),
    ...extra,
  })
  return { upload, progress }
}

describe('MultipartUpload', () => {
  it('sends every part, at most three at a time, then completes and forgets the upload', async () => {
    const worker = new FakeWorker()
    const memory = new Memory()
    const { upload, progress } = start(worker, memory)
    await expect(upload.done).resolves.toEqual({ reference: { fileName: 'drums.wav' } })
    expect(worker.puts.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(worker.maxInFlight).toBe(3)
    expect(worker.bytes('u1')).toEqual(content)
    expect(progress.at(-1)).toBe(37)
    expect(memory.length).toBe(0)
  })

  it('resumes a remembered upload, sending only the parts the worker lacks', async () => {
    const worker = new FakeWorker()
    const memory = new Memory()
    const { upload: first } = await worker.createUpload('c1', {
      fileName: 'drums.wav',
      size: 37,
      kind: 'stem',
    })
    for (const n of [1, 2, 5])
      worker.uploads.get(first.id)!.parts.set(n, new Uint8Array(content.slice((n - 1) * 4, n * 4)))
    memory.setItem(uploadKey('c1', file()), first.id)
    expect(unfinishedUploads(memory, 'c1')).toEqual([{ name: 'drums.wav', size: 37 }])
    expect(unfinishedUploads(memory, 'c2')).toEqual([])

    const { upload, progress } = start(worker, memory)
    await upload.done
    expect(worker.puts.sort((a, b) => a - b)).toEqual([3, 4, 6, 7, 8, 9, 10])
    expect(progress[0]).toBe(12)
    expect(worker.bytes(first.id)).toEqual(content)
    expect(worker.uploads.size).toBe(1)
  })

  it('starts afresh when the remembered upload is gone', async () => {
    const worker = new FakeWorker()
    const memory = new Memory()
    memory.setItem(uploadKey('c1', file()), 'u-gone')
    const { upload } = start(worker, memory)
    await upload.done
    expect(worker.bytes('u1')).toEqual(content)
  })

  it('retries a part after network errors and 5xx, waiting longer each time', async () => {
    const worker = new FakeWorker()
    worker.failures.set(4, [
      new ApiError(0, 'network', 'dropped'),
      new ApiError(503, 'provider_failed', 'busy'),
    ])
    const waits: number[] = []
    const { upload } = start(worker, new Memory(), {
      backoffMs: 100,
      wait: async (ms) => void waits.push(ms),
    })
    await upload.done
    expect(waits).toEqual([100, 200])
    expect(worker.puts.filter((n) => n === 4)).toHaveLength(3)
    expect(worker.bytes('u1')).toEqual(content)
  })

  it('gives up after its retries but stays resumable: the next attempt sends only what is missing', async () => {
    const worker = new FakeWorker()
    const memory = new Memory()
    const dropped = () => new ApiError(0, 'network', 'dropped')
    worker.failures.set(9, [dropped(), dropped(), dropped()])
    const { upload } = start(worker, memory, { retries: 2 })
    await expect(upload.done).rejects.toMatchObject({ code: 'network' })
    expect(memory.length).toBe(1)
    const before = worker.puts.length

    const again = start(worker, memory)
    await again.upload.done
    const resent = worker.puts.slice(before)
    expect(resent).toContain(9)
    expect(resent.length).toBeLessThan(10)
    expect(worker.bytes('u1')).toEqual(content)
    expect(memory.length).toBe(0)
  })

  it('completes again after a 5xx: the worker answers a replay with the first result', async () => {
    const worker = new FakeWorker()
    const complete = worker.completeUpload
    let failures = 1
    worker.completeUpload = async (id) => {
      if (failures-- > 0) throw new ApiError(500, 'internal', 'Internal Server Error')
      return complete(id)
    }
    const memory = new Memory()
    const { upload } = start(worker, memory)
    await expect(upload.done).resolves.toEqual({ reference: { fileName: 'drums.wav' } })
    expect(memory.length).toBe(0)
    expect(worker.aborted).toEqual([])
  })

  it('does not retry a refused part', async () => {
    const worker = new FakeWorker()
    worker.failures.set(2, [new ApiError(413, 'payload_too_large', 'too large')])
    const { upload } = start(worker, new Memory())
    await expect(upload.done).rejects.toMatchObject({ status: 413 })
    expect(worker.puts.filter((n) => n === 2)).toHaveLength(1)
  })

  it('aborts: parts in flight stop, the worker deletes the upload and it is forgotten', async () => {
    const worker = new FakeWorker()
    worker.hang = true
    const memory = new Memory()
    const { upload } = start(worker, memory)
    while (worker.inFlight < 3) await tick()
    await upload.abort()
    await expect(upload.done).rejects.toMatchObject({ name: 'AbortError' })
    expect(worker.aborted).toEqual(['u1'])
    expect(worker.inFlight).toBe(0)
    expect(memory.length).toBe(0)
  })

  it('forgets and deletes an upload whose file the worker refuses on completion', async () => {
    const worker = new FakeWorker()
    worker.refuse = new ApiError(400, 'invalid_audio', 'This file is not audio.')
    const memory = new Memory()
    const { upload } = start(worker, memory)
    await expect(upload.done).rejects.toMatchObject({ code: 'invalid_audio' })
    expect(worker.aborted).toEqual(['u1'])
    expect(memory.length).toBe(0)
  })
})
