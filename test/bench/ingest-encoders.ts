// `node --no-warnings test/bench/ingest-encoders.ts` (ENCODERS_ROUNDS=3, ENCODERS_RATE=44100):
// the rendition encoder's settings, wasm against native, like with like. One 4-minute stereo stem
// (the ingest bench's signal: a chord, a slow tremolo, a little noise) is encoded by the wasm LAME
// (wasm-media-encoders, as worker/audio/lame.ts) at CBR 192 kbit/s and VBR (mtrh) qualities 0–4,
// and by the native LAME (`ffmpeg -threads 1 -c:a libmp3lame`) at the same settings (-b:a 192k;
// -q:a N) and at ffmpeg's defaults. For each: least CPU seconds over the rounds (the two sides
// alternate, so neighbours on this shared machine slow both alike), MB/s of WAV, the average bit
// rate, the SNR against the source, and the wasm/native ratio at the same settings. Figures are
// printed beside the load average; nothing is asserted.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEncoder } from 'wasm-media-encoders'
import { encodeWav } from '../../core/audio/wav.ts'
import { decodeFile } from '../../core/watermark/testing/audio.ts'
import { extractWasm } from '../../scripts/extract-wasm.ts'

const SECONDS = 4 * 60
const RATE = Number(process.env.ENCODERS_RATE ?? 44100) as 44100 | 48000
const BLOCK_FRAMES = 1 << 13
const ROUNDS = Math.max(1, Number(process.env.ENCODERS_ROUNDS ?? 3))
const load = () => `load ${loadavg()[0]!.toFixed(1)}`

function stem(): Float32Array[] {
  const frames = SECONDS * RATE
  let seed = 1
  return [0, 1].map((ch) => {
    const pcm = new Float32Array(frames)
    const hz = 55 * 2 ** ((ch * 7) / 12)
    for (let i = 0; i < frames; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const t = i / RATE
      const tremolo = 0.6 + 0.4 * Math.sin(2 * Math.PI * 0.5 * t)
      pcm[i] =
        0.25 *
          tremolo *
          (Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(2 * Math.PI * hz * 1.5 * t)) +
        0.02 * ((seed / 2 ** 32) * 2 - 1)
    }
    return pcm
  })
}

type Setting = { name: string; wasm?: { bitrate: 192 } | { vbrQuality: number }; native: string[] }
const SETTINGS: Setting[] = [
  { name: 'CBR 192k', wasm: { bitrate: 192 }, native: ['-b:a', '192k'] },
  ...[0, 1, 2, 3, 4].map((q) => ({
    name: `VBR q${q}`,
    wasm: { vbrQuality: q },
    native: ['-q:a', String(q)],
  })),
  { name: "ffmpeg's defaults", native: [] },
]

const source = stem()
const wav = encodeWav(source, RATE, { encoding: 'pcm24' })
const wavMb = wav.length / 1e6
const dir = mkdtempSync(join(tmpdir(), 'stemfair-encoders-'))
writeFileSync(join(dir, 'stem.wav'), wav)
await extractWasm()
const wasmModule = new WebAssembly.Module(
  readFileSync(new URL('../../worker/wasm/lame-mp3.wasm', import.meta.url)),
)

async function wasmEncode(config: NonNullable<Setting['wasm']>) {
  const lame = await createEncoder('audio/mpeg', wasmModule)
  lame.configure({ sampleRate: RATE, channels: 2, outputSampleRate: RATE, ...config })
  const out = new Uint8Array(wav.length)
  let size = 0
  const before = process.cpuUsage()
  for (let at = 0; at < source[0]!.length; at += BLOCK_FRAMES) {
    const bytes = lame.encode(source.map((c) => c.subarray(at, at + BLOCK_FRAMES)))
    out.set(bytes, size)
    size += bytes.length
  }
  const tail = lame.finalize()
  out.set(tail, size)
  size += tail.length
  const used = process.cpuUsage(before)
  return { cpu: (used.user + used.system) / 1e6, mp3: out.slice(0, size) }
}

