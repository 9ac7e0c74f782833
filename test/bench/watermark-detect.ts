// `node test/bench/watermark-detect.ts [reference detect.ts …]`: what detection with the speed and tempo
// search costs on 9 s clips as exports are heard (44.1 kHz stereo): unmarked crops of the demo
// stems and generated music (each pays for the whole search), and marked clips that were sped up,
// time-stretched and re-encoded (6 s and 9 s; the done-when is the 6 s clips sped up 3–5 %
// and re-encoded as AAC or MP3, cut from the marked demo mix). Detection runs on the DSP kernels
// (core/dsp), as the worker runs it. Prints CPU ms per clip and × real time on one core, beside
// references measured in the same run (detection at the clip's own speed, the same search on the
// JS reference the kernels replace, and other builds of detect.ts named by path — say main's),
// with the load average beside each.
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import {
  crop,
  decodeFile,
  filter,
  musicLike,
  transcode,
  type Pcm,
} from '../../core/watermark/testing/audio.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'
import { withoutDsp } from '../../core/dsp/kernels.ts'
import { cpuMs } from './cpu.ts'

installDsp()

const KEY = 'bench-watermark-key'
const PAYLOAD = 'c0ffee0123456789'
const dir = new URL('../../stems/audio/', import.meta.url).pathname
/** Other builds of detect.ts named on the command line (say main's), timed beside this one. */
const references = await Promise.all(
  process.argv.slice(2).map(async (path) => {
    const module = (await import(pathToFileURL(path).href)) as {
      detectWatermark: typeof detectWatermark
    }
    return [path, module.detectWatermark] as const
  }),
)
references.forEach(([path], i) => console.log(`reference ${i + 1}: ${path}`))
const ROUNDS = Number(process.env.ROUNDS ?? 3)

const load = () => loadavg()[0]!.toFixed(1)
const seconds = (pcm: Pcm) => pcm.channels[0]!.length / pcm.sampleRate
const speed = (pcm: Pcm, factor: number) =>
  filter(pcm, `asetrate=${pcm.sampleRate * factor},aresample=${pcm.sampleRate}`)
const mp3 = (pcm: Pcm, rate: string) => transcode(pcm, ['-c:a', 'libmp3lame', '-b:a', rate], 'mp3')
const stereo = (mono: Float32Array): Pcm => ({ channels: [mono, mono.slice()], sampleRate: 44100 })

const unmarked: [string, Pcm][] = [
  ...['bass', 'drums', 'lead', 'pads', 'vox'].map(
    (name, i) =>
      [`stem ${name}`, crop(decodeFile(`${dir}${name}.mp3`), 20 + 7 * i, 9)] as [string, Pcm],
  ),
  ['music-like', stereo(musicLike(9, 44100, 21))],
]
const host = stereo(musicLike(40, 44100, 31))
const marked = { channels: embedWatermark(host.channels, 44100, PAYLOAD, KEY), sampleRate: 44100 }
/** The demo mix as an export is made of it: the five stems summed (40 s of them), marked. */
const mix = (() => {
  const stems = ['bass', 'drums', 'lead', 'pads', 'vox'].map((n) =>
    crop(decodeFile(`${dir}${n}.mp3`), 0, 40),
  )
  const sum = [0, 1].map((c) => {
    const out = new Float32Array(stems[0]!.channels[0]!.length)
    for (const s of stems) s.channels[c]!.forEach((v, i) => (out[i]! += v))
    return out
  })
  // As bench:watermark mixes them: scaled to a 0.95 peak if the sum goes over.
  const peak = Math.max(...sum.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)))
  if (peak > 0.95) for (const c of sum) c.forEach((v, i) => (c[i] = (v * 0.95) / peak))
  return { channels: embedWatermark(sum, 44100, PAYLOAD, KEY), sampleRate: 44100 }
})()
const aac = (pcm: Pcm, rate: string) => transcode(pcm, ['-c:a', 'aac', '-b:a', rate], 'adts')
const markedClips: [string, Pcm][] = [
  ['6 s mix, speed +3 %, MP3 128k', mp3(speed(crop(mix, 13, 6), 1.03), '128k')],
  ['6 s mix, speed +4 %, AAC 128k', aac(speed(crop(mix, 21, 6), 1.04), '128k')],
  ['6 s mix, speed +5 %, AAC 96k', aac(speed(crop(mix, 5, 6), 1.05), '96k')],
  ['6 s mix, speed +5 %, MP3 64k', mp3(speed(crop(mix, 30, 6), 1.05), '64k')],
  ['9 s, MP3 64k + speed +3 %', speed(mp3(crop(marked, 10, 9), '64k'), 1.03)],
  ['9 s, tempo +4 %, MP3 128k', mp3(filter(crop(marked, 10, 9), 'atempo=1.04'), '128k')],
  [
    '6 s, speed −2 %, AAC 96k',
    transcode(speed(crop(marked, 12, 6), 0.98), ['-c:a', 'aac', '-b:a', '96k'], 'adts'),
  ],
]

