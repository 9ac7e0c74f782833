// `npm run bench:ingest`: an artist drops 8 stems × 4 minutes of 24-bit 48 kHz stereo WAV on a
// draft campaign, through the real worker (the production build served by `vite preview`: workerd,
// local D1, R2 and Queues). Measured from the first upload request to every stem ready (rendition
// and peaks served): seconds, MB/s of masters, and the peak resident memory of the workerd process.
// Before that, in this process, the ingest's stages run one by one over the first stem (CPU time
// each), and the native encoder (`ffmpeg -b:a 192k`, LAME) encodes the same file: the ratio of the
// two throughputs is the last line. Like with like: both encoders are LAME 3.100 at its defaults
// (algorithm quality 3, joint stereo, no resampling: 48 kHz in and out) at 192 kbit/s CBR, and the
// native run decodes the same WAV on one thread; the two MP3s' sizes and their SNR against the
// source are printed to show it. The stages and the native encoder run in alternate rounds and
// each counts its least CPU time (see ROUNDS). What caps the ratio is the encoder: the same LAME
// compiled to wasm, slower evenly across its functions (no hot spot in a profile); block size,
// Liftoff and the copies into wasm memory change nothing measurable, and LAME built here with
// clang 14 -O3 -msimd128 (-ffast-math) was no faster than wasm-media-encoders' build. LAME's VBR
// (mtrh) is faster than its CBR in wasm, but faster still natively: test/bench/ingest-encoders.ts
// compares the two at the same settings (CBR 192 and -q:a 0–4).
// Figures are printed beside the load average; nothing is asserted. The WAVs are made before any
// clock starts.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { LoudnessMeter } from '../../core/analysis/loudness.ts'
import { bytesSource, readMasterInfo } from '../../core/audio/container.ts'
import { Decimator } from '../../core/lib/dsp/decimate.ts'
import { AnalysisCopy, LevelMeter, PeaksBuilder, renditionRate } from '../../core/audio/ingest.ts'
import { MasterStream } from '../../core/audio/master-stream.ts'
import { encodeWav } from '../../core/audio/wav.ts'
import { createMp3EncoderFrom } from '../../worker/audio/lame.ts'
import { extractWasm } from '../../scripts/extract-wasm.ts'
import type { AuthorCampaign, AuthorStem, UploadView } from '../../core/api/authoring.ts'
import { decodeFile } from '../../core/watermark/testing/audio.ts'
import startApp from '../e2e/server.ts'
import { workerdRssKb } from './workerd-memory.ts'

const STEMS = 8
const SECONDS = 4 * 60
const RATE = 48000
/**
 * Parts in flight at once, across all files, as a browser keeps a few connections busy. (They
 * used to be reset while an ingest ran: its synchronous slices outlasted workerd's 5 s keep-alive
 * idle timeout on this busy machine; see worker/ingest/stream-master.ts.)
 */
const CONNECTIONS = 4
/** Frames per block, as the worker's ingest (worker/ingest/stream-master.ts). */
const BLOCK_FRAMES = 1 << 13

const load = () => `load ${loadavg()[0]!.toFixed(1)}`

/** Requests sent again after the connection failed (as the browser's uploader does), counted. */
let resends = 0
/** Parts and completions vite preview answered 5xx for (it could not reach workerd), sent again. */
let proxyResends = 0

/**
 * Sends an idempotent request (a part, a completion), once more if the connection to the local
 * server (vite preview, Node) was closed under it: on this loaded machine a keep-alive socket can
 * be closed by the server just as the client reuses it. With `proxyErrors`, also sends it again
 * when vite preview itself answers 5xx (its HTML error page, "fetch failed": its connection to
 * workerd was dropped while the one thread ran a long synchronous step); the worker's own errors
 * are JSON and are returned as they are.
 */
