// `npm run bench:render`: an offline render of an 8-track, 3-minute remix in headless Chromium.
// Serves the harness page with Vite on 127.0.0.1, drives it with playwright-core, prints figures.
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { launch } from '../e2e/browser.ts'
import type { BenchResult } from './render.page.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

const server = await createServer({
  configFile: false,
  root,
  logLevel: 'warn',
  cacheDir: 'node_modules/.vite-bench',
  server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  optimizeDeps: { entries: ['test/bench/render.html'], include: ['tone', 'zod'] },
})
const browser = await launch()
try {
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('Vite did not start')
  const page = await browser.newPage()
  page.on('pageerror', (err) => console.error('page error:', err.message))
  await page.goto(`http://127.0.0.1:${address.port}/test/bench/render.html`)
  await page.waitForFunction(() => 'runBench' in window, undefined, { timeout: 60_000 })
  const r = await page.evaluate(() =>
    (window as unknown as { runBench: () => Promise<BenchResult> }).runBench(),
  )
  const render = r.renderMs / 1000
  const speed = r.seconds / render
  const peakDb = 20 * Math.log10(r.peak)
  console.log(
    `stems       ${r.tracks} synthetic mono stems × 30 s, built in ${r.stemsMs.toFixed(0)} ms`,
  )
  console.log(`remix       ${r.tracks} tracks × ${r.seconds} s at ${r.sampleRate} Hz`)
  console.log(
    'chains      track: filter + eq3 + compressor + delay; master: eq3 + reverb + limiter',
  )
  console.log(`render      ${render.toFixed(2)} s (${speed.toFixed(1)}× real time)`)
  console.log(
    `output      peak ${peakDb.toFixed(2)} dBFS (ceiling −1), ${r.progressCalls} progress calls`,
  )
  console.log(
    `bench:render  ${r.tracks} tracks × ${r.seconds} s  render ${render.toFixed(1)} s  ${speed.toFixed(1)}× real time`,
  )
} finally {
  await browser.close()
  await server.close()
}
