// core/render off the main thread: generated parts and rate-changed region passes (jobs.ts).
import { runJob, type Audio, type RenderJob } from './jobs.ts'

export type JobRequest = { id: number; job: RenderJob }
/** A job's audio, or why it failed (the caller then renders it on the main thread). */
export type JobReply = { id: number; audio: Audio[] } | { id: number; error: string }

self.onmessage = async (event: MessageEvent<JobRequest>) => {
  const { id, job } = event.data
  try {
    const audio = await runJob(job)
    const reply: JobReply = { id, audio }
    self.postMessage(reply, { transfer: audio.map((a) => a.buffer) })
  } catch (error) {
    const reply: JobReply = { id, error: String(error) }
    self.postMessage(reply)
  }
}
