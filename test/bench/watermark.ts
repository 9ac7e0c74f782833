// `npm run bench:watermark`: the watermark on the demo mix (the five stems summed) and on each stem —
// its SNR, whether it decodes (and the coded bit error rate) after each attack, and embed/detect
// speed as × real time on one core (CPU time of this process). Attacks run through ffmpeg. Figures are printed, not asserted.
// Items: the demo mix, each demo stem, and generated pieces of other styles. Rows "… windows" run
// every window of that length (3 s apart) and give the share that decodes. A false-positive
// sweep over ≥ 2 000 unmarked clips follows. `-- --table` or `-- --false-positives` runs one part.
import { loadavg } from 'node:os'
import { readdirSync } from 'node:fs'
import { CODED_BITS } from '../../core/watermark/code.ts'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import {
  crop,
  decodeFile,
  filter,
  gaussianNoise,
  guitarLike,
  musicLike,
  noiseBursts,
  pianoLike,
  pinkNoise,
  resampleWithFfmpeg,
  sineBass,
  sineChord,
  subBassHeavy,
  transcode,
  type Pcm,
} from '../../core/watermark/test-audio.ts'

const parts = process.argv.slice(2)
const runTable = !parts.includes('--false-positives')
const runFalsePositives = !parts.includes('--table')
/** `--items=mix,piano` limits the table to those items (default: all). */
const only = parts
  .find((p) => p.startsWith('--items='))
  ?.slice(8)
  .split(',')
const load = () => loadavg()[0]!.toFixed(1)

const KEY = 'bench-watermark-key'
const PAYLOAD = 'c0ffee0123456789'
const dir = new URL('../../stems/audio/', import.meta.url).pathname

const seconds = (pcm: Pcm) => pcm.channels[0]!.length / pcm.sampleRate

function withNoise(pcm: Pcm, snrDb: number): Pcm {
  return {
    ...pcm,
    channels: pcm.channels.map((c, i) => {
      let power = 0
      for (const v of c) power += v * v
      const noise = gaussianNoise(c.length, Math.sqrt(power / c.length) / 10 ** (snrDb / 20), 7 + i)
      return c.map((v, j) => v + noise[j]!)
    }),
  }
}

const gain = (pcm: Pcm, db: number): Pcm => ({
  ...pcm,
  channels: pcm.channels.map((c) => c.map((v) => v * 10 ** (db / 20))),
})
const speed = (pcm: Pcm, factor: number) =>
  filter(pcm, `asetrate=${pcm.sampleRate * factor},aresample=${pcm.sampleRate}`)
const middle = (pcm: Pcm, s: number) => crop(pcm, seconds(pcm) / 2 - s / 2, s)
const tempo = (pcm: Pcm, factor: number) => filter(pcm, `atempo=${factor}`)
const pitch = (pcm: Pcm, semitones: number) => {
  const f = 2 ** (semitones / 12)
  return filter(pcm, `asetrate=${pcm.sampleRate * f},aresample=${pcm.sampleRate},atempo=${1 / f}`)
}
const mp3 = (p: Pcm, kbps: number) =>
  transcode(p, ['-c:a', 'libmp3lame', '-b:a', `${kbps}k`], 'mp3')
const aac = (p: Pcm, kbps: number) => transcode(p, ['-c:a', 'aac', '-b:a', `${kbps}k`], 'adts')

/**
 * Attacks, in the issues' order; `windows` rows decode every window of that many seconds (after
 * the attack on the whole file) and report the share that decodes.
 */
