// Where an export job's CPU time goes, in workerd: one bench export (8 tracks × 3 min by default)
// in a running app, with the worker's CPU profile taken through its inspector; prints the
// functions with the most self time. Against a server started with STEMFAIR_INSPECTOR_PORT set:
//   STEMFAIR_BASE=http://127.0.0.1:8787 STEMFAIR_INSPECTOR_PORT=9229 \
//     node --no-warnings test/bench/export-profile.ts [tracks] [seconds]
// Function names and lines are those of the built consumer Worker (dist/stemfair_consumer/index.js); wasm-function
// entries are the MP3 decoder's and encoder's WebAssembly. Nothing is asserted.
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { exportRemix, saveBenchRemix, signIn } from './export-job.ts'
import { Inspector, profileDuring } from './workerd-inspector.ts'

const base = process.env.STEMFAIR_BASE ?? 'http://127.0.0.1:8787'
const port = Number(process.env.STEMFAIR_INSPECTOR_PORT ?? 9229)
const [tracks = 8, seconds = 180] = process.argv.slice(2).map(Number)
const inspector = await Inspector.consumer(port, base)
try {
  const cookie = await signIn(base)
  const remix = await saveBenchRemix(base, cookie, tracks, seconds)
  const t0 = performance.now()
  const [, profile] = await profileDuring(inspector, () => exportRemix(base, cookie, remix))
  const wall = (performance.now() - t0) / 1000
  console.log(
    `job ${tracks} × ${seconds} s: ${wall.toFixed(1)} s wall, ${(profile.totalMs / 1000).toFixed(1)} s ` +
      `of CPU sampled   load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  )
  const top = [...profile.self].sort((a, b) => b[1] - a[1]).slice(0, 25)
  for (const [fn, ms] of top)
    console.log(
      `${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / profile.totalMs).toFixed(1).padStart(5)} %  ${fn}`,
    )
} finally {
  inspector.close()
}
