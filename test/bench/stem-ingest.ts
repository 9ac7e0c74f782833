// `npm run bench:ingest`: an artist drops 8 stems × 4 minutes of 24-bit 48 kHz stereo WAV on a
// draft campaign, through the real worker (the production build served by `vite preview`: workerd,
// local D1, R2 and Queues). Measured from the first upload request to every stem ready (rendition
// and peaks served): seconds, MB/s of masters, and the peak resident memory of the workerd process.
// Figures are printed; nothing is asserted. The WAVs are made before the clock starts.
import { readdirSync, readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { encodeWav } from '../../core/audio/wav.ts'
import type { AuthorCampaign, AuthorStem } from '../../core/campaign/views.ts'
import type { UploadView } from '../../core/campaign/views.ts'
import startApp from '../e2e/server.ts'

const STEMS = 8
const SECONDS = 4 * 60
const RATE = 48000
/**
 * Parts in flight at once. A browser would keep a few connections busy; against the local R2
 * simulator (miniflare), concurrent 8 MiB parts drop its connection ("Network connection lost").
 */
const CONNECTIONS = 1

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

/**
 * Resident memory (kB) of the workerd processes started under this one (or the one named by
 * STEMFAIR_WORKERD_PID when measuring a running server): now (VmRSS) or its high-water mark (VmHWM).
 */
function workerdRssKb(field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const named = Number(process.env.STEMFAIR_WORKERD_PID)
  if (named) return statusKb(named, field)
  const parents = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close))
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]))
    } catch {
      // exited meanwhile
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true
    return false
  }
  let total = 0
  for (const [pid, name] of names) {
    if (!name.startsWith('workerd') || !ours(pid)) continue
    total += statusKb(pid, field)
  }
  return total
}

function statusKb(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  } catch {
    return 0 // exited meanwhile
  }
}

const made = performance.now()
const files = Array.from({ length: STEMS }, (_, i) => stemWav(i))
const totalBytes = files.reduce((n, f) => n + f.length, 0)
console.log(
  `input: ${STEMS} stems × ${SECONDS / 60} min of 24-bit ${RATE / 1000} kHz stereo WAV, ` +
    `${(totalBytes / 1e6).toFixed(1)} MB, made in ${((performance.now() - made) / 1000).toFixed(1)} s`,
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
  let next = 0
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = next++; i < parts.length; i = next++) {
        const { upload, bytes, n } = parts[i]!
        const body = bytes.subarray((n - 1) * upload.partSize, n * upload.partSize)
        await json(
          await fetch(`${base}/api/artist/uploads/${upload.id}/parts/${n}`, {
            method: 'PUT',
            headers: { Cookie: cookie },
            body: new Blob([body as Uint8Array<ArrayBuffer>]),
          }),
        )
      }
    }),
  )
  // Every file is in R2: complete them (the worker reads each container and queues its ingest).
  // Completing each file as its last part lands, while others still upload, is what the browser
  // does; locally, R2 uploads and ingest running at once overload the simulated R2 (miniflare),
  // so the bench completes once all parts are in.
  const completions = uploads.map(({ upload }) =>
    fetch(`${base}/api/artist/uploads/${upload.id}/complete`, {
      method: 'POST',
      headers: { Cookie: cookie },
    }).then(async (res) => (await json<{ stem: AuthorStem }>(res)).stem),
  )
  const stems = await Promise.all(completions)
  const uploaded = performance.now()

  let view = campaign
  for (;;) {
    view = (
      await json<{ campaign: AuthorCampaign }>(
        await fetch(`${base}/api/artist/campaigns/${campaign.id}`, { headers: { Cookie: cookie } }),
      )
    ).campaign
    const failed = view.stems.find((s) => s.status === 'failed')
    if (failed) throw new Error(`stem ${failed.name} failed: ${failed.error}`)
    if (view.stems.length === STEMS && view.stems.every((s) => s.status === 'ready')) break
    await new Promise((r) => setTimeout(r, 250))
  }
  const ready = performance.now()
  clearInterval(sampler)
  peakRss = Math.max(peakRss, workerdRssKb(), workerdRssKb('VmHWM'))

  // Every stem is playable: its rendition and peaks are served.
  let renditionBytes = 0
  for (const s of view.stems) {
    const audio = await fetch(`${base}${s.audioUrl}`)
    const mp3 = new Uint8Array(await audio.arrayBuffer())
    if (audio.headers.get('content-type') !== 'audio/mpeg' || mp3.length < 1000)
      throw new Error(`stem ${s.name} has no rendition`)
    renditionBytes += mp3.length
    const peaks = (await json<{ length: number }>(await fetch(`${base}${s.peaksUrl}`))).length
    if (peaks !== SECONDS * RATE) throw new Error(`stem ${s.name} has peaks of ${peaks} samples`)
  }

  const total = (ready - started) / 1000
  const upload = (uploaded - started) / 1000
  const mb = totalBytes / 1e6
  console.log(
    `upload: ${stems.length} files in ${parts.length} parts of 8 MiB over ${CONNECTIONS} connections, ` +
      `completed (containers read) in ${upload.toFixed(1)} s = ${(mb / upload).toFixed(1)} MB/s`,
  )
  console.log(
    `ingest: all ${STEMS} stems ready ${((ready - uploaded) / 1000).toFixed(1)} s after the last completion ` +
      `(${((ready - uploaded) / 1000 / STEMS).toFixed(1)} s a stem: hash, peaks, 192 kbit/s MP3); ` +
      `renditions ${(renditionBytes / 1e6).toFixed(1)} MB`,
  )
  console.log(
    `workerd resident memory: ${(idleRss / 1024).toFixed(0)} MB idle, ${(peakRss / 1024).toFixed(0)} MB peak`,
  )
  console.log(
    `bench:ingest: ${STEMS} × ${SECONDS / 60} min 24-bit WAV (${mb.toFixed(0)} MB) drop → all playable in ${total.toFixed(1)} s ` +
      `= ${(mb / total).toFixed(1)} MB/s (upload ${upload.toFixed(1)} s, ingest ${((ready - uploaded) / 1000).toFixed(1)} s); ` +
      `workerd peak RSS ${(peakRss / 1024).toFixed(0)} MB`,
  )
} finally {
  await stop()
}