const ATTACKS: { name: string; windows?: number; apply: (pcm: Pcm) => Pcm }[] = [
  { name: 'none', apply: (p) => p },
  { name: 'MP3 128k', apply: (p) => transcode(p, ['-c:a', 'libmp3lame', '-b:a', '128k'], 'mp3') },
  { name: 'MP3 64k', apply: (p) => mp3(p, 64) },
  { name: 'AAC 128k', apply: (p) => transcode(p, ['-c:a', 'aac', '-b:a', '128k'], 'adts') },
  { name: 'Vorbis q3', apply: (p) => transcode(p, ['-c:a', 'libvorbis', '-q:a', '3'], 'ogg') },
  { name: 'resample 22.05k', apply: (p) => resampleWithFfmpeg(p, 22050) },
  { name: 'resample 48k', apply: (p) => resampleWithFfmpeg(p, 48000) },
  { name: '−6 dB', apply: (p) => gain(p, -6) },
  { name: '+3 dB limited', apply: (p) => filter(p, 'volume=3dB,alimiter=limit=0.9:level=0') },
  { name: 'noise 30 dB SNR', apply: (p) => withNoise(p, 30) },
  { name: 'noise 20 dB SNR', apply: (p) => withNoise(p, 20) },
  { name: 'crop 10 s', apply: (p) => middle(p, 10) },
  { name: 'crop 7 s', apply: (p) => middle(p, 7) },
  { name: 'crop 5 s', apply: (p) => middle(p, 5) },
  { name: '5 s windows', windows: 5, apply: (p) => p },
  { name: 'MP3 64k 10 s win', windows: 10, apply: (p) => mp3(p, 64) },
  { name: 'AAC 128k 10 s win', windows: 10, apply: (p) => aac(p, 128) },
  { name: 'speed +0.5 %', apply: (p) => speed(p, 1.005) },
  { name: 'speed −0.5 %', apply: (p) => speed(p, 0.995) },
  { name: 'speed +1 %', apply: (p) => speed(p, 1.01) },
  { name: 'speed −1 %', apply: (p) => speed(p, 0.99) },
  { name: 'speed +3 %', apply: (p) => speed(p, 1.03) },
  { name: 'speed −3 %', apply: (p) => speed(p, 0.97) },
  { name: 'speed +5 %', apply: (p) => speed(p, 1.05) },
  { name: 'speed −5 %', apply: (p) => speed(p, 0.95) },
  { name: 'tempo +2 %', apply: (p) => tempo(p, 1.02) },
  { name: 'tempo −2 %', apply: (p) => tempo(p, 0.98) },
  { name: 'tempo +5 %', apply: (p) => tempo(p, 1.05) },
  { name: 'tempo −5 %', apply: (p) => tempo(p, 0.95) },
  { name: 'pitch +1 st', apply: (p) => pitch(p, 1) },
  { name: 'pitch −1 st', apply: (p) => pitch(p, -1) },
  { name: 'MP3 64k + speed +3 %', apply: (p) => speed(mp3(p, 64), 1.03) },
  {
    name: 'reel',
    // A 7 s clip from the middle, sped up 5 %, AAC 96 kbit/s, 3 dB down.
    apply: (p) => gain(aac(speed(middle(p, 7), 1.05), 96), -3),
  },
]
/** Clip lengths tried for "shortest clip": the shortest at which 5 clips from 5 places all decode. */
const SHORT = [3, 3.5, 4, 4.5, 5]

function snrDb(original: Pcm, marked: Float32Array[]): number {
  let signal = 0
  let noise = 0
  original.channels.forEach((c, i) => {
    for (let j = 0; j < c.length; j++) {
      signal += c[j]! * c[j]!
      noise += (marked[i]![j]! - c[j]!) ** 2
    }
  })
  return 10 * Math.log10(signal / noise)
}

const stems = readdirSync(dir)
  .filter((f) => f.endsWith('.mp3'))
  .sort()
  .map((f) => ({ name: f.replace(/\.mp3$/, ''), pcm: decodeFile(dir + f) }))
const length = Math.min(...stems.map((s) => s.pcm.channels[0]!.length))
const sum = [0, 1].map((c) => {
  const out = new Float32Array(length)
  for (const s of stems) for (let i = 0; i < length; i++) out[i]! += s.pcm.channels[c]![i]!
  return out
})
const peak = Math.max(...sum.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)))
if (peak > 0.95) for (const c of sum) for (let i = 0; i < length; i++) c[i]! *= 0.95 / peak
const generated = (
  name: string,
  make: (s: number, rate: number, seed: number) => Float32Array,
) => ({
  name,
  pcm: { channels: [make(40, 44100, 21), make(40, 44100, 22)], sampleRate: 44100 },
})
const items = [
  { name: 'mix', pcm: { channels: sum, sampleRate: 44100 } },
  ...stems,
  generated('piano', pianoLike),
  generated('guitar', guitarLike),
  generated('sub-bass', subBassHeavy),
]

