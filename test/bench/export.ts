// `npm run bench:export`: how fast and how lean the server's export is, all measured in this run.
//
//  1. render: core/render on the bench recipe (8 tracks × 3 min, bench:render's effect set) in
//     workerd (`wrangler dev` of test/bench/export.worker.ts: one isolate, one thread), timed
//     around the request (the stems are made by an earlier request); beside it the same
//     mix through ffmpeg's filters on one thread (-threads 1), and the ratio.
//  2. job: the real export job in the real app (production build in workerd, local D1/R2/Queues,
//     the demo campaign's stems): render + watermark + WAV + MP3 + hashes + check + sign, from the
//     202 to `ready`, in seconds per minute of output; and the job's memory for 8 tracks × 3 min
//     and for 16 tracks × 10 min (the default formats, then every format), three ways: the worker isolate's memory read through its
//     inspector (V8 heap in use + ArrayBuffer backing stores, sampled; its peak, with garbage not
//     yet collected, and its live peak after forced full GCs), a heap snapshot half-way through
//     rendering (all that is live, WebAssembly memories included, which the sampled figure does
//     not count), and, as before, the rise of workerd's resident memory. The 64 MiB goal is judged
//     on the isolate: sampled peak + the WebAssembly memories live mid-render. workerd's RSS also
//     counts the local R2/D1/Queues simulators in the same process and pages V8 keeps once touched.
// The load average is printed beside every figure. Nothing is asserted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { EXPORT_FORMATS } from '../../core/api/formats.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import startApp from '../e2e/server.ts'
import { exportJob, peaksByStage, signIn, type JobFigures } from './export-job.ts'
import { benchStem, RATE, STEM_SECONDS } from './export-recipe.ts'
import { Inspector } from './workerd-inspector.ts'
import { withBenchWorker } from './bench-worker.ts'
import { freePort } from '../support/free-port.ts'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`
const TRACKS = 8
const SECONDS = 180

// ---- 1. render in workerd, and ffmpeg beside it -------------------------------------------------

/** Four renders: the second without the wasm kernels (`kernels=0`), the others with them (as the app). */
async function renderInWorkerd(): Promise<{ seconds: number; peak: number }[]> {
  return withBenchWorker(
    'stemfair-bench-render',
    here('./export.worker.ts'),
    async (url) => (await fetch(`${url}/prepare?tracks=${TRACKS}`)).ok,
    async (url) => {
      const runs = []
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now()
        const kernels = i === 1 ? '&kernels=0' : ''
        const res = await fetch(`${url}/render?tracks=${TRACKS}&seconds=${SECONDS}${kernels}`)
        const { peak } = (await res.json()) as { peak: number }
        runs.push({ seconds: (performance.now() - t0) / 1000, peak })
      }
      return runs
    },
  )
}

/** The same mix through ffmpeg's filters, one thread: the native reference. */
function renderInFfmpeg(): number {
  const dir = mkdtempSync(join(tmpdir(), 'stemfair-bench-'))
  try {
    const inputs: string[] = []
    const chains: string[] = []
    const delays = [0.5, 0.25, 0.375, 0.125] // 1/4, 1/8, 1/8d, 1/16 at 120 BPM
    for (let i = 0; i < TRACKS; i++) {
      const file = join(dir, `s${i}.wav`)
      writeFileSync(file, encodeWav(benchStem(i), RATE, { encoding: 'float32' }))
      inputs.push('-stream_loop', String(Math.ceil(SECONDS / STEM_SECONDS) - 1), '-i', file)
      const pan = (i / (TRACKS - 1)) * 1.6 - 0.8
      const l = Math.cos(((pan + 1) * Math.PI) / 4).toFixed(4)
      const r = Math.sin(((pan + 1) * Math.PI) / 4).toFixed(4)
      chains.push(
        `[${i}:a]lowpass=f=${4000 + i * 1000},bass=g=2:f=250,equalizer=f=1000:t=o:w=1:g=-3,` +
          `treble=g=1:f=4000,acompressor=threshold=0.126:ratio=4:attack=10:release=200,` +
          `aecho=1:1:${delays[i % 4]! * 1000}:0.35,volume=-6dB,` +
          `pan=stereo|c0=${l}*c0|c1=${r}*c1[t${i}]`,
      )
    }
    const mix =
      `${Array.from({ length: TRACKS }, (_, i) => `[t${i}]`).join('')}amix=inputs=${TRACKS}:normalize=0,` +
      `bass=g=1:f=250,treble=g=2:f=4000,aecho=0.8:0.8:43|79|131|211:0.3|0.25|0.2|0.15,` +
      `alimiter=limit=0.891:level=false,atrim=duration=${SECONDS}[out]`
    const t0 = performance.now()
    execFileSync(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-threads',
        '1',
        '-filter_threads',
        '1',
        '-filter_complex_threads',
        '1',
        ...inputs,
        '-filter_complex',
        [...chains, mix].join(';'),
        '-map',
        '[out]',
        '-f',
        'null',
        '-',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
    return (performance.now() - t0) / 1000
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// STEMFAIR_BENCH_PART=memory runs only part 2 (the jobs and their memory), =render only part 1.
const part = process.env.STEMFAIR_BENCH_PART ?? 'all'
let renderX = 0
let ffmpegX = 0
if (part !== 'memory') {
  const [first, withoutKernels, ...rest] = await renderInWorkerd()
  const renders = [first!, ...rest]
  const best = Math.min(...renders.map((r) => r.seconds))
  renderX = SECONDS / best
  console.log(
    `render      ${TRACKS} tracks × ${SECONDS / 60} min in workerd: ` +
      `${renders.map((r) => r.seconds.toFixed(2)).join(' / ')} s → ${renderX.toFixed(1)}× real time ` +
      `(peak ${renders[0]!.peak.toFixed(3)})   ${load()}`,
  )
  console.log(
    `            the same without the wasm kernels (TypeScript reference), same run: ` +
      `${withoutKernels!.seconds.toFixed(2)} s → ${(SECONDS / withoutKernels!.seconds).toFixed(1)}× ` +
      `(peak ${withoutKernels!.peak.toFixed(3)})   ${load()}`,
  )
  const ffmpegSeconds = renderInFfmpeg()
  ffmpegX = SECONDS / ffmpegSeconds
  console.log(
    `ffmpeg      the same mix through its filters, one thread: ${ffmpegSeconds.toFixed(2)} s → ` +
      `${ffmpegX.toFixed(1)}× real time; core/render runs at ${(renderX / ffmpegX).toFixed(2)}× ffmpeg   ${load()}`,
  )
}
if (part === 'render') process.exit(0)

// ---- 2. the whole job, in the real app ----------------------------------------------------------
const inspectorPort = Number(process.env.STEMFAIR_INSPECTOR_PORT) || (await freePort())
process.env.STEMFAIR_INSPECTOR_PORT = String(inspectorPort)
let base = process.env.STEMFAIR_BASE ?? ''
const stop = base
  ? () => Promise.resolve()
  : ((await startApp({
      provide: (_k: string, v: string) => (base = v),
    } as never)) as () => Promise<void>)

/** The job's memory figures, on one line. */
function memoryLine(f: JobFigures): string {
  const wasm = f.midRender
  const judged = f.heap.peakMiB + (wasm?.wasmMiB ?? 0)
  return (
    `isolate ${judged.toFixed(1)} MiB = heap+buffers peak ${f.heap.peakMiB.toFixed(1)} ` +
    `(live ${f.heap.livePeakMiB.toFixed(1)}, idle ${f.heap.idleMiB.toFixed(1)}) + ` +
    `${wasm ? `${wasm.wasmMemories} WebAssembly memories ${wasm.wasmMiB.toFixed(1)}` : 'no snapshot'}; ` +
    `snapshot mid-render ${wasm ? wasm.totalMiB.toFixed(1) : '–'} MiB; ` +
    `workerd RSS +${f.rssRiseMiB.toFixed(1)} MiB`
  )
}

/** Per stage, the job's highest sample; with STEMFAIR_BENCH_HOLDERS, where the buffers were. */
function detailLines(f: JobFigures): string {
  const stages = peaksByStage(f)
    .filter((s) => s.peakMiB > 0)
    .map((s) => `${s.stage} ${s.peakMiB.toFixed(1)}/${s.liveMiB.toFixed(1)}`)
  const lines = [`            peak/live MiB by stage: ${stages.join(', ')}`]
  for (const [when, snap] of [
    ['mid-render', f.midRender],
    ['checking', f.checking],
  ] as const)
    if (snap?.holders.length)
      lines.push(
        `            buffers ${when} (snapshot ${snap.totalMiB.toFixed(1)} MiB, wasm ${snap.wasmMiB.toFixed(1)}):`,
        ...snap.holders.map(
          (h) => `              ${h.MiB.toFixed(2).padStart(6)} MiB ×${h.buffers}  ${h.holder}`,
        ),
      )
  return lines.join('\n')
}

let jobX = 0
let judged16 = 0
let judgedAll = 0
const inspector = await Inspector.consumer(inspectorPort, base)
try {
  const cookie = await signIn(base)
  const short = await exportJob(base, cookie, inspector, TRACKS, SECONDS)
  jobX = SECONDS / short.seconds
  console.log(
    `job         ${TRACKS} tracks × ${SECONDS / 60} min (render + watermark + WAV + MP3 + hashes + ` +
      `check + sign): ${short.seconds.toFixed(1)} s = ${(short.seconds / (SECONDS / 60)).toFixed(1)} s ` +
      `per minute of output → ${jobX.toFixed(1)}× real time   ${load()}`,
  )
  console.log(`job memory  ${TRACKS} tracks × 3 min: ${memoryLine(short)}   ${load()}`)
  console.log(`            stages seen: ${short.stages.map((s) => s.stage).join(' → ')}`)
  console.log(detailLines(short))
  const long = await exportJob(base, cookie, inspector, 16, 600)
  judged16 = long.heap.peakMiB + (long.midRender?.wasmMiB ?? 0)
  console.log(
    `job memory  16 tracks × 10 min with effects: ${memoryLine(long)}; ` +
      `${long.seconds.toFixed(1)} s (${(600 / long.seconds).toFixed(1)}× real time)   ${load()}`,
  )
  console.log(detailLines(long))
  // The heaviest set: both MP3s (two encoders), both WAVs, the FLAC and the stems zip.
  const all = await exportJob(base, cookie, inspector, 16, 600, EXPORT_FORMATS)
  judgedAll = all.heap.peakMiB + (all.midRender?.wasmMiB ?? 0)
  console.log(
    `job memory  16 tracks × 10 min, every format (${EXPORT_FORMATS.join(', ')}): ` +
      `${memoryLine(all)}; ${all.seconds.toFixed(1)} s (${(600 / all.seconds).toFixed(1)}× real time)   ${load()}`,
  )
  console.log(detailLines(all))
} finally {
  inspector.close()
  await stop()
}
console.log(
  `summary: render ${renderX.toFixed(1)}× real time (ffmpeg ${ffmpegX.toFixed(1)}×), ` +
    `job ${jobX.toFixed(1)}× real time, in workerd on one core; job memory 16 × 10 min ` +
    `${judged16.toFixed(1)} MiB, every format ${judgedAll.toFixed(1)} MiB (goal < 64); ${load()}`,
)
