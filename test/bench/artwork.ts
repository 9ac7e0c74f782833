// `npm run bench:artwork`: the cover at 3000×3000 (decode the official image, rasterize, PNG) as
// the worker renders it, inside workerd (Miniflare running a bundle of core/artwork), beside the
// same render in Node in the same run; each figure with the load average (this machine is shared,
// so figures move with it). Nothing is asserted. Timing is from outside workerd (its clock stands
// still while code runs): the request's wall time less that of an empty request, median of runs.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { decodeSource } from '../../core/artwork/image.ts'
import { planArtwork } from '../../core/artwork/plan.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { artworkSource, rasterizeArtwork } from '../../core/artwork/raster.ts'

const RUNS = Number(process.env.RUNS ?? 3)
const SIZE = 3000
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const load = () => os.loadavg()[0]!.toFixed(2)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const input = {
  tempo: 124,
  key: 'F minor',
  sections: [
    { start: 0, end: 20, label: 'A' },
    { start: 20, end: 50, label: 'B' },
    { start: 50, end: 70, label: 'A' },
  ],
  words: 'dreamy gold floating',
  seed: 1,
}
// The demo campaign's cover (a 1200×1200 JPEG) as the official image.
const cover = new Uint8Array(readFileSync(here('../../stems/artwork.jpg')))

function nodeRender() {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const source = artworkSource(decodeSource(cover))
  const t1 = performance.now()
  const pixels = rasterizeArtwork(planArtwork(input), SIZE, [source])
  const t2 = performance.now()
  const png = encodePng(pixels)
  const t3 = performance.now()
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  return { decode: t1 - t0, raster: t2 - t1, png: t3 - t2, total: t3 - t0, cpuMs, bytes: png }
}

const worker = `
import { decodeSource } from './core/artwork/image.ts'
import { planArtwork } from './core/artwork/plan.ts'
import { encodePng } from './core/artwork/png.ts'
import { artworkSource, rasterizeArtwork } from './core/artwork/raster.ts'
const input = ${JSON.stringify(input)}
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/noop') return new Response('ok')
    const cover = new Uint8Array(await request.arrayBuffer())
    const png = encodePng(rasterizeArtwork(planArtwork(input), ${SIZE}, [artworkSource(decodeSource(cover))]))
    return new Response(png)
  },
}`

const bundle = await build({
  stdin: { contents: worker, resolveDir: here('../..'), loader: 'ts' },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  write: false,
})
const mf = new Miniflare({
  workers: [
    {
      config: {
        name: 'artwork',
        compatibilityDate: '2025-01-01',
        manifest: {
          mainModule: 'artwork.js',
          modules: { 'artwork.js': { type: 'esm', contents: bundle.outputFiles[0]!.text } },
        },
      },
    },
  ],
})
/**
 * A request to the worker, tried once more when the kept-alive connection was closed while Node was
 * busy with its own render between requests (undici then reports "other side closed").
 */
async function dispatch(url: string, init?: { method: string; body: Uint8Array }) {
  try {
    return await mf.dispatchFetch(url, init)
  } catch {
    return mf.dispatchFetch(url, init)
  }
}

try {
  await (await dispatch('http://x/noop')).text()
  const workerd: number[] = []
  const noop: number[] = []
  const node: number[] = []
  const nodeCpu: number[] = []
  let fromWorkerd = new Uint8Array(0)
  let fromNode: Uint8Array<ArrayBuffer> = new Uint8Array(0)
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now()
    await (await dispatch('http://x/noop')).text()
    noop.push(performance.now() - t)
    t = performance.now()
    const res = await dispatch('http://x/render', { method: 'POST', body: cover })
    fromWorkerd = new Uint8Array(await res.arrayBuffer())
    workerd.push(performance.now() - t)
    console.log(`workerd run ${i + 1}: ${workerd[i]!.toFixed(0)} ms (load ${load()})`)
    const n = nodeRender()
    fromNode = n.bytes as Uint8Array<ArrayBuffer>
    node.push(n.total)
    nodeCpu.push(n.cpuMs)
    console.log(
      `node    run ${i + 1}: ${n.total.toFixed(0)} ms = decode ${n.decode.toFixed(0)} + ` +
        `raster ${n.raster.toFixed(0)} + png ${n.png.toFixed(0)}; CPU ${n.cpuMs.toFixed(0)} ms (load ${load()})`,
    )
  }
  const same = (await sha256Hex(fromWorkerd)) === (await sha256Hex(fromNode))
  console.log(
    `same PNG bytes from workerd and Node: ${same} (${fromNode.length} bytes, ` +
      `sha256 ${(await sha256Hex(fromNode)).slice(0, 16)}…)`,
  )
  const w = median(workerd) - median(noop)
  const n = median(node)
  console.log(
    `artwork ${SIZE}×${SIZE}: workerd ${w.toFixed(0)} ms, node ${n.toFixed(0)} ms, ` +
      `ratio ${(w / n).toFixed(2)}; node CPU ${median(nodeCpu).toFixed(0)} ms ` +
      `(median of ${RUNS}; load ${load()} on ${os.cpus().length} cores)`,
  )
} finally {
  await mf.dispose()
}