interface Cell {
  ok: boolean
  /** Coded-bit error rate (single rows), or the share of windows decoded (window rows). */
  value: number | null
  speed: number
}
const table = new Map<string, Cell[]>(ATTACKS.map((a) => [a.name, []]))
const loads = new Map<string, string[]>(ATTACKS.map((a) => [a.name, []]))
const snrs: number[] = []
const shortest: string[] = []
let embedSpeed = 0
let detectSpeed = 0
/** Milliseconds of this process's CPU time spent in `run`: on a shared machine, wall time overstates it. */
function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage()
  const value = run()
  const used = process.cpuUsage(start)
  return { value, ms: (used.user + used.system) / 1000 }
}
const cellText = (c: Cell, windows?: number) =>
  windows
    ? `${c.ok ? 'ok' : 'FAIL'} ${((c.value ?? 0) * 100).toFixed(0)}% ${c.speed.toFixed(0)}×`
    : c.ok
      ? `ok ${(c.value! * 100).toFixed(1)}% ${c.speed.toFixed(0)}×`
      : `FAIL ${c.speed.toFixed(0)}×`
const decodes = (pcm: Pcm) => {
  const { value, ms } = cpuMs(() => detectWatermark(pcm.channels, pcm.sampleRate, KEY))
  return { found: value, ok: value.found && value.payload === PAYLOAD, ms }
}

if (runTable)
  for (const item of items.filter((i) => !only || only.includes(i.name))) {
    const { value: marked, ms: embedMs } = cpuMs(() =>
      embedWatermark(item.pcm.channels, item.pcm.sampleRate, PAYLOAD, KEY),
    )
    snrs.push(snrDb(item.pcm, marked))
    const pcm = { channels: marked, sampleRate: item.pcm.sampleRate }
    if (item.name === 'mix') embedSpeed = (seconds(pcm) * 1000) / embedMs
    for (const attack of ATTACKS) {
      const attacked = attack.apply(pcm)
      if (attack.windows) {
        let ok = 0
        let count = 0
        let ms = 0
        for (let from = 0; from + attack.windows <= seconds(attacked); from += 3) {
          const result = decodes(crop(attacked, from, attack.windows))
          count++
          ms += result.ms
          if (result.ok) ok++
        }
        const share = count ? ok / count : 0
        const speed = (count * attack.windows * 1000) / ms
        table.get(attack.name)!.push({ ok: share >= 0.95, value: share, speed })
      } else {
        const result = decodes(attacked)
        if (item.name === 'mix' && attack.name === 'none')
          detectSpeed = (seconds(attacked) * 1000) / result.ms
        const found = result.found
        table.get(attack.name)!.push({
          ok: result.ok,
          value: found.found ? found.bitErrors / CODED_BITS : null,
          speed: (seconds(attacked) * 1000) / result.ms,
        })
      }
      loads.get(attack.name)!.push(load())
      const last = table.get(attack.name)!.at(-1)!
      process.stderr.write(
        `${item.name} · ${attack.name}: ${cellText(last, attack.windows)} (load ${load()})\n`,
      )
    }
    let best = '> 5'
    for (const length of SHORT) {
      let all = true
      for (let k = 0; k < 5 && all; k++)
        all = decodes(crop(pcm, ((seconds(pcm) - length) * (k + 0.5)) / 5, length)).ok
      if (all) {
        best = String(length)
        break
      }
    }
    shortest.push(best)
    process.stderr.write(`${item.name} done (load ${load()})\n`)
  }

const width = 17
const pad = (s: string, n = width) => s.padEnd(n)
if (runTable) {
  const shown = items.filter((i) => !only || only.includes(i.name))
  console.log(pad('attack', 22) + shown.map((i) => pad(i.name)).join('') + 'load')
  console.log(pad('SNR (dB)', 22) + snrs.map((s) => pad(s.toFixed(1))).join(''))
  for (const attack of ATTACKS) {
    const cells = table.get(attack.name)!
    console.log(
      pad(attack.name, 22) +
        cells.map((c) => pad(cellText(c, attack.windows))).join('') +
        loads.get(attack.name)!.join('/'),
    )
  }
  console.log(pad('shortest clip (s)', 22) + shortest.map((s) => pad(s)).join(''))
  console.log(
    '(cells: decoded + coded-bit error rate, or FAIL, then detect × real time on one core; window rows: ' +
      'share of windows 3 s apart that decode, ok at ≥ 95 %; load = 1-min load average after each item)',
  )
}

