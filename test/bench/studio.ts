// `npm run bench:studio`: how long a fan waits in the studio, on the real app (built, seeded, served
// through the local worker by `vite preview`) in headless Chromium: open → waveforms, open → first
// sound (Play pressed as soon as it works, until the master meter moves), open → every stem decoded
// whole, main-thread long tasks over 50 ms in that time, and bytes (raw and as sent). The demo
// campaign's stems (5, about 2 minutes each) — not 8 × 4 minutes, which the demo does not have.
// A reference in the same run: the same stems fetched whole and decoded in the same browser.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { launch } from '../e2e/browser.ts'
import startApp from '../e2e/server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

/** The JS a first visit runs before any page loads its own: index.html's script and preloads. */
function initialJs(): { raw: number; gzip: number } {
  const client = join(root, 'dist/client')
  const html = readFileSync(join(client, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  const bytes = files.map((f) => readFileSync(join(client, f)))
  return {
    raw: bytes.reduce((n, b) => n + b.length, 0),
    gzip: bytes.reduce((n, b) => n + gzipSync(b).length, 0),
  }
}

console.log(`load average ${load()} (before)`)
let baseUrl = ''
const stop = (await startApp({
  provide: (_key: string, value: string) => (baseUrl = value),
} as never)) as () => Promise<void>
try {
  const initial = initialJs()
  // The server has been running a while when a fan comes: its first, cold answers are not timed.
  for (const path of ['/', '/api/health', '/api/campaigns/copper-moons'])
    await fetch(`${baseUrl}${path}`)
  const browser = await launch()
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const page = await context.newPage()
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] }
      w.longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration)
      }).observe({ type: 'longtask', buffered: true })
    })
    const responses: { url: string; sent: Promise<number>; raw: Promise<number> }[] = []
    page.on('response', (res) => {
      responses.push({
        url: res.url(),
        sent: res
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
        raw: res.body().then(
          (b) => b.length,
          () => 0,
        ),
      })
    })

    const t0 = Date.now()
    await page.goto(`${baseUrl}/c/copper-moons/studio`)
    await page.waitForFunction(
      () => {
        const waves = [...document.querySelectorAll('.region-wave')]
        return (
          waves.length > 0 &&
          waves.every((w) => w.firstElementChild?.shadowRoot?.querySelector('canvas'))
        )
      },
      undefined,
      { timeout: 60_000, polling: 10 },
    )
    const wavesMs = Date.now() - t0
    const play = page.locator('button.play')
    await page.waitForFunction(
      () => (document.querySelector('button.play') as HTMLButtonElement | null)?.disabled === false,
      undefined,
      { timeout: 60_000, polling: 10 },
    )
    const playableMs = Date.now() - t0
    await play.click()
    // Sound: the transport runs the mix of every stem's buffer (the playhead moves after Play).
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid=position]')?.getAttribute('data-seconds')) > 0,
      undefined,
      { timeout: 60_000, polling: 5 },
    )
    const soundMs = Date.now() - t0
    // The demo's stems open near silence (about −90 dBFS, the pads fading in): when a meter first
    // reads a signal says as much about the music as about the studio.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLElement>('[data-testid=meter]')].some(
          (m) => m.dataset.level !== undefined && m.dataset.level !== '-inf',
        ),
      undefined,
      { timeout: 60_000, polling: 5 },
    )
    const signalMs = Date.now() - t0
    await page.waitForFunction(
      () => !/Loading \d+ of \d+ stems/.test(document.body.textContent ?? ''),
      undefined,
      { timeout: 120_000, polling: 10 },
    )
    const decodedMs = Date.now() - t0
    const longTasks = await page.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    )
    await play.click() // pause

    const sizes = await Promise.all(
      responses.map(async (r) => ({ url: r.url, sent: await r.sent, raw: await r.raw })),
    )
    const sum = (rows: typeof sizes, key: 'sent' | 'raw') => rows.reduce((n, r) => n + r[key], 0)
    const js = sizes.filter((r) => /\.js(\?|$)/.test(r.url))
    const audio = sizes.filter((r) => /\/audio(\?|$)/.test(r.url))
    const stems = audio.length

    // Reference: the same stems fetched whole and decoded, in parallel, in the same browser.
    const reference = await page.evaluate(
      async (urls) => {
        const ctx = new AudioContext()
        const t = performance.now()
        const seconds = await Promise.all(
          urls.map(async (u) => {
            const bytes = await (await fetch(u, { cache: 'no-store' })).arrayBuffer()
            return (await ctx.decodeAudioData(bytes)).duration
          }),
        )
        await ctx.close()
        return { ms: performance.now() - t, seconds }
      },
      audio.map((r) => r.url),
    )

    const minutes = reference.seconds.map((s) => (s / 60).toFixed(1)).join(', ')
    console.log(`stems        ${stems} demo stems (${minutes} min), MP3`)
    console.log(`requests     ${sizes.length}`)
    console.log(
      `JS           ${kib(sum(js, 'raw'))} raw, ${kib(sum(js, 'sent'))} as sent (studio route)`,
    )
    console.log(`all bytes    ${kib(sum(sizes, 'raw'))} raw, ${kib(sum(sizes, 'sent'))} as sent`)
    console.log(
      `initial JS   ${kib(initial.raw)} raw, ${kib(initial.gzip)} gzip (index.html's script and preloads)`,
    )
    console.log(`open →       waveforms ${wavesMs} ms, Play enabled ${playableMs} ms`)
    console.log(
      `open →       first sound ${soundMs} ms (Play pressed once it works, the playhead moving)`,
    )
    console.log(`open →       first signal on a meter ${signalMs} ms (the stems open near silence)`)
    console.log(`open →       all decoded ${decodedMs} ms`)
    const over = longTasks.filter((d) => d > 50)
    console.log(
      `long tasks   ${over.length} over 50 ms until all decoded` +
        (over.length ? `, longest ${Math.max(...over).toFixed(0)} ms` : ''),
    )
    console.log(
      `reference    fetch + decode the ${stems} whole stems alone: ${reference.ms.toFixed(0)} ms`,
    )
    console.log(`load average ${load()} (after)`)
    console.log(`first sound ${soundMs} ms, initial ${(initial.gzip / 1024).toFixed(0)} KiB`)
  } finally {
    await browser.close()
  }
} finally {
  await stop()
}
