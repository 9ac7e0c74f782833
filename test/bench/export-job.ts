// One export job in a running app, as bench:export measures it: the remix is saved, the export
// requested, and its status followed to `ready`, while the worker isolate's memory (through its
// inspector) and workerd's resident memory are sampled.
import { performance } from 'node:perf_hooks'
import type { ExportView } from '../../core/api/exports.ts'
import type { ExportFormat } from '../../core/api/formats.ts'
import type { RemixView } from '../../core/api/remixes.ts'
import { benchRecipe } from './export-recipe.ts'
import { peakRise } from './workerd-memory.ts'
import {
  heapDuring,
  snapshotFigures,
  type HeapFigures,
  type Inspector,
  type SnapshotFigures,
} from './workerd-inspector.ts'

/** A stage the export was seen in, from `ms` after the request. */
export type Stage = { stage: string; ms: number }

export type JobFigures = {
  seconds: number
  rssRiseMiB: number
  heap: HeapFigures
  /** A heap snapshot half-way through rendering: all that is live, WebAssembly memories included. */
  midRender: SnapshotFigures | null
  /** One as the watermark check starts (`STEMFAIR_BENCH_HOLDERS=1` only). */
  checking: SnapshotFigures | null
  stages: Stage[]
}

/** The highest sample of each stage (garbage included, and live after a GC). */
export function peaksByStage(
  figures: JobFigures,
): { stage: string; peakMiB: number; liveMiB: number }[] {
  const { stages, heap } = figures
  return stages.map(({ stage, ms }, i) => {
    const end = stages[i + 1]?.ms ?? Infinity
    const inside = heap.samples.filter((s) => s.ms >= ms && s.ms < end)
    const top = (live: boolean) =>
      Math.max(0, ...inside.filter((s) => !live || s.live).map((s) => s.MiB))
    return { stage, peakMiB: top(false), liveMiB: top(true) }
  })
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Signs the demo fan in; answers the session cookie. */
export async function signIn(base: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'fan@stemfair.test', password: 'remix-it-all-26' }),
  })
  if (!login.ok) throw new Error(`login failed: ${login.status}`)
  return login.headers.get('set-cookie')!.split(';')[0]!
}

/** Saves the bench remix over the demo stems; answers its id and version. */
export async function saveBenchRemix(
  base: string,
  cookie: string,
  tracks: number,
  seconds: number,
) {
  const demo = ['drums', 'bass', 'pads', 'lead'].map((s) => `copper-moons-${s}`)
  const recipe = benchRecipe(tracks, seconds, (i) => demo[i % demo.length]!, 'copper-moons')
  const { remix } = await json<{ remix: RemixView }>(
    await fetch(`${base}/api/remixes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({
        campaign: 'copper-moons',
        title: `Bench ${tracks}×${seconds}`,
        recipe,
      }),
    }),
  )
  return remix
}

/** Requests an export of the remix (the default formats unless `formats`) and waits for it to be ready; answers the stages it saw. */
export async function exportRemix(
  base: string,
  cookie: string,
  remix: { id: string; version: number },
  t0 = performance.now(),
  onProgress: (progress: number) => Promise<void> = async () => {},
  formats?: readonly ExportFormat[],
  onStage: (stage: string) => Promise<void> = async () => {},
): Promise<Stage[]> {
  const headers = { 'Content-Type': 'application/json', Cookie: cookie }
  const stages: Stage[] = []
  const { export: queued } = await json<{ export: ExportView }>(
    await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ remix: remix.id, version: remix.version, formats }),
    }),
  )
  for (let misses = 0; ;) {
    const res = await fetch(`${base}/api/exports/${queued.id}`, { headers })
    // The local server may drop a status request while the job holds its CPU: ask again.
    if (res.status >= 500 && ++misses < 50) {
      await res.body?.cancel()
      await new Promise((r) => setTimeout(r, 250))
      continue
    }
    const { export: view } = await json<{ export: ExportView }>(res)
    const stage =
      view.stage === 'rendering' ? `rendering ${Math.round(view.progress * 100)} %` : view.stage
    if (stages.at(-1)?.stage !== stage) {
      stages.push({ stage, ms: performance.now() - t0 })
      await onStage(stage)
    }
    if (view.stage === 'rendering') await onProgress(view.progress)
    if (view.status === 'ready') return stages
    if (view.status === 'rejected') throw new Error(`export rejected: ${view.reason}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** One bench export of `tracks` × `seconds`, timed from the request to `ready`, memory sampled. */
export async function exportJob(
  base: string,
  cookie: string,
  inspector: Inspector,
  tracks: number,
  seconds: number,
  formats?: readonly ExportFormat[],
): Promise<JobFigures> {
  const remix = await saveBenchRemix(base, cookie, tracks, seconds)
  let midRender: SnapshotFigures | null = null
  let checking: SnapshotFigures | null = null
  const [[[stages, elapsed], heap], rssRiseMiB] = await peakRise(() =>
    heapDuring(inspector, async () => {
      const t0 = performance.now()
      const stages = await exportRemix(
        base,
        cookie,
        remix,
        t0,
        async (progress) => {
          if (progress >= 0.5 && !midRender) midRender = await snapshotFigures(inspector)
        },
        formats,
        async (stage) => {
          if (stage === 'encoding' && process.env.STEMFAIR_BENCH_HOLDERS)
            checking = await snapshotFigures(inspector)
        },
      )
      return [stages, (performance.now() - t0) / 1000] as const
    }),
  )
  return { seconds: elapsed, rssRiseMiB, heap, midRender, checking, stages }
}
