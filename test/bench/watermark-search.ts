// `node test/bench/watermark-search.ts`: what the speed search costs where it finds nothing — an
// unmarked 30 s clip (music-like, pink noise, a demo stem) pays for the whole search. Prints CPU
// ms and × real time on one core for detection at the clip's own speed (the reference, same run)
// and with the speed search, with the load average.
import { loadavg } from 'node:os'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { RATE } from '../../core/watermark/layout.ts'
import { crop, decodeFile, musicLike, pinkNoise } from '../../core/watermark/testing/audio.ts'
import { cpuMs } from './cpu.ts'

const KEY = 'bench-watermark-key'
const SECONDS = 30
const dir = new URL('../../stems/audio/', import.meta.url).pathname

const load = () => loadavg()[0]!.toFixed(1)
const row = (name: string, ms: number) =>
  `${name.padEnd(34)}${ms.toFixed(0).padStart(7)} ms ${((SECONDS * 1000) / ms).toFixed(0).padStart(5)}× RT  load ${load()}`

const clips: [string, Float32Array][] = [
  ['music-like', musicLike(SECONDS, RATE, 11)],
  ['pink noise', pinkNoise(SECONDS * RATE, 0.1, 12)],
  ['stem bass', crop(decodeFile(`${dir}bass.mp3`, 1, RATE), 5, SECONDS).channels[0]!],
]
detectWatermark([clips[0]![1]], RATE, KEY) // warm-up (JIT, filter banks)
const totals = { plain: 0, search: 0 }
for (const [name, clip] of clips) {
  const plain = cpuMs(() => detectWatermark([clip], RATE, KEY, { speedSearch: false }))
  const search = cpuMs(() => detectWatermark([clip], RATE, KEY))
  totals.plain += plain
  totals.search += search
  console.log(row(`${name}: own speed (reference)`, plain))
  console.log(row(`${name}: with speed search`, search))
}
console.log(
  `summary: unmarked ${SECONDS} s clips, detect ${((clips.length * SECONDS * 1000) / totals.search).toFixed(0)}× real time ` +
    `with the speed search, ${((clips.length * SECONDS * 1000) / totals.plain).toFixed(0)}× at own speed (same run), ` +
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
)