async function resent(
  send: () => Promise<Response>,
  { proxyErrors = false } = {},
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response
    try {
      res = await send()
    } catch (err) {
      if (attempt >= 3) throw err
      resends++
      continue
    }
    const fromProxy =
      res.status >= 500 && (res.headers.get('content-type') ?? '').startsWith('text/html')
    if (!proxyErrors || !fromProxy || attempt >= 3) return res
    proxyResends++
    await res.body?.cancel()
    await new Promise((r) => setTimeout(r, 250))
  }
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A stem that keeps the MP3 encoder honest: a chord per stem, a slow tremolo, a little noise. */
function stemWav(index: number): Uint8Array {
  const frames = SECONDS * RATE
  let seed = index + 1
  const channels = [0, 1].map((ch) => {
    const pcm = new Float32Array(frames)
    const hz = 55 * 2 ** ((index * 5 + ch * 7) / 12)
    for (let i = 0; i < frames; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const t = i / RATE
      const tremolo = 0.6 + 0.4 * Math.sin(2 * Math.PI * (0.5 + index / 8) * t)
      pcm[i] =
        0.25 *
          tremolo *
          (Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(2 * Math.PI * hz * 1.5 * t)) +
        0.02 * ((seed / 2 ** 32) * 2 - 1)
    }
    return pcm
  })
  return encodeWav(channels, RATE, { encoding: 'pcm24' })
}

const made = performance.now()
const files = Array.from({ length: STEMS }, (_, i) => stemWav(i))
const totalBytes = files.reduce((n, f) => n + f.length, 0)
console.log(
  `input: ${STEMS} stems × ${SECONDS / 60} min of 24-bit ${RATE / 1000} kHz stereo WAV, ` +
    `${(totalBytes / 1e6).toFixed(1)} MB, made in ${((performance.now() - made) / 1000).toFixed(1)} s`,
)

/** CPU seconds (user + system) of `run`. */
async function cpuOf(run: () => Promise<void> | void): Promise<number> {
  const before = process.cpuUsage()
  await run()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1e6
}

/** Runs the ingest's stages over one master, each alone over the whole file: CPU seconds each,
 *  the decoded source and the wasm encoder's MP3. */
async function stagesOf(
  bytes: Uint8Array,
): Promise<{ stages: Map<string, number>; source: Float32Array[]; mp3: Uint8Array }> {
  const info = await readMasterInfo(bytesSource(bytes), bytes.length)
  const channels = info.channels
  const block = Array.from({ length: channels }, () => new Float32Array(BLOCK_FRAMES))
  const decoded: Float32Array[][] = []
  const stages = new Map<string, number>()
  stages.set(
    'read + decode',
    await cpuOf(async () => {
      const stream = new MasterStream(bytesSource(bytes), bytes.length, info, 1 << 17)
      for (;;) {
        const n = await stream.next(block)
        if (n === 0) break
        decoded.push(block.map((c) => c.slice(0, n)))
      }
    }),
  )
  const each = (name: string, add: (b: Float32Array[], n: number) => void, end: () => unknown) =>
    cpuOf(() => {
      for (const b of decoded) add(b, b[0]!.length)
      end()
    }).then((s) => stages.set(name, s))
  stages.set(
    'SHA-256',
    await cpuOf(() => {
      const hash = createHash('sha256')
      for (let at = 0; at < bytes.length; at += 786432) hash.update(bytes.subarray(at, at + 786432))
      hash.digest()
    }),
  )
  const peaks = new PeaksBuilder(channels, info.sampleRate)
  await each(
    'peaks',
    (b, n) => peaks.add(b, n),
    () => peaks.result(),
  )
  const levels = new LevelMeter()
  await each(
    'levels',
    (b, n) => levels.add(b, n),
    () => levels.result(),
  )
  const loudness = new LoudnessMeter(channels, info.sampleRate, info.lengthSamples)
  await each(
    'loudness (R128 + true peak)',
    (b, n) => loudness.add(b, n),
    () => loudness.result(),
  )
  const copy = new AnalysisCopy(channels, info.sampleRate, info.lengthSamples, BLOCK_FRAMES)
  await each(
    'analysis copy',
    (b, n) => copy.add(b, n),
    () => copy.bytes(),
  )
  const { rate, factor } = renditionRate(info.sampleRate)
  const decimator = new Decimator(factor, channels, BLOCK_FRAMES)
  const wasm = new WebAssembly.Module(
    readFileSync(new URL('../../worker/wasm/lame-mp3.wasm', import.meta.url)),
  )
  const encoder = await createMp3EncoderFrom(wasm, { sampleRate: rate, channels: 2, kbps: 192 })
  const mp3 = new Uint8Array(bytes.length) // far more than 192 kbit/s of 24-bit PCM needs
  let mp3Bytes = 0
  const keep = (out: Uint8Array) => {
    mp3.set(out, mp3Bytes)
    mp3Bytes += out.length
  }
  await each(
    ENCODER,
    (b, n) => {
      const low = decimator.process(b, n)
      keep(encoder.encode(low.channels.map((c) => c.subarray(0, low.length))))
    },
    () => keep(encoder.finish()),
  )
  const source = Array.from({ length: channels }, (_, c) => {
    const pcm = new Float32Array(info.lengthSamples)
    let at = 0
    for (const b of decoded) {
      pcm.set(b[c]!, at)
      at += b[c]!.length
    }
    return pcm
  })
  return { stages, source, mp3: mp3.subarray(0, mp3Bytes) }
}

