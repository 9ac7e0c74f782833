// `npm run bench:watermark`: the watermark on the demo mix (the five stems summed) and on each stem —
// its SNR, whether it decodes (and the coded bit error rate) after each attack, and embed/detect
// speed as × real time on one core (CPU time of this process), detection on the DSP kernels as the
// worker runs it. Attacks run through ffmpeg. Figures are printed, not asserted.
import { readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { CODED_BITS } from '../../core/watermark/code.ts'
import { detectWatermark } from '../../core/watermark/detect.ts'
import { embedWatermark } from '../../core/watermark/embed.ts'
import {
  crop,
  decodeFile,
  filter,
  gaussianNoise,
  resampleWithFfmpeg,
  stylePiece,
  transcode,
  type Pcm,
  type Style,
} from '../../core/watermark/testing/audio.ts'
import { installDsp } from '../../core/watermark/testing/dsp.ts'

installDsp()

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

/** Attacks, in the order; `stretch` marks the stretch goals. */
const ATTACKS: { name: string; stretch?: boolean; apply: (pcm: Pcm) => Pcm }[] = [
  { name: 'none', apply: (p) => p },
  { name: 'MP3 128k', apply: (p) => transcode(p, ['-c:a', 'libmp3lame', '-b:a', '128k'], 'mp3') },
  { name: 'MP3 64k', apply: (p) => transcode(p, ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3') },
  { name: 'AAC 128k', apply: (p) => transcode(p, ['-c:a', 'aac', '-b:a', '128k'], 'adts') },
  { name: 'Vorbis q3', apply: (p) => transcode(p, ['-c:a', 'libvorbis', '-q:a', '3'], 'ogg') },
  { name: 'resample 22.05k', apply: (p) => resampleWithFfmpeg(p, 22050) },
  { name: 'resample 48k', apply: (p) => resampleWithFfmpeg(p, 48000) },
  { name: '−6 dB', apply: (p) => gain(p, -6) },
  { name: '+3 dB limited', apply: (p) => filter(p, 'volume=3dB,alimiter=limit=0.9:level=0') },
  { name: 'noise 30 dB SNR', apply: (p) => withNoise(p, 30) },
  { name: 'noise 20 dB SNR', apply: (p) => withNoise(p, 20) },
  { name: 'crop 10 s', apply: (p) => middle(p, 10) },
  { name: 'crop 5 s', stretch: true, apply: (p) => middle(p, 5) },
  { name: 'speed +0.5 %', stretch: true, apply: (p) => speed(p, 1.005) },
  { name: 'speed −0.5 %', stretch: true, apply: (p) => speed(p, 0.995) },
  { name: 'crop 7 s', stretch: true, apply: (p) => middle(p, 7) },
  ...[1, -1, 3, -3, 5, -5].map((pct) => ({
    name: `speed ${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`,
    stretch: true,
    apply: (p: Pcm) => speed(p, 1 + pct / 100),
  })),
  ...[2, -2, 5, -5].map((pct) => ({
    // Time-stretched with the pitch kept (WSOLA-like), as DJ software changes tempo.
    name: `tempo ${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`,
    stretch: true,
    apply: (p: Pcm) => filter(p, `atempo=${1 + pct / 100}`),
  })),
  ...[1, -1].map((st) => ({
    // Pitch moved a semitone with the tempo kept: resampled, then time-stretched back.
    name: `pitch ${st > 0 ? '+' : '−'}1 semitone`,
    stretch: true,
    apply: (p: Pcm) =>
      filter(
        p,
        `asetrate=${Math.round(p.sampleRate * 2 ** (st / 12))},aresample=${p.sampleRate},atempo=${2 ** (-st / 12)}`,
      ),
  })),
  {
    name: 'MP3 64k + speed +3 %',
    stretch: true,
    apply: (p) => speed(transcode(p, ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3'), 1.03),
  },
  {
    // A repost: a 7 s clip, sped up 5 %, AAC at 96 kbit/s, 3 dB quieter.
    name: 'reel',
    stretch: true,
    apply: (p) =>
      gain(transcode(speed(middle(p, 7), 1.05), ['-c:a', 'aac', '-b:a', '96k'], 'adts'), -3),
  },
]

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
/** Generated pieces in other styles, as long as the mix, stereo. */
const STYLES: Style[] = ['piano', 'guitar', 'subBass']
const pieces = STYLES.map((style, i) => {
  const mono = stylePiece(style, length / 44100, 44100, 40 + i)
  return { name: style, pcm: { channels: [mono, mono.slice()], sampleRate: 44100 } }
})
/** Items named on the command line (`npm run bench:watermark -- mix piano`), or all of them. */
const only = process.argv.slice(2)
const items = [
  { name: 'mix', pcm: { channels: sum, sampleRate: 44100 } },
  ...stems,
  ...pieces,
].filter((item) => only.length === 0 || only.includes(item.name))

interface Cell {
  ok: boolean
  ber: number | null
}
const table = new Map<string, Cell[]>(ATTACKS.map((a) => [a.name, []]))
/** Per attack: seconds of audio detected and CPU milliseconds spent, over every item. */
const detectTime = new Map(ATTACKS.map((a) => [a.name, { seconds: 0, ms: 0 }]))
const snrs: number[] = []
let embedSpeed = 0
let detectSpeed = 0
/** Milliseconds of this process's CPU time spent in `run`: on a shared machine, wall time overstates it. */
function cpuMs<T>(run: () => T): { value: T; ms: number } {
  const start = process.cpuUsage()
  const value = run()
  const used = process.cpuUsage(start)
  return { value, ms: (used.user + used.system) / 1000 }
}

for (const item of items) {
  const { value: marked, ms: embedMs } = cpuMs(() =>
    embedWatermark(item.pcm.channels, item.pcm.sampleRate, PAYLOAD, KEY),
  )
  snrs.push(snrDb(item.pcm, marked))
  const pcm = { channels: marked, sampleRate: item.pcm.sampleRate }
  for (const attack of ATTACKS) {
    const attacked = attack.apply(pcm)
    const { value: found, ms: detectMs } = cpuMs(() =>
      detectWatermark(attacked.channels, attacked.sampleRate, KEY),
    )
    const time = detectTime.get(attack.name)!
    time.seconds += seconds(attacked)
    time.ms += detectMs
    if (item.name === 'mix' && attack.name === 'none') {
      embedSpeed = (seconds(pcm) * 1000) / embedMs
      detectSpeed = (seconds(pcm) * 1000) / detectMs
    }
    const ok = found.found && found.payload === PAYLOAD
    table.get(attack.name)!.push({ ok, ber: found.found ? found.bitErrors / CODED_BITS : null })
  }
  process.stderr.write(`${item.name} done, load ${loadavg()[0]!.toFixed(1)}\n`)
}

const width = 12
const pad = (s: string, n = width) => s.padEnd(n)
const name = 22
console.log(pad('attack', name) + items.map((i) => pad(i.name)).join('') + 'detect × RT')
console.log(pad('SNR (dB)', name) + snrs.map((s) => pad(s.toFixed(1))).join(''))
for (const attack of ATTACKS) {
  const cells = table.get(attack.name)!
  console.log(
    pad(attack.name + (attack.stretch ? ' *' : ''), name) +
      cells.map((c) => pad(c.ok ? `ok ${(c.ber! * 100).toFixed(1)}%` : 'FAIL')).join('') +
      `${((detectSeconds(attack.name) * 1000) / detectTime.get(attack.name)!.ms).toFixed(0)}×`,
  )
}
function detectSeconds(attack: string): number {
  return detectTime.get(attack)!.seconds
}
const rows = ATTACKS.flatMap((a) => table.get(a.name)!.map((c) => ({ ...c, stretch: a.stretch })))
const core = rows.filter((r) => !r.stretch)
console.log(
  '(cells: decoded + coded-bit error rate, or FAIL; * = stretch goal; detect × RT: CPU time over all items)',
)
console.log(
  `summary: decoded ${rows.filter((r) => r.ok).length}/${rows.length} rows ` +
    `(${core.filter((r) => r.ok).length}/${core.length} excluding stretch goals), ` +
    `SNR min ${Math.min(...snrs).toFixed(1)} dB (mix ${snrs[0]!.toFixed(1)} dB), ` +
    `embed ${embedSpeed.toFixed(0)}× and detect ${detectSpeed.toFixed(0)}× real time (mix, 96 s stereo, CPU time on one core), ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
)