/** Unmarked clips of every kind the tests can make, checked with the bench key. */
function unmarkedClips(): Pcm[] {
  const rate = 22050
  const mono = (c: Float32Array): Pcm => ({ channels: [c], sampleRate: rate })
  const out: Pcm[] = []
  for (const name of ['bass', 'drums', 'lead', 'pads', 'vox']) {
    const stem = decodeFile(`${dir}${name}.mp3`, 1, rate)
    for (let i = 0; i < 40; i++) out.push(crop(stem, 1 + i * 2.2, 7))
  }
  for (let i = 0; i < 200; i++) out.push(mono(musicLike(7, rate, 1000 + i)))
  for (let i = 0; i < 150; i++) out.push(mono(pianoLike(7, rate, 2000 + i)))
  for (let i = 0; i < 150; i++) out.push(mono(guitarLike(7, rate, 3000 + i)))
  for (let i = 0; i < 150; i++) out.push(mono(subBassHeavy(7, rate, 4000 + i)))
  for (let i = 0; i < 100; i++) out.push(mono(sineBass(7, rate, 5000 + i)))
  for (let i = 0; i < 100; i++) out.push(mono(sineChord(7, rate, 110 + 7 * i)))
  for (let i = 0; i < 100; i++) out.push(mono(noiseBursts(7, rate, 6000 + i)))
  for (let i = 0; i < 200; i++)
    out.push(mono(gaussianNoise(7 * rate, 0.3 / (1 + (i % 40)), 7000 + i)))
  for (let i = 0; i < 200; i++) out.push(mono(pinkNoise(7 * rate, 0.3 / (1 + (i % 40)), 8000 + i)))
  for (let i = 0; i < 50; i++) out.push(mono(new Float32Array(7 * rate)))
  for (let i = 0; i < 50; i++) out.push(mono(gaussianNoise(7 * rate, 1e-5 * (i + 1), 9000 + i)))
  // Marked under other keys (and attacked the ways the table does), read with the bench key.
  for (let k = 0; k < 20; k++) {
    const [other] = embedWatermark(
      [musicLike(40, rate, 500 + k)],
      rate,
      'abcdef0123456789',
      `other-${k}`,
    )
    const marked = mono(other!)
    for (let i = 0; i < 8; i++) out.push(crop(marked, i * 4, 7))
    out.push(speed(crop(marked, 3, 8), 1.03))
    out.push(tempo(crop(marked, 3, 8), 0.98))
  }
  return out
}

let falseDetections = -1
let unmarked = 0
let fpSpeed = 0
if (runFalsePositives) {
  // Interleaved (a stride coprime with the count), so a partial run has seen every kind.
  const all = unmarkedClips()
  const stride = [7919, 7907, 7901].find((p) => all.length % p !== 0)!
  const clips = all.map((_, i) => all[(i * stride) % all.length]!)
  unmarked = clips.length
  falseDetections = 0
  let ms = 0
  let total = 0
  let checked = 0
  for (const clip of clips) {
    const result = decodes(clip)
    ms += result.ms
    total += seconds(clip)
    if (result.found.found) falseDetections++
    if (++checked % 100 === 0)
      process.stderr.write(
        `false positives: ${falseDetections} over ${checked} clips (load ${load()})\n`,
      )
  }
  fpSpeed = (total * 1000) / ms
  console.log(
    `false positives: ${falseDetections} detections over ${unmarked} unmarked clips ` +
      `(detect ${fpSpeed.toFixed(0)}× real time with the full scale search, load ${load()})`,
  )
}

if (runTable) {
  const rows = ATTACKS.flatMap((a) => table.get(a.name)!)
  const mixRow = ATTACKS.map((a) => table.get(a.name)![0]!)
  console.log(
    `summary: decoded ${rows.filter((r) => r.ok).length}/${rows.length} cells ` +
      `(mix ${mixRow.filter((r) => r.ok).length}/${mixRow.length}), ` +
      `SNR min ${Math.min(...snrs).toFixed(1)} dB (mix ${snrs[0]!.toFixed(1)} dB), ` +
      `embed ${embedSpeed.toFixed(0)}× and detect ${detectSpeed.toFixed(0)}× real time (mix, unaltered, CPU time on one core, Node ${process.versions.node})` +
      (falseDetections >= 0
        ? `, ${falseDetections} false detections over ${unmarked} unmarked clips`
        : '') +
      `, load ${load()}`,
  )
}