type Detect = typeof detectWatermark
const variants: [string, Detect, object][] = [
  ['own speed (reference)', detectWatermark, { speedSearch: false }],
  ['search', detectWatermark, {}],
  [
    'search, JS (reference)',
    (channels, rate, key, options) =>
      withoutDsp(() => detectWatermark(channels, rate, key, options)),
    {},
  ],
  ...references.map(([, detect], i): [string, Detect, object] => [
    `search, reference ${i + 1}`,
    detect,
    {},
  ]),
]
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

for (const [, detect] of variants) detect(unmarked[0]![1].channels, 44100, KEY) // warm-up
/** Per variant: all clips timed, and the slowest unmarked clip (× real time). */
const totals = new Map(variants.map(([name]) => [name, { ms: 0, s: 0, slowest: Infinity }]))
/** The done-when: the most CPU a 6 s sped-up re-encoded clip of the mix took, and how many were named. */
const doneWhen = { ms: 0, named: 0, clips: 0 }
for (const [group, clips] of [
  ['unmarked', unmarked],
  ['marked', markedClips],
] as const) {
  for (const [name, pcm] of clips) {
    const cells: string[] = []
    for (const [variant, detect, options] of variants) {
      const times: number[] = []
      let found = ''
      for (let r = 0; r < ROUNDS; r++)
        times.push(
          cpuMs(() => {
            try {
              const d = detect(pcm.channels, pcm.sampleRate, KEY, options)
              found = d.found ? (d.payload === PAYLOAD ? 'ok' : 'WRONG') : '-'
            } catch {
              found = 'THREW'
            }
          }),
        )
      const ms = median(times)
      const total = totals.get(variant)!
      if (group === 'unmarked' || variant !== variants[0]![0]) {
        total.ms += ms
        total.s += seconds(pcm)
      }
      const rt = (seconds(pcm) * 1000) / ms
      if (group === 'unmarked') total.slowest = Math.min(total.slowest, rt)
      if (variant === 'search' && name.startsWith('6 s mix')) {
        doneWhen.ms = Math.max(doneWhen.ms, ms)
        doneWhen.named += found === 'ok' ? 1 : 0
        doneWhen.clips++
      }
      cells.push(
        `${variant}: ${ms.toFixed(0).padStart(4)} ms ${rt.toFixed(0).padStart(3)}× ${found}`,
      )
    }
    console.log(`${group} ${name}`.padEnd(36) + cells.join(' | ') + `  load ${load()}`)
  }
}
console.log(
  'summary (all clips; own speed: unmarked only): ' +
    [...totals]
      .map(
        ([v, t]) =>
          `${v} ${((t.s * 1000) / t.ms).toFixed(0)}× RT (slowest unmarked ${t.slowest.toFixed(0)}×)`,
      )
      .join(', ') +
    `; 6 s clips of the mix sped up 3–5 % and re-encoded: ${doneWhen.named}/${doneWhen.clips} named, ` +
    `at most ${doneWhen.ms.toFixed(0)} ms CPU each` +
    `, median of ${ROUNDS}, CPU time on one core, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
)
