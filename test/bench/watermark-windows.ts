// `node test/bench/watermark-windows.ts [windows] [seconds] [only]`: how much of a marked file short
// windows still name — the demo mix (the five stems summed, 96 s) is marked once, encoded whole to
// MP3 at 64 kbit/s and to AAC at 128 kbit/s, and `windows` clips of `seconds` (default 20 × 10 s)
// spread evenly over each copy are detected; so are as many 5, 6 and 7 s clips of the uncompressed
// copy. The hop between windows is not a multiple of the block, so the windows fall at every phase
// of it; `only` keeps the rows whose name contains it. Shorter clips (4 and 3 s) find the shortest
// that still decodes. Figures are printed, not asserted; CPU time is this process's, beside the load average.
import { readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import { crop, decodeFile, transcode, type Pcm } from '../../core/watermark/testing/audio.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'

installDsp() // detection on the DSP kernels, as the worker runs it

const KEY = 'bench-watermark-key'
const PAYLOAD = 'c0ffee0123456789'
const WINDOWS = Number(process.argv[2] ?? 20)
const SECONDS = Number(process.argv[3] ?? 10)
const ONLY = process.argv[4] ?? ''
const dir = new URL('../../stems/audio/', import.meta.url).pathname

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage()
  const value = run()
  const used = process.cpuUsage(start)
  return { value, ms: (used.user + used.system) / 1000 }
}

const stems = readdirSync(dir)
  .filter((f) => f.endsWith('.mp3'))
  .sort()
  .map((f) => decodeFile(dir + f))
const length = Math.min(...stems.map((s) => s.channels[0]!.length))
const sum = [0, 1].map((c) => {
  const out = new Float32Array(length)
  for (const s of stems) for (let i = 0; i < length; i++) out[i]! += s.channels[c]![i]!
  return out
})
const peak = Math.max(...sum.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)))
if (peak > 0.95) for (const c of sum) for (let i = 0; i < length; i++) c[i]! *= 0.95 / peak
const rate = 44100
const duration = length / rate

const embedded = cpuMs(() => embedWatermark(sum, rate, PAYLOAD, KEY))
const marked: Pcm = { channels: embedded.value, sampleRate: rate }
let signal = 0
let noise = 0
sum.forEach((c, i) =>
  c.forEach((v, j) => {
    signal += v * v
    noise += (marked.channels[i]![j]! - v) ** 2
  }),
)
console.log(
  `mix ${duration.toFixed(1)} s: SNR ${(10 * Math.log10(signal / noise)).toFixed(1)} dB, ` +
    `embed ${((duration * 1000) / embedded.ms).toFixed(0)}× real time (load ${load()})`,
)

/** Detects `count` clips of `seconds` spread over `pcm`; prints how many name the payload. */
function windows(name: string, pcm: Pcm, count: number, seconds: number): void {
  if (!name.includes(ONLY)) return
  const hop = (duration - seconds) / Math.max(1, count - 1)
  let ok = 0
  let ms = 0
  const marks: string[] = []
  for (let w = 0; w < count; w++) {
    const clip = crop(pcm, w * hop, seconds)
    const { value, ms: spent } = cpuMs(() => detectWatermark(clip.channels, clip.sampleRate, KEY))
    ms += spent
    const hit = value.found && value.payload === PAYLOAD
    if (hit) ok++
    marks.push(hit ? '#' : value.confidence > 0.4 ? '+' : '.')
  }
  console.log(
    `${name.padEnd(24)} ${String(ok).padStart(3)}/${count} ${((100 * ok) / count).toFixed(0).padStart(3)} %  ` +
      `${marks.join('')}  detect ${((count * seconds * 1000) / ms).toFixed(0)}× RT (load ${load()})`,
  )
}

const mp3 = transcode(marked, ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3')
const aac = transcode(marked, ['-c:a', 'aac', '-b:a', '128k'], 'adts')
console.log(
  `(# decoded, + sync seen but not decoded, . nothing; hop ${((duration - SECONDS) / (WINDOWS - 1)).toFixed(2)} s)`,
)
windows(`MP3 64k, ${SECONDS} s`, mp3, WINDOWS, SECONDS)
windows(`AAC 128k, ${SECONDS} s`, aac, WINDOWS, SECONDS)
for (const s of [7, 6, 5, 4, 3]) windows(`uncompressed, ${s} s`, marked, WINDOWS, s)
