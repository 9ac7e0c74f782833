// `npm run bench:transcribe`: basic-pitch on the synthetic 43-note melody (34 s) — in headless
// Chromium on the WASM, CPU and WebGL backends of TensorFlow.js (in the studio's Web Worker), and in
// Node on WASM and CPU — as × real time, with the share of notes recovered. Last line: a summary.
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import type { Browser } from 'playwright-core'
import { launch } from '../e2e/browser.ts'
import type { BenchSection } from './assist.ts'
import type { TranscribeBench } from './transcribe.page.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const SECONDS = 34
// CPU and WebGL are an order slower: they get the first 10 s, which says as much about speed.
type Run = [backend: TranscribeBench['backend'], seconds: number, threads?: number]
const PLAN: Run[] = [
  ['wasm', SECONDS],
  ['cpu', 10],
  ['webgl', 10],
]

/** The pages' headers that make them cross-origin isolated, so WASM may run on threads. */
export const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

const line = (where: string, r: TranscribeBench) =>
  `${where.padEnd(8)} ${r.backend.padEnd(6)} ${r.threads} thread${r.threads === 1 ? ' ' : 's'}` +
  `${r.isolated ? ' isolated' : ''}  ${r.seconds} s audio  load ${r.loadSeconds.toFixed(2)} s` +
  `  infer ${r.inferSeconds.toFixed(2)} s  ${(r.seconds / r.inferSeconds).toFixed(2)}× real time` +
  `  recovered ${(r.recovered * 100).toFixed(0)} %  ${r.raw} raw → ${r.kept} notes` +
  `  (load average ${loadavg()[0]!.toFixed(1)})`

/** A Vite server for the bench page, its pages cross-origin isolated or not. */
async function benchServer(isolated: boolean) {
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'warn',
    cacheDir: 'node_modules/.vite-bench',
    server: {
      host: '127.0.0.1',
      port: 0,
      hmr: false,
      watch: null,
      headers: isolated ? ISOLATION : {},
    },
    optimizeDeps: {
      entries: ['test/bench/transcribe.html'],
      include: [
        '@spotify/basic-pitch',
        '@tensorflow/tfjs',
        '@tensorflow/tfjs-backend-wasm',
        'tonal',
      ],
    },
  })
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('Vite did not start')
  return { url: `http://127.0.0.1:${address.port}/test/bench/transcribe.html`, server }
}

/** The bench page loaded in `browser`; `run` transcribes on it (a fresh worker each time). */
async function benchPage(browser: Browser, url: string) {
  const page = await browser.newPage()
  page.on('pageerror', (err) => console.error('page error:', err.message))
  await page.goto(url)
  await page.waitForFunction(() => 'runBench' in window, undefined, { timeout: 120_000 })
  return ([backend, seconds, threads]: Run) =>
    page.evaluate(
      ([b, s, t]) =>
        (
          window as unknown as {
            runBench: (b: string, s: number, t?: number) => Promise<TranscribeBench>
          }
        ).runBench(b, s, t),
      [backend, seconds, threads] as const,
    )
}

