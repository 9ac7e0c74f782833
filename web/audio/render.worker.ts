// core/render off the main thread: generated parts and rate-changed region passes (jobs.ts).
import { runJob, type Audio, type RenderJob } from './jobs.ts'

export type JobRequest = { id: number; job: RenderJob }
export type JobReply = { id: number; audio: Audio[] }

self.onmessage = async (event: MessageEvent<JobRequest>) => {
  const { id, job } = event.data
  const audio = await runJob(job)
  const reply: JobReply = { id, audio }
  self.postMessage(reply, { transfer: audio.map((a) => a.buffer) })
}