const ENCODER = 'MP3 192 kbit/s (LAME, wasm)'

/**
 * SNR in dB of a decoded MP3 against its source, after the decoder's and encoder's delay (found as
 * the shift, up to two frames, that best matches the first second; the native file's LAME tag lets
 * ffmpeg remove it, the wasm encoder writes no tag).
 */
function snrDb(source: Float32Array[], path: string, sampleRate: number): number {
  const decoded = decodeFile(path, source.length, sampleRate).channels
  const probe = Math.min(sampleRate, source[0]!.length)
  let best = 0
  let bestError = Infinity
  for (let shift = 0; shift <= 2304; shift++) {
    let error = 0
    for (let c = 0; c < source.length; c++)
      for (let i = 0; i < probe; i++) {
        const e = (decoded[c]![i + shift] ?? 0) - source[c]![i]!
        error += e * e
      }
    if (error < bestError) [best, bestError] = [shift, error]
  }
  let signal = 0
  let noise = 0
  for (let c = 0; c < source.length; c++)
    for (let i = 0; i < source[c]!.length; i++) {
      const x = source[c]![i]!
      const e = (decoded[c]![i + best] ?? 0) - x
      signal += x * x
      noise += e * e
    }
  return 10 * Math.log10(signal / noise)
}

/**
 * The native encoder on the same file: CPU seconds (ffmpeg's own -benchmark utime + stime, which
 * include reading and decoding the WAV), wall seconds, and its MP3.
 */
