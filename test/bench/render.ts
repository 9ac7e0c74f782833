// `npm run bench:render`: the studio's JS bundle size and load time on the real app (built, seeded,
// served by `vite preview`), then an offline render of an 8-track, 3-minute remix in headless
// Chromium from a harness page. Servers listen on 127.0.0.1 and are stopped at the end.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { createServer } from 'vite'
import { launch } from '../e2e/browser.ts'
import startApp from '../e2e/server.ts'
import type { BenchResult } from './render.page.ts'
import { wavesDrawn } from './studio-waves.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Serves the production build with the demo campaign; measures the bundle and the studio's load. */
async function measureStudio(): Promise<{
  gzipKb: number
  rawKb: number
  wavesMs: number
  readyMs: number
}> {
  let baseUrl = ''
  const stop = await startApp({
    provide: (_key: string, value: string) => (baseUrl = value),
  } as never)
  try {
    const assets = join(root, 'dist/client/assets')
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'))
    const bytes = js.map((f) => readFileSync(join(assets, f)))
    const rawKb = bytes.reduce((n, b) => n + b.length, 0) / 1024
    const gzipKb = bytes.reduce((n, b) => n + gzipSync(b).length, 0) / 1024
    const browser = await launch()
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
      const t0 = Date.now()
      await page.goto(`${baseUrl}/c/copper-moons/studio`)
      await wavesDrawn(page)
      const wavesMs = Date.now() - t0
      await page.waitForFunction(
        () =>
          (document.querySelector('button.play') as HTMLButtonElement | null)?.disabled === false,
        undefined,
        { timeout: 60_000, polling: 10 },
      )
      return { gzipKb, rawKb, wavesMs, readyMs: Date.now() - t0 }
    } finally {
      await browser.close()
    }
  } finally {
    await (stop as () => Promise<void>)()
  }
}

const studio = await measureStudio()
console.log(`bundle      ${studio.rawKb.toFixed(0)} KiB JS, ${studio.gzipKb.toFixed(0)} KiB gzip`)
console.log(
  `studio      waveforms drawn ${studio.wavesMs} ms after open, stems decoded ${studio.readyMs} ms`,
)

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
    `bench:render  ${r.tracks} tracks × ${r.seconds} s  render ${render.toFixed(1)} s  ${speed.toFixed(1)}× real time` +
      `  studio load ${studio.wavesMs} ms (waveforms) / ${studio.readyMs} ms (decoded)  JS ${studio.gzipKb.toFixed(0)} KiB gzip`,
  )
} finally {
  await browser.close()
  await server.close()
}