function nativeEncode(args: string[]) {
  const out = join(dir, 'native.mp3')
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
    ].concat(['-c:a', 'libmp3lame', ...args, out]),
    { encoding: 'utf8' },
  )
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr}`)
  const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(run.stderr)
  if (!m) throw new Error('ffmpeg printed no -benchmark line')
  return { cpu: Number(m[1]) + Number(m[2]), mp3: readFileSync(out) }
}

/** SNR in dB of an MP3 against the source, after the delay that best matches the first second. */
function snrDb(mp3: Uint8Array): number {
  writeFileSync(join(dir, 'x.mp3'), mp3)
  const decoded = decodeFile(join(dir, 'x.mp3'), 2, RATE).channels
  let best = 0
  let bestError = Infinity
  for (let shift = 0; shift <= 2304; shift++) {
    let error = 0
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < RATE; i++) error += ((decoded[c]![i + shift] ?? 0) - source[c]![i]!) ** 2
    if (error < bestError) [best, bestError] = [shift, error]
  }
  let signal = 0
  let noise = 0
  for (let c = 0; c < 2; c++)
    for (let i = 0; i < source[c]!.length; i++) {
      signal += source[c]![i]! ** 2
      noise += ((decoded[c]![i + best] ?? 0) - source[c]![i]!) ** 2
    }
  return 10 * Math.log10(signal / noise)
}

const kbps = (mp3: Uint8Array) => (mp3.length * 8) / SECONDS / 1000
const least = (xs: number[]) => Math.min(...xs)

console.log(
  `one stem: ${SECONDS / 60} min stereo ${RATE / 1000} kHz 24-bit WAV, ${wavMb.toFixed(1)} MB; ` +
    `${ROUNDS} rounds, least CPU each; wasm in blocks of ${BLOCK_FRAMES} frames (${load()})`,
)
console.log(
  `${'setting'.padEnd(18)} ${'wasm s'.padStart(7)} ${'MB/s'.padStart(6)} ${'kbps'.padStart(5)} ${'SNR'.padStart(5)}` +
    ` | ${'native s'.padStart(8)} ${'MB/s'.padStart(6)} ${'kbps'.padStart(5)} ${'SNR'.padStart(5)} | wasm/native`,
)
try {
  for (const s of SETTINGS) {
    const wasmRuns: { cpu: number; mp3: Uint8Array }[] = []
    const nativeRuns: { cpu: number; mp3: Uint8Array }[] = []
    for (let r = 0; r < ROUNDS; r++) {
      if (s.wasm) wasmRuns.push(await wasmEncode(s.wasm))
      nativeRuns.push(nativeEncode(s.native))
    }
    const n = least(nativeRuns.map((x) => x.cpu))
    const nMp3 = nativeRuns[0]!.mp3
    const nCol = `${n.toFixed(2).padStart(8)} ${(wavMb / n).toFixed(1).padStart(6)} ${kbps(nMp3).toFixed(0).padStart(5)} ${snrDb(nMp3).toFixed(1).padStart(5)}`
    if (!s.wasm) {
      console.log(`${s.name.padEnd(18)} ${''.padStart(26)} | ${nCol} |             (${load()})`)
      continue
    }
    const w = least(wasmRuns.map((x) => x.cpu))
    const wMp3 = wasmRuns[0]!.mp3
    console.log(
      `${s.name.padEnd(18)} ${w.toFixed(2).padStart(7)} ${(wavMb / w).toFixed(1).padStart(6)} ${kbps(wMp3).toFixed(0).padStart(5)} ${snrDb(wMp3).toFixed(1).padStart(5)}` +
        ` | ${nCol} | ${((100 * n) / w).toFixed(0).padStart(4)} %      (${load()})`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