function nativeEncode(bytes: Uint8Array): { cpu: number; wall: number; mp3: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'stemfair-bench-'))
  try {
    writeFileSync(join(dir, 'stem.wav'), bytes)
    const started = performance.now()
    const run = spawnSync(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-benchmark',
        '-y',
        '-threads',
        '1',
        '-i',
        join(dir, 'stem.wav'),
        '-c:a',
        'libmp3lame',
        '-b:a',
        '192k',
        join(dir, 'stem.mp3'),
      ],
      { encoding: 'utf8' },
    )
    const wall = (performance.now() - started) / 1000
    if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr}`)
    const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(run.stderr)
    if (!m) throw new Error('ffmpeg printed no -benchmark line')
    return { cpu: Number(m[1]) + Number(m[2]), wall, mp3: readFileSync(join(dir, 'stem.mp3')) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** SNR in dB of an MP3 (written to a temporary file for ffmpeg to decode) against its source. */
function snrOf(source: Float32Array[], mp3: Uint8Array): number {
  const dir = mkdtempSync(join(tmpdir(), 'stemfair-bench-'))
  try {
    writeFileSync(join(dir, 'x.mp3'), mp3)
    return snrDb(source, join(dir, 'x.mp3'), RATE)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Rounds of (the ingest's stages, then the native encoder), alternated: on this shared machine
 * either side can be slowed for seconds by its neighbours, so each figure is its least CPU time
 * over the rounds (the cost with the least interference), and the spread is printed.
 */
const ROUNDS = Math.max(1, Number(process.env.INGEST_ROUNDS ?? 3))

await extractWasm()
const stemMb = files[0]!.length / 1e6
const stageRounds: Map<string, number>[] = []
const nativeRounds: { cpu: number; wall: number; mp3: Uint8Array }[] = []
let ours = await stagesOf(files[0]!)
for (let round = 0; round < ROUNDS; round++) {
  if (round > 0) ours = await stagesOf(files[0]!)
  stageRounds.push(ours.stages)
  nativeRounds.push(nativeEncode(files[0]!))
}
const { source, mp3 } = ours
const least = (xs: number[]) => Math.min(...xs)
const spread = (xs: number[]) =>
  `${least(xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} s over ${xs.length} rounds`
const stages = new Map(
  [...ours.stages.keys()].map((k) => [k, least(stageRounds.map((r) => r.get(k)!))]),
)
const stageTotal = [...stages.values()].reduce((a, b) => a + b, 0)
console.log(
  `ingest stages over one stem (${stemMb.toFixed(1)} MB, ${SECONDS / 60} min), least CPU of ${ROUNDS} rounds each, in Node:`,
)
for (const [name, cpu] of stages)
  console.log(
    `  ${name.padEnd(30)} ${cpu.toFixed(2).padStart(6)} s  ${(stemMb / cpu).toFixed(0).padStart(5)} MB/s  ${((100 * cpu) / stageTotal).toFixed(0).padStart(3)} %  (${load()})`,
  )
console.log(
  `  ${'all stages'.padEnd(30)} ${stageTotal.toFixed(2).padStart(6)} s  ${(stemMb / stageTotal).toFixed(1).padStart(5)} MB/s  (${load()})`,
)
const nativeCpu = least(nativeRounds.map((r) => r.cpu))
const nativeMp3 = nativeRounds.at(-1)!.mp3
console.log(
  `native encoder, same file: ffmpeg -threads 1 -c:a libmp3lame -b:a 192k ${nativeCpu.toFixed(2)} s CPU ` +
    `(${spread(nativeRounds.map((r) => r.cpu))}; ${least(nativeRounds.map((r) => r.wall)).toFixed(2)} s wall) = ${(stemMb / nativeCpu).toFixed(1)} MB/s (${load()})`,
)
const wasmCpu = stages.get(ENCODER)!
console.log(
  `  the encoders alone: wasm ${(stemMb / wasmCpu).toFixed(1)} MB/s (${spread(stageRounds.map((r) => r.get(ENCODER)!))}) = ` +
    `${((100 * nativeCpu) / wasmCpu).toFixed(0)} % of native; ` +
    `MP3 ${(mp3.length / 1e6).toFixed(2)} MB wasm, ${(nativeMp3.length / 1e6).toFixed(2)} MB native (with its LAME tag); ` +
    `SNR vs the source ${snrOf(source, mp3).toFixed(1)} dB wasm, ${snrOf(source, nativeMp3).toFixed(1)} dB native (${load()})`,
)

// STEMFAIR_BASE=http://… measures a server already running (with the demo seeded) instead.
let base = process.env.STEMFAIR_BASE ?? ''
const stop = base
  ? () => Promise.resolve()
  : ((await startApp({
      provide: (_k: string, v: string) => (base = v),
    } as never)) as () => Promise<void>)

try {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'artist@stemfair.test', password: 'copper-moons-26' }),
  })
  if (!login.ok) throw new Error(`login failed: ${login.status}`)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const headers = { 'Content-Type': 'application/json', Cookie: cookie }
  const slug = `bench-${Date.now().toString(36)}`
  const { campaign } = await json<{ campaign: AuthorCampaign }>(
    await fetch(`${base}/api/artist/campaigns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ slug, title: 'Ingest bench', description: '' }),
    }),
  )

  let peakRss = workerdRssKb()
  const idleRss = peakRss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, workerdRssKb())), 100)

  const started = performance.now()
  const uploads = await Promise.all(
    files.map(async (bytes, i) => {
      const { upload } = await json<{ upload: UploadView }>(
        await fetch(`${base}/api/artist/campaigns/${campaign.id}/uploads`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ fileName: `Stem ${i + 1}.wav`, size: bytes.length, kind: 'stem' }),
        }),
      )
      return { upload, bytes }
    }),
  )
  const parts = uploads.flatMap(({ upload, bytes }) =>
    Array.from({ length: upload.partCount }, (_, k) => ({ upload, bytes, n: k + 1 })),
  )
  const remaining = new Map(uploads.map(({ upload }) => [upload.id, upload.partCount]))
  const completions: Promise<AuthorStem>[] = []
  const complete = (id: string) =>
    resent(
      () =>
        fetch(`${base}/api/artist/uploads/${id}/complete`, {
          method: 'POST',
          headers: { Cookie: cookie },
        }),
      { proxyErrors: true },
    ).then(async (res) => (await json<{ stem: AuthorStem }>(res)).stem)
  let next = 0
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = next++; i < parts.length; i = next++) {
        const { upload, bytes, n } = parts[i]!
        const body = bytes.subarray((n - 1) * upload.partSize, n * upload.partSize)
        await json(
          await resent(
            () =>
              fetch(`${base}/api/artist/uploads/${upload.id}/parts/${n}`, {
                method: 'PUT',
                headers: { Cookie: cookie },
                body: new Blob([body as Uint8Array<ArrayBuffer>]),
              }),
            { proxyErrors: true },
          ),
        )
        // As the browser does: a file completes (the worker reads its container and queues its
        // ingest) as soon as its last part lands, while the other files still upload.
        const left = remaining.get(upload.id)! - 1
        remaining.set(upload.id, left)
        if (left === 0) completions.push(complete(upload.id))
      }
    }),
  )
  const partsSent = performance.now()
  const stems = await Promise.all(completions)
  const uploaded = performance.now()

  // Polled as the wizard does. A GET the local server answers 5xx (vite preview could not reach
  // workerd: its connection was dropped while the one thread ran a long synchronous step) is
  // counted, printed and sent again, up to 20 times in a row.
  let failedGets = 0
  const get = async (path: string): Promise<Response> => {
    for (let inARow = 0; ; inARow++) {
      const res = await resent(() => fetch(`${base}${path}`, { headers: { Cookie: cookie } }))
      if (res.status < 500 || inARow >= 20) return res
      failedGets++
      await res.body?.cancel()
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  let view = campaign
  for (;;) {
    const res = await get(`/api/artist/campaigns/${campaign.id}`)
    view = (await json<{ campaign: AuthorCampaign }>(res)).campaign
    const failed = view.stems.find((s) => s.status === 'failed')
    if (failed) throw new Error(`stem ${failed.name} failed: ${failed.error}`)
    if (view.stems.length === STEMS && view.stems.every((s) => s.status === 'ready')) break
    await new Promise((r) => setTimeout(r, 250))
  }
  const ready = performance.now()
  clearInterval(sampler)
  peakRss = Math.max(peakRss, workerdRssKb(), workerdRssKb('VmHWM'))

  // Every stem is playable: its rendition and peaks are served (to its artist: a draft's stems
  // reach nobody else).
  let renditionBytes = 0
  for (const s of view.stems) {
    const audio = await get(`${s.audioUrl}`)
    const mp3 = new Uint8Array(await audio.arrayBuffer())
    if (audio.headers.get('content-type') !== 'audio/mpeg' || mp3.length < 1000)
      throw new Error(`stem ${s.name} has no rendition`)
    renditionBytes += mp3.length
    const peaks = (await json<{ length: number }>(await get(`${s.peaksUrl}`))).length
    if (peaks !== SECONDS * RATE) throw new Error(`stem ${s.name} has peaks of ${peaks} samples`)
  }

  const total = (ready - started) / 1000
  const upload = (uploaded - started) / 1000
  const sending = (partsSent - started) / 1000
  const mb = totalBytes / 1e6
  console.log(
    `upload: ${stems.length} files in ${parts.length} parts of 8 MiB over ${CONNECTIONS} connections ` +
      `in ${sending.toFixed(1)} s = ${(mb / sending).toFixed(1)} MB/s, all completed (containers read) ` +
      `after ${upload.toFixed(1)} s; ingests ran meanwhile; ${resends} request(s) sent again after a ` +
      `connection failure, ${proxyResends} part(s) or completion(s) answered 5xx by vite preview ` +
      `and sent again; ${failedGets} GET(s) answered 5xx and sent again (${load()})`,
  )
  console.log(
    `ingest: all ${STEMS} stems ready ${((ready - uploaded) / 1000).toFixed(1)} s after the last completion; ` +
      `renditions ${(renditionBytes / 1e6).toFixed(1)} MB (${load()})`,
  )
  console.log(
    `workerd resident memory: ${(idleRss / 1024).toFixed(0)} MB idle, ${(peakRss / 1024).toFixed(0)} MB peak (${load()})`,
  )
  console.log(
    `drop → all playable: ${STEMS} × ${SECONDS / 60} min 24-bit WAV (${mb.toFixed(0)} MB) in ${total.toFixed(1)} s ` +
      `= ${(mb / total).toFixed(1)} MB/s, ${(total / STEMS).toFixed(1)} s a stem (${load()})`,
  )
  const ingestMbps = stemMb / stageTotal
  const nativeMbps = stemMb / nativeCpu
  console.log(
    `bench:ingest: one stem's whole ingest ${ingestMbps.toFixed(1)} MB/s of CPU vs native encoder ` +
      `${nativeMbps.toFixed(1)} MB/s on the same file = ${((100 * ingestMbps) / nativeMbps).toFixed(0)} % of native ` +
      `(${load()})`,
  )
} finally {
  await stop()
}
