// What the studio has core/render render off the main thread (render.worker.ts), or on it when no
// worker runs: the same code either way, the one implementation the export renders with.
import type { GeneratedPart } from '../../core/music/part.ts'
import type { Region } from '../../core/recipe/schema.ts'
import { renderPass } from '../../core/render/region.ts'
import { BufferSource } from '../../core/render/source.ts'
import { renderPart } from '../../core/render/synth.ts'

export type Audio = Float32Array<ArrayBuffer>

export type RenderJob =
  /** A generated part's notes through its instrument: mono from time 0. */
  | { kind: 'part'; part: GeneratedPart; tempo: number; sampleRate: number }
  /**
   * One pass of a rate-changed region through core's band-limited interpolator (`renderPass`),
   * from the frames of its stem it reads: `channels`, the stem's frames from `origin`.
   */
  | {
      kind: 'pass'
      region: Region
      channels: Audio[]
      origin: number
      sampleRate: number
      phase: number
    }

/** Renders a job: one array per channel. */
export async function runJob(job: RenderJob): Promise<Audio[]> {
  if (job.kind === 'part') return [renderPart(job.part, job.tempo, job.sampleRate) as Audio]
  const source = new BufferSource(job.channels, job.origin)
  return (await renderPass(job.region, source, job.sampleRate, job.phase)) as Audio[]
}
