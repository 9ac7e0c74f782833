import { runJob, type Audio, type RenderJob } from './jobs.ts'
import type { JobReply, JobRequest } from './render.worker.ts'

type Pending = { job: RenderJob; resolve: (audio: Audio[]) => void; reject: (e: unknown) => void }

let worker: Worker | null | undefined
let nextId = 1
const pending = new Map<number, Pending>()

// Without a worker (or when it fails to start), jobs render on the main thread: same code.
function inline({ job, resolve, reject }: Pending): void {
  runJob(job).then(resolve, reject)
}

function workerOf(): Worker | null {
  if (worker !== undefined) return worker
  try {
    worker = new Worker(new URL('./render.worker.ts', import.meta.url), { type: 'module' })
  } catch {
    return (worker = null)
  }
  worker.onmessage = (event: MessageEvent<JobReply>) => {
    const reply = event.data
    const waiting = pending.get(reply.id)
    pending.delete(reply.id)
    if (!waiting) return
    // a job that failed in the worker gets one more try here, where its failure is the caller's
    if ('error' in reply) inline(waiting)
    else waiting.resolve(reply.audio)
  }
  worker.onerror = () => {
    worker?.terminate()
    worker = null
    for (const waiting of pending.values()) inline(waiting)
    pending.clear()
  }
  return worker
}

/**
 * Renders a job through core/render in a worker (jobs.ts). The job is copied to the worker, not
 * transferred, so a worker that fails can hand it to the main thread.
 */
export function offThread(job: RenderJob): Promise<Audio[]> {
  return new Promise((resolve, reject) => {
    const waiting: Pending = { job, resolve, reject }
    const w = workerOf()
    if (!w) return inline(waiting)
    const request: JobRequest = { id: nextId++, job }
    pending.set(request.id, waiting)
    w.postMessage(request)
  })
}