/** basic-pitch in headless Chromium, the studio's worker, on each backend of `plan`. */
export async function inChromium(
  plan = PLAN,
  log = console.log,
  isolated = false,
): Promise<TranscribeBench[]> {
  const browser = await launch()
  const { url, server } = await benchServer(isolated)
  const results: TranscribeBench[] = []
  try {
    const run = await benchPage(browser, url)
    for (const step of plan) {
      try {
        const r = await run(step)
        log(line('chromium', r))
        results.push(r)
      } catch (err) {
        console.log(
          `chromium ${step[0].padEnd(6)} failed: ${(err as Error).message.split('\n')[0]}`,
        )
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }
  return results
}

/** The runs of one round of `threadRounds`: where, and how many threads are asked for. */
const THREAD_PLAN: { isolated: boolean; threads?: number }[] = [
  { isolated: false },
  { isolated: true },
  { isolated: true, threads: 1 },
  { isolated: true, threads: 2 },
  { isolated: true, threads: 4 },
]

/**
 * WASM on the whole melody, in a page served without and one served with cross-origin isolation,
 * alternating run by run for `rounds` rounds so both see the same load. Each figure is also given
 * as a ratio to the same round's run without isolation (the reference); the summary is the median.
 */
async function threadRounds(rounds: number): Promise<string> {
  const browser = await launch()
  const plain = await benchServer(false)
  const isolated = await benchServer(true)
  const ratios = THREAD_PLAN.map((): number[] => [])
  try {
    const runs = {
      false: await benchPage(browser, plain.url),
      true: await benchPage(browser, isolated.url),
    }
    for (let round = 1; round <= rounds; round++) {
      // Each round starts one step later, so no setting always runs first (or under the most load).
      const order = THREAD_PLAN.map((_, k) => (k + round - 1) % THREAD_PLAN.length)
      const speeds: number[] = []
      for (const i of order) {
        const step = THREAD_PLAN[i]!
        const r = await runs[`${step.isolated}`](['wasm', SECONDS, step.threads])
        speeds[i] = r.seconds / r.inferSeconds
        const asked = step.threads ? `asked ${step.threads}` : 'default'
        console.log(`round ${round} ${asked.padEnd(7)} ${line('chromium', r)}`)
      }
      THREAD_PLAN.forEach((_, i) => ratios[i]!.push(speeds[i]! / speeds[0]!))
    }
  } finally {
    await browser.close()
    await plain.server.close()
    await isolated.server.close()
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  return THREAD_PLAN.map(
    (step, i) =>
      `${step.isolated ? 'isolated' : 'plain'} ${step.threads ? `${step.threads}t` : 'default'} ${median(ratios[i]!).toFixed(2)}`,
  ).join(', ')
}

// Node: the same model and post-processing, the weights read from node_modules into memory.
async function inNode(backend: 'wasm' | 'cpu', seconds: number): Promise<TranscribeBench> {
  const tf = await import('@tensorflow/tfjs')
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm')
  if (!(await tf.setBackend(backend))) throw new Error(`no ${backend} backend`)
  await tf.ready()
  const { BasicPitch, noteFramesToTime, outputToNotesPoly } = await import('@spotify/basic-pitch')
  const { TEST_MELODY_TEMPO, testMelody } = await import('../../core/music/testing/melody.ts')
  const { cleanNotes, notesFromBasicPitch, recoveredShare } =
    await import('../../core/music/notes.ts')
  const { THRESHOLDS, MODEL_RATE } = await import('../../web/transcribe/protocol.ts')
  const { melodySamples } = await import('../render/melody-audio.ts')
  const dir = `${root}node_modules/@spotify/basic-pitch/model/`
  const json = JSON.parse(readFileSync(`${dir}model.json`, 'utf8'))
  const bin = readFileSync(`${dir}group1-shard1of1.bin`)
  const t0 = performance.now()
  const model = tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      userDefinedMetadata: json.userDefinedMetadata,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  })
  const pitch = new BasicPitch(model)
  await pitch.model
  const t1 = performance.now()
  const melody = testMelody(TEST_MELODY_TEMPO, 0.5).filter((n) => n.time + n.duration < seconds)
  const audio = melodySamples(melody, seconds, MODEL_RATE)
  const frames: number[][] = []
  const onsets: number[][] = []
  await pitch.evaluateModel(
    audio,
    (f, o) => {
      frames.push(...f)
      onsets.push(...o)
    },
    () => {},
  )
  const t2 = performance.now()
  const raw = notesFromBasicPitch(
    noteFramesToTime(
      outputToNotesPoly(frames, onsets, THRESHOLDS.onset, THRESHOLDS.frame, THRESHOLDS.minFrames),
    ),
  )
  const kept = cleanNotes(raw)
  return {
    backend,
    threads: backend === 'wasm' ? 1 : 0,
    isolated: false,
    seconds,
    loadSeconds: (t1 - t0) / 1000,
    inferSeconds: (t2 - t1) / 1000,
    recovered: recoveredShare(melody, kept),
    raw: raw.length,
    kept: kept.length,
  }
}

/** For bench:assist: transcription × real time in headless Chromium on the WASM backend. */
export const transcriptionSection: BenchSection = {
  name: 'transcription',
  run: async () => {
    const lines: string[] = []
    const [r] = await inChromium([['wasm', SECONDS]], (l) => lines.push(`  ${l}`))
    if (!r) throw new Error(lines.join(' '))
    lines.unshift('transcription, basic-pitch on the 43-note test melody (tfjs WASM, Web Worker):')
    const speed = (r.seconds / r.inferSeconds).toFixed(2)
    return {
      lines,
      summary: `transcription ${speed}× real time (${(r.recovered * 100).toFixed(0)} % notes)`,
    }
  },
}

async function main() {
  // `npm run bench:transcribe -- threads [rounds]`: only the thread comparison.
  if (process.argv[2] === 'threads') {
    const summary = await threadRounds(Number(process.argv[3] ?? 2))
    console.log(`bench:transcribe threads  median speed ÷ plain run: ${summary}`)
    return
  }
  const chromium = await inChromium()
  const threaded = await threadRounds(1)
  const node: TranscribeBench[] = []
  for (const [backend, seconds] of [
    ['wasm', SECONDS],
    ['cpu', 10],
  ] as const) {
    try {
      const r = await inNode(backend, seconds)
      console.log(line('node', r))
      node.push(r)
    } catch (err) {
      console.log(`node     ${backend.padEnd(6)} failed: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  const speed = (rs: TranscribeBench[], b: string) => {
    const r = rs.find((x) => x.backend === b)
    return r ? `${(r.seconds / r.inferSeconds).toFixed(2)}×` : 'n/a'
  }
  const wasm = chromium.find((r) => r.backend === 'wasm')
  console.log(`bench:transcribe  wasm speed ÷ plain run: ${threaded}`)
  console.log(
    `bench:transcribe  chromium wasm ${speed(chromium, 'wasm')} cpu ${speed(chromium, 'cpu')} webgl ${speed(chromium, 'webgl')}` +
      `  node wasm ${speed(node, 'wasm')} cpu ${speed(node, 'cpu')} real time` +
      `  recovered ${wasm ? (wasm.recovered * 100).toFixed(0) : 'n/a'} % of 43 notes`,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
