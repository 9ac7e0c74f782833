// What each export format costs on top of the render: 60 s of stereo (a chord with noise, about
// music's spectrum) encoded block by block as the export job feeds its files, each timed beside
// the reference measured in the same run, the 16-bit WAV the job always wrote. Plus the embedded
// cover (3000 px PNG → 1500 px JPEG). `node test/bench/export-formats.ts`
import { readFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { TpdfDither } from '../../core/audio/dither.ts'
import { FlacEncoder } from '../../core/audio/flac-encode.ts'
import { wavSamples } from '../../core/audio/wav.ts'
import { embeddedCoverFrom } from '../../core/artwork/cover.ts'
import { encodePng } from '../../core/artwork/png.ts'
import { crc32 } from '../../core/lib/crc32.ts'
import { seededRandom } from '../../core/lib/random.ts'
import { createMp3EncoderFrom } from '../../worker/audio/lame.ts'
import { root } from '../../scripts/state.ts'

const RATE = 44100
const SECONDS = 60
const BLOCK = 4096
const frames = RATE * SECONDS
const random = seededRandom(1)
const audio = [0, 1].map((ch) =>
  Float32Array.from({ length: frames }, (_, i) => {
    const t = i / RATE
    const chord = [220, 277.2, 329.6].reduce((s, f) => s + Math.sin(2 * Math.PI * f * t + ch), 0)
    return 0.2 * chord + 0.05 * (random() - 0.5)
  }),
)

/** Seconds to feed the whole minute, block by block, to `feed`. */
async function timed(feed: (block: Float32Array[]) => unknown | Promise<unknown>) {
  const start = performance.now()
  for (let at = 0; at < frames; at += BLOCK) {
    const n = Math.min(BLOCK, frames - at)
    await feed(audio.map((c) => c.subarray(at, at + n)))
  }
  return (performance.now() - start) / 1000
}

const pcm = new Uint8Array(BLOCK * 8)
const wav = (encoding: 'pcm16' | 'pcm24' | 'float32') => (b: Float32Array[]) =>
  wavSamples(b, 0, b[0]!.length, encoding, pcm)
const noisy = [new Float32Array(BLOCK), new Float32Array(BLOCK)]
const dither = new TpdfDither(7)
const lame = new WebAssembly.Module(await readFile(join(root, 'worker/wasm/lame-mp3.wasm')))
const mp3 = async (kbps: number) => {
  const encoder = await createMp3EncoderFrom(lame, { sampleRate: RATE, channels: 2, kbps })
  return (b: Float32Array[]) => encoder.encode(b)
}
const flac = new FlacEncoder({ sampleRate: RATE, channels: 2, bitDepth: 24, totalFrames: frames })

const reference = await timed(wav('pcm16'))
const rows: [string, number][] = [
  [
    'WAV 16-bit, dithered (TPDF)',
    await timed((b) => {
      const n = b[0]!.length
      dither.process(b, noisy, n)
      return wav('pcm16')(noisy.map((c) => c.subarray(0, n)))
    }),
  ],
  ['WAV 24-bit', await timed(wav('pcm24'))],
  ['FLAC 24-bit', await timed((b) => flac.encode(b))],
  ['MP3 320 kbit/s', await timed(await mp3(320))],
  ['MP3 192 kbit/s', await timed(await mp3(192))],
  [
    'one stem in the zip (float WAV + CRC-32)',
    await timed((b) => crc32(pcm.subarray(0, wav('float32')(b)))),
  ],
]
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
console.log(`${SECONDS} s of stereo at ${RATE} Hz, blocks of ${BLOCK}`)
console.log(
  `reference  WAV 16-bit (no dither): ${reference.toFixed(3)} s (${(SECONDS / reference).toFixed(0)}× real time)  load ${load()}`,
)
for (const [name, seconds] of rows)
  console.log(
    `${name.padEnd(42)} ${seconds.toFixed(3)} s  ${(SECONDS / seconds).toFixed(0).padStart(5)}× real time  ${(seconds / reference).toFixed(1).padStart(5)}× the reference  load ${load()}`,
  )
const side = 3000
const art = new Uint8ClampedArray(side * side * 4).map((_, i) =>
  i % 4 === 3 ? 255 : (i * 7) % 251,
)
const png = encodePng({ width: side, height: side, data: art })
const start = performance.now()
const cover = embeddedCoverFrom(png)
console.log(
  `embedded cover: ${side} px PNG → ${cover.width} px JPEG of ${(cover.data.length / 1e6).toFixed(2)} MB in ${((performance.now() - start) / 1000).toFixed(2)} s  load ${load()}`,
)
