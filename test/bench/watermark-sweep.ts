// `npm run bench:watermark-sweep [count]`: the false-detection sweep — `count` (default 2 000)
// unmarked 9 s clips of every kind the tests can make (music-like, piano-like, distorted
// guitar-like, sub-bass heavy, white and pink noise, silence, near silence, other keys' marks) and
// crops of the raw demo stems, each checked with the speed and tempo search on, on the DSP kernels
// (core/dsp) as the worker runs it. Prints detections (the goal is 0), and detection speed as ×
// real time on one core (overall, per kind, and the slowest clip) with the load average beside it,
// against detection at the clip's own speed on the first clips (the reference, same run). The
// slowest clip of each kind is then detected again WARM times: a clip that was slow only the first
// time (JIT, a busy machine) is fast again; a slow path stays slow.
import { loadavg } from 'node:os'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import {
  crop,
  decodeFile,
  filter,
  musicLike,
  type Pcm,
} from '../../core/watermark/testing/audio.ts'
import { CLIP_RATE, sweepClips, type Clip } from '../../core/watermark/testing/unmarked.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'
import { cpuMs } from './cpu.ts'

installDsp()

const KEY = 'false-positive-key'
const count = Number(process.argv[2] ?? 2000)
const WARM = 5
const dir = new URL('../../stems/audio/', import.meta.url).pathname
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

/** A tenth of the clips are crops of the raw demo stems; the rest come from sweepClips. */
function* clips(): Generator<Clip> {
  const stems = ['bass', 'drums', 'lead', 'pads', 'vox'].map((name) => ({
    name,
    pcm: decodeFile(`${dir}${name}.mp3`, 1, CLIP_RATE),
  }))
  const generated = sweepClips(count - Math.floor(count / 10))
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) {
      const stem = stems[Math.floor(i / 10) % stems.length]!
      const seconds = stem.pcm.channels[0]!.length / CLIP_RATE
      const at = ((Math.floor(i / 50) * 3.7) % (seconds - 10)) + 0.5
      yield { kind: `stem ${stem.name}`, pcm: crop(stem.pcm, at, 9) }
    } else yield generated.next().value as Clip
  }
}

const seconds = (pcm: Pcm) => pcm.channels[0]!.length / pcm.sampleRate
const kinds = new Map<
  string,
  { clips: number; found: number; ms: number; seconds: number; slowest: number; clip: Pcm | null }
>()
const reference = { ms: 0, seconds: 0 }
let done = 0
let detections = 0
// Warm-up (JIT) on a marked clip sped up 4 %, which runs every path of the search, so that no
// clip is timed on code run for the first time (a worker's isolate is warm after its first).
const warm = musicLike(9, CLIP_RATE, 7)
const sped = filter(
  { channels: embedWatermark([warm], CLIP_RATE, 'c0ffee0123456789', KEY), sampleRate: CLIP_RATE },
  `asetrate=${CLIP_RATE * 1.04},aresample=${CLIP_RATE}`,
)
if (!detectWatermark(sped.channels, CLIP_RATE, KEY).found) throw new Error('warm-up clip not read')
for (const { kind, pcm } of clips()) {
  if (done < 50) {
    reference.ms += cpuMs(() =>
      detectWatermark(pcm.channels, pcm.sampleRate, KEY, { speedSearch: false }),
    )
    reference.seconds += seconds(pcm)
  }
  let found = false
  const ms = cpuMs(() => (found = detectWatermark(pcm.channels, pcm.sampleRate, KEY).found))
  const row = kinds.get(kind) ?? { clips: 0, found: 0, ms: 0, seconds: 0, slowest: 0, clip: null }
  if (ms > row.slowest) Object.assign(row, { slowest: ms, clip: pcm })
  row.clips++
  row.found += found ? 1 : 0
  row.ms += ms
  row.seconds += seconds(pcm)
  kinds.set(kind, row)
  if (found) console.log(`DETECTION in clip ${done} (${kind})`)
  if (found) detections++
  if (++done % 100 === 0) console.log(`${done} clips, ${detections} detections, load ${load()}`)
}
const rt = (s: number, ms: number) => `${((s * 1000) / ms).toFixed(0)}×`
console.log(
  'kind'.padEnd(16) +
    'clips'.padEnd(8) +
    'found'.padEnd(8) +
    'detect × RT'.padEnd(14) +
    'slowest clip'.padEnd(20) +
    `the same clip again ×${WARM}: fastest, median (load)`,
)
let slowestWarm = 0
for (const [kind, r] of kinds) {
  const clip = r.clip!
  const again = Array.from({ length: WARM }, () =>
    cpuMs(() => detectWatermark(clip.channels, clip.sampleRate, KEY)),
  ).sort((a, b) => a - b)
  const median = again[Math.floor(WARM / 2)]!
  slowestWarm = Math.max(slowestWarm, median)
  const s = seconds(clip)
  console.log(
    kind.padEnd(16) +
      String(r.clips).padEnd(8) +
      String(r.found).padEnd(8) +
      rt(r.seconds, r.ms).padEnd(14) +
      `${r.slowest.toFixed(0)} ms ${rt(s, r.slowest)}`.padEnd(20) +
      `${again[0]!.toFixed(0)} ms ${rt(s, again[0]!)}, ${median.toFixed(0)} ms ${rt(s, median)} (${load()})`,
  )
}
const all = [...kinds.values()].reduce(
  (a, r) => ({
    clips: a.clips + r.clips,
    found: a.found + r.found,
    ms: a.ms + r.ms,
    s: a.s + r.seconds,
    slowest: Math.max(a.slowest, r.slowest),
  }),
  { clips: 0, found: 0, ms: 0, s: 0, slowest: 0 },
)
console.log(
  `summary: ${all.found} detections in ${all.clips} unmarked 9 s clips with the speed and tempo search on, ` +
    `detect ${rt(all.s, all.ms)} real time, slowest clip ${all.slowest.toFixed(0)} ms (${rt(9, all.slowest)}), ` +
    `slowest kind's slowest clip again (median of ${WARM}) ${slowestWarm.toFixed(0)} ms (${rt(9, slowestWarm)}) ` +
    `(own speed only, first 50 clips, same run: ${rt(reference.seconds, reference.ms)}), ` +
    `CPU time on one core, load average ${load()}`,
)
