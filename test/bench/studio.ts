// `npm run bench:studio`: how long a fan waits in the studio, on the real app (built, seeded, served
// through the local worker by `vite preview`) in headless Chromium: open → waveforms, open → first
// sound (Play pressed as soon as it works, until the master meter moves), open → every stem decoded
// whole, main-thread long tasks over 50 ms in that time, and bytes (raw and as sent). The campaign:
// 8 stems × 4 minutes of 192 kbit/s MP3 (scripts/seed-synthetic.ts), seeded beside the demo, each
// sounding from its first sample; first sound is a meter reading a signal after Play. While it
// plays until every stem is decoded (and 2 s on), the meters are read every 20 ms: a reading of
// silence then is a gap. A reference in the same run: the same stems fetched whole and decoded in
// the same browser.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { launch } from '../e2e/browser.ts'
import { serve } from '../e2e/server.ts'
import { PREFIX_BYTES } from '../../web/api.ts'
import { wavesDrawn } from './studio-waves.ts'
import { longTasksOf, PROFILE_CATEGORIES } from './studio-profile.ts'

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
const LONG_SLUG = 'eight-long'
const LONG_STEMS = 8
const LONG_SECONDS = 4 * 60
const { baseUrl, stop } = await serve(async (state) => {
  execFileSync(
    'node',
    ['scripts/seed-synthetic.ts', state, LONG_SLUG, String(LONG_STEMS), String(LONG_SECONDS)],
    { cwd: root, stdio: 'inherit' },
  )
})
try {
  const initial = initialJs()
  // The server has been running a while when a fan comes: its first, cold answers are not timed.
  for (const path of ['/', '/api/health', `/api/campaigns/${LONG_SLUG}`])
    await fetch(`${baseUrl}${path}`)
  // Every stem's first bytes in one request, as the studio asks for them, from outside the browser:
  // alone, and while the page streams and decodes (each figure the median of 5 in a row).
  const { campaign } = (await (await fetch(`${baseUrl}/api/campaigns/${LONG_SLUG}`)).json()) as {
    campaign: { stems: { id: string }[] }
  }
  const headsUrl = `${baseUrl}/api/stems/heads?ids=${campaign.stems.map((s) => s.id).join(',')}&bytes=${PREFIX_BYTES}`
  const rangeMs = async (times = 5) => {
    const ms: number[] = []
    for (let i = 0; i < times; i++) {
      const t = performance.now()
      const res = await fetch(headsUrl)
      await res.arrayBuffer()
      ms.push(performance.now() - t)
    }
    return ms.sort((a, b) => a - b)[times >> 1]!
  }
  const rangeAlone = await rangeMs()
  const rangeAloneLoad = load()
  const browser = await launch()
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
    const page = await context.newPage()
    await page.addInitScript(() => {
      const w = window as unknown as {
        longTasks: { at: number; ms: number }[]
        heard: () => boolean
      }
      w.heard = () =>
        [...document.querySelectorAll<HTMLElement>('[data-testid=meter]')].some(
          (m) =>
            m.dataset.level !== undefined && m.dataset.level !== '-inf' && +m.dataset.level > -60,
        )
      ;(w as unknown as { readings: boolean[] }).readings = []
      w.longTasks = []
      // when the bench's click reaches the page (before any handler of the page's own)
      for (const type of ['pointerdown', 'click'])
        window.addEventListener(type, () => performance.mark(`stemfair:input ${type}`), true)
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ at: e.startTime, ms: e.duration })
      }).observe({ type: 'longtask', buffered: true })
    })
    // Bytes as sent, per response; raw sizes come from the page's resource timing at the end. Not
    // res.body(): each stem's 5 MB went to node over the protocol while the page loaded, and the
    // bench's own click (same connection) waited seconds behind them.
    const responses: { url: string; sent: Promise<number> }[] = []
    page.on('response', (res) => {
      responses.push({
        url: res.url(),
        sent: res
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
      })
    })
    // --profile: a Chrome trace of open → all decoded, its long tasks named (slows the page a little).
    const profiling = process.argv.includes('--profile')
    if (profiling) await browser.startTracing(page, { categories: PROFILE_CATEGORIES })
    const t0 = Date.now()
    await page.goto(`${baseUrl}/c/${LONG_SLUG}/studio`)
    // Waveforms and Play are waited for side by side: Play is pressed as soon as it works, whether
    // or not every waveform is drawn by then.
    const waves = wavesDrawn(page).then(() => Date.now() - t0)
    const play = page.locator('button.play')
    await page.waitForFunction(
      () => {
        const on = (document.querySelector('button.play') as HTMLButtonElement | null)?.disabled
        if (on === false) performance.mark('stemfair:bench Play enabled')
        return on === false
      },
      undefined,
      { timeout: 60_000, polling: 10 },
    )
    const playableMs = Date.now() - t0
    // A click as a person's lands, at once: play.click() first waits for the button to hold still
    // over two animation frames and checks it is hit, and a mark asked for before it cost another
    // round trip; together about 0.15 s on a busy machine before the click reached the page.
    const box = (await play.boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    const rangeBusy = rangeMs().then((ms) => ({ ms, load: load() }))
    type Listening = { heard: () => boolean; readings: boolean[] }
    // Sound: a meter reads a signal (every stem sounds from its first sample).
    await page.waitForFunction(
      () => {
        const heard = (window as unknown as Listening).heard()
        if (heard) performance.mark('stemfair:bench sound')
        return heard
      },
      undefined,
      {
        timeout: 60_000,
        polling: 5,
      },
    )
    const soundMs = Date.now() - t0
    const wavesMs = await waves
    // From now on, a meter reading is taken every 20 ms: silence while playing is a gap.
    await page.evaluate(() => {
      const w = window as unknown as Listening
      setInterval(() => w.readings.push(w.heard()), 20)
    })
    await page.waitForFunction(
      () => !/Loading \d+ of \d+ stems/.test(document.body.textContent ?? ''),
      undefined,
      { timeout: 180_000, polling: 10 },
    )
    const decodedMs = Date.now() - t0
    const profile = profiling ? longTasksOf(await browser.stopTracing()) : undefined
    await page.waitForTimeout(2000)
    const position = Number(await page.getByTestId('position').getAttribute('data-seconds'))
    const readings = await page.evaluate(() => (window as unknown as Listening).readings)
    const longTasks = await page.evaluate(
      () => (window as unknown as { longTasks: { at: number; ms: number }[] }).longTasks,
    )
    // Where the time went: each request's start and end, each stem's first seconds and whole decode
    // becoming audible, Play's AudioContext start and each long task, in ms from navigation start.
    const trace = await page.evaluate((longTasks) => {
      const short = (url: string) => new URL(url).pathname.replace(/^\/api\/campaigns\//, '')
      const rows: [number, string][] = []
      // queued: asked for until sent (a browser opens six connections to a host); server: sent
      // until its first byte is in; body: first byte until the last
      const ms = (a: number, b: number) => (b - a).toFixed(0)
      for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        rows.push(
          [e.startTime, `start ${short(e.name)}`],
          [
            e.responseEnd,
            `end   ${short(e.name)} ${(e.transferSize / 1024).toFixed(0)} KiB (queued ` +
              `${ms(e.startTime, e.requestStart)}, server ${ms(e.requestStart, e.responseStart)}, ` +
              `body ${ms(e.responseStart, e.responseEnd)} ms)`,
          ],
        )
      for (const m of performance.getEntriesByType('mark'))
        if (m.name.startsWith('stemfair:')) rows.push([m.startTime, m.name])
      for (const { at, ms } of longTasks)
        if (ms > 50) rows.push([at, `long task ${ms.toFixed(0)} ms`])
      return rows
        .sort((a, b) => a[0] - b[0])
        .map(([t, what]) => `${t.toFixed(0).padStart(6)} ${what}`)
    }, longTasks)
    // Where first sound's time went, in ms from navigation start: the campaign, then the heads
    // request (queued for a connection / server / body), every head decoded and heard, Play
    // enabled, the bench's click reaching the page, Tone started, a meter moving.
    const firstSound = await page.evaluate(() => {
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      const marks = performance.getEntriesByType('mark')
      const at = (prefix: string) => marks.find((m) => m.name.startsWith(prefix))?.startTime
      const campaign = resources.find((e) => /\/api\/campaigns\/[^/]+$/.test(e.name))
      const heads = resources.find((e) => /\/heads\?/.test(e.name))
      const heard = marks.filter((m) => m.name.startsWith('stemfair:heard '))
      const stems = new Set(heard.map((m) => m.name.split(' ')[1]))
      const firstHeard = [...stems].map((id) => heard.find((m) => m.name.split(' ')[1] === id)!)
      const n = (t: number | undefined) => (t === undefined ? '?' : t.toFixed(0))
      const ms = (a: number, b: number) => (b - a).toFixed(0)
      return [
        `campaign ${n(campaign?.responseEnd)}`,
        heads
          ? `heads asked ${n(heads.startTime)}, in ${n(heads.responseEnd)} (queued ` +
            `${ms(heads.startTime, heads.requestStart)}, server ${ms(heads.requestStart, heads.responseStart)}, ` +
            `body ${ms(heads.responseStart, heads.responseEnd)})`
          : 'no heads request',
        `all heard ${n(Math.max(...firstHeard.map((m) => m.startTime)))}`,
        `Play enabled ${n(at('stemfair:bench Play enabled'))}`,
        `click in the page ${n(at('stemfair:input pointerdown'))}`,
        `Tone started ${n(at('stemfair:started'))}`,
        `meter ${n(at('stemfair:bench sound'))}`,
      ].join(' → ')
    })
    await play.click() // pause

    const decoded = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => [
        e.name,
        e.decodedBodySize,
      ]),
    )
    const rawOf = new Map<string, number[]>()
    for (const [url, n] of decoded)
      rawOf.set(url as string, [...(rawOf.get(url as string) ?? []), n as number])
    const sizes = await Promise.all(
      responses.map(async (r) => ({
        url: r.url,
        sent: await r.sent,
        raw: rawOf.get(r.url)?.shift() ?? (await r.sent),
      })),
    )
    const sum = (rows: typeof sizes, key: 'sent' | 'raw') => rows.reduce((n, r) => n + r[key], 0)
    const js = sizes.filter((r) => /\.js(\?|$)/.test(r.url))
    const audio = sizes.filter((r) => /\/audio(\?|$)/.test(r.url))
    const urls = [...new Set(audio.map((r) => r.url))] // a stem's prefix and rest are one file
    const stems = urls.length

    // Reference: the same stems fetched whole and decoded, in parallel, in the same browser.
    const reference = await page.evaluate(async (urls) => {
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
    }, urls)

    if (process.argv.includes('--trace')) console.log(trace.join('\n'))
    if (profile) {
      console.log(
        `profile: main-thread tasks over 50 ms, open → all decoded\n${profile.lines.join('\n')}`,
      )
      console.log('profile: JS self time in those tasks, top 15')
      for (const [frame, ms] of profile.top) console.log(`${ms.toFixed(0).padStart(7)} ms ${frame}`)
    }
    const minutes = reference.seconds.map((s) => (s / 60).toFixed(1)).join(', ')
    console.log(`stems        ${stems} stems (${minutes} min), MP3 192 kbit/s`)
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
      `open →       first sound ${soundMs} ms (Play pressed once it works, a meter moving)`,
    )
    console.log(`first sound  ${firstSound}`)
    console.log(`open →       all decoded ${decodedMs} ms`)
    const silent = readings.filter((r) => !r).length
    console.log(
      `playing      ${readings.length} meter readings from first sound to 2 s after all decoded ` +
        `(playhead at ${position.toFixed(1)} s of ${LONG_SECONDS}): ${silent} silent`,
    )
    const over = longTasks.map((t) => t.ms).filter((d) => d > 50)
    console.log(
      `long tasks   ${over.length} over 50 ms until all decoded` +
        (over.length ? `, longest ${Math.max(...over).toFixed(0)} ms` : ''),
    )
    console.log(
      `reference    fetch + decode the ${stems} whole stems alone: ${reference.ms.toFixed(0)} ms`,
    )
    const busy = await rangeBusy
    console.log(
      `heads        every stem's first ${kib(PREFIX_BYTES)} in one request, median of 5: alone ` +
        `${rangeAlone.toFixed(0)} ms (load ${rangeAloneLoad}), while the studio loads ` +
        `${busy.ms.toFixed(0)} ms (load ${busy.load})`,
    )
    console.log(`load average ${load()} (after)`)
    console.log(`first sound ${soundMs} ms, initial ${(initial.gzip / 1024).toFixed(0)} KiB`)
  } finally {
    await browser.close()
  }
} finally {
  await stop()
}
