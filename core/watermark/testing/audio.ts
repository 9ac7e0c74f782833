// Test and benchmark support (Node only): decode, encode and filter planar PCM through ffmpeg, and
// make music-like signals. core has no Node types, so node:child_process is loaded by name with
// the small shape used here declared below.
import type { Hertz, Seconds } from '../../units.ts'

interface SpawnResult {
  status: number | null
  stdout: Uint8Array
  stderr: Uint8Array
  error?: Error
}
interface ChildProcess {
  spawnSync(
    command: string,
    args: string[],
    options: { input?: Uint8Array; maxBuffer: number },
  ): SpawnResult
}

const childProcess = (await import('node:child_process' as string)) as ChildProcess

/** Decoded or generated audio. */
export interface Pcm {
  channels: Float32Array[]
  sampleRate: Hertz
}

function run(args: string[], input?: Uint8Array): Uint8Array {
  const result = childProcess.spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], {
    ...(input ? { input } : {}),
    maxBuffer: 1 << 30,
  })
  if (result.error)
    throw new Error(
      `ffmpeg is needed for this test (sh scripts/ensure-system.sh): ${result.error.message}`,
    )
  if (result.status !== 0)
    throw new Error(
      `ffmpeg ${args.join(' ')} failed: ${String.fromCharCode(...result.stderr.subarray(0, 2000))}`,
    )
  return result.stdout
}

/** Whether ffmpeg can be run. */
export function hasFfmpeg(): boolean {
  return !childProcess.spawnSync('ffmpeg', ['-version'], { maxBuffer: 1 << 20 }).error
}

function interleave({ channels }: Pcm): Uint8Array {
  const n = channels[0]!.length
  const out = new Float32Array(n * channels.length)
  for (let c = 0; c < channels.length; c++)
    for (let i = 0; i < n; i++) out[i * channels.length + c] = channels[c]![i]!
  return new Uint8Array(out.buffer)
}

function deinterleave(bytes: Uint8Array, count: number, sampleRate: Hertz): Pcm {
  const copy = new Uint8Array(bytes.length - (bytes.length % (4 * count)))
  copy.set(bytes.subarray(0, copy.length))
  const all = new Float32Array(copy.buffer)
  const n = all.length / count
  const channels = Array.from({ length: count }, () => new Float32Array(n))
  for (let i = 0; i < n; i++) for (let c = 0; c < count; c++) channels[c]![i] = all[i * count + c]!
  return { channels, sampleRate }
}

const raw = (pcm: Pcm) => [
  '-f',
  'f32le',
  '-ar',
  String(pcm.sampleRate),
  '-ac',
  String(pcm.channels.length),
  '-i',
  'pipe:0',
]

/** Decodes any file ffmpeg reads to planar float PCM with `count` channels at its own rate. */
export function decodeFile(path: string, count = 2, sampleRate: Hertz = 44100): Pcm {
  const bytes = run([
    '-i',
    path,
    '-f',
    'f32le',
    '-ac',
    String(count),
    '-ar',
    String(sampleRate),
    'pipe:1',
  ])
  return deinterleave(bytes, count, sampleRate)
}

/** Encodes with ffmpeg codec arguments into `format`, then decodes back (a lossy round trip). */
export function transcode(pcm: Pcm, codec: string[], format: string): Pcm {
  const encoded = run([...raw(pcm), ...codec, '-f', format, 'pipe:1'], interleave(pcm))
  const count = pcm.channels.length
  const bytes = run(
    ['-i', 'pipe:0', '-f', 'f32le', '-ac', String(count), '-ar', String(pcm.sampleRate), 'pipe:1'],
    encoded,
  )
  return deinterleave(bytes, count, pcm.sampleRate)
}

/** Runs an ffmpeg audio filter chain; the output is read at `outRate`. */
export function filter(pcm: Pcm, chain: string, outRate: Hertz = pcm.sampleRate): Pcm {
  const bytes = run(
    [...raw(pcm), '-af', chain, '-f', 'f32le', '-ar', String(outRate), 'pipe:1'],
    interleave(pcm),
  )
  return deinterleave(bytes, pcm.channels.length, outRate)
}

/** Resamples with ffmpeg's default resampler. */
export const resampleWithFfmpeg = (pcm: Pcm, rate: Hertz): Pcm => filter(pcm, 'anull', rate)

/** A clip of `seconds` starting at `from` seconds. */
export function crop(pcm: Pcm, from: Seconds, seconds: Seconds): Pcm {
  const a = Math.floor(from * pcm.sampleRate)
  const b = Math.min(pcm.channels[0]!.length, a + Math.floor(seconds * pcm.sampleRate))
  return { ...pcm, channels: pcm.channels.map((c) => c.slice(a, b)) }
}

/** A deterministic uniform generator in [0, 1) (an LCG; quality is not the point here). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296
}

/** Gaussian noise of a given RMS. */
export function gaussianNoise(length: number, rms: number, seed: number): Float32Array {
  const random = lcg(seed)
  const out = new Float32Array(length)
  for (let i = 0; i < length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random())) * rms
    const a = 2 * Math.PI * random()
    out[i] = r * Math.cos(a)
    if (i + 1 < length) out[i + 1] = r * Math.sin(a)
  }
  return out
}

/** Pink-ish noise (Paul Kellet's economy filter over white noise), normalised to `rms`. */
export function pinkNoise(length: number, rms: number, seed: number): Float32Array {
  const white = gaussianNoise(length, 1, seed)
  const out = new Float32Array(length)
  let b0 = 0
  let b1 = 0
  let b2 = 0
  let power = 0
  for (let i = 0; i < length; i++) {
    const w = white[i]!
    b0 = 0.99765 * b0 + w * 0.099046
    b1 = 0.963 * b1 + w * 0.2965164
    b2 = 0.57 * b2 + w * 1.0526913
    out[i] = b0 + b1 + b2 + w * 0.1848
    power += out[i]! * out[i]!
  }
  const scale = rms / Math.sqrt(power / Math.max(1, length) || 1)
  for (let i = 0; i < length; i++) out[i]! *= scale
  return out
}

/**
 * A music-like signal: a chord progression of harmonic tones with tremolo, a decaying bass note on
 * every beat, noisy hi-hat-like bursts and a little noise floor. Different seeds give different music.
 */
export function musicLike(seconds: Seconds, sampleRate: Hertz, seed = 1): Float32Array {
  const random = lcg(seed)
  const out = new Float32Array(Math.floor(seconds * sampleRate))
  const beat = Math.round((0.4 + random() * 0.2) * sampleRate)
  const bar = 4 * beat
  const re = new Float64Array(24)
  const im = new Float64Array(24)
  const cos = new Float64Array(24)
  const sin = new Float64Array(24)
  const amp = new Float64Array(24)
  let noise = 0
  let bass = 1
  const decay = Math.exp(-3 / beat)
  for (let start = 0; start < out.length; start += bar) {
    const root = 110 * 2 ** (Math.floor(random() * 12) / 12)
    let count = 0
    for (const ratio of [0.5, 1, 1.25, 1.5, 2])
      for (let h = 1; h <= 5; h++) {
        const f = root * ratio * h
        if (f > 0.45 * sampleRate || count === 24) continue
        const w = (2 * Math.PI * f) / sampleRate
        cos[count] = Math.cos(w)
        sin[count] = Math.sin(w)
        re[count] = Math.cos(random() * 2 * Math.PI)
        im[count] = Math.sin(random() * 2 * Math.PI)
        amp[count] = (ratio === 0.5 ? 0.3 : 0.08) / h
        count++
      }
    for (let i = start, end = Math.min(out.length, start + bar); i < end; i++) {
      const inBeat = ((i - start) % beat) / beat
      bass = inBeat === 0 ? 1 : bass * decay
      let v = 0
      for (let k = 0; k < count; k++) {
        const x = re[k]! * cos[k]! - im[k]! * sin[k]!
        im[k] = re[k]! * sin[k]! + im[k]! * cos[k]!
        re[k] = x
        v += amp[k]! * x * (k < 5 ? bass : k & 1 ? 0.6 + 0.4 * inBeat : 1 - 0.4 * inBeat)
      }
      noise = 0.5 * noise + (random() - 0.5)
      out[i] = 0.5 * v + (inBeat > 0.5 && inBeat < 0.56 ? 0.15 : 0.01) * noise
    }
  }
  return out
}

/** Other styles of generated music, for the benchmark and the false-detection sweep. */
export type Style = 'piano' | 'guitar' | 'subBass'

/**
 * A piece in one style: `piano`, sparse decaying harmonic notes with silence between; `guitar`,
 * power chords of sawtooth-like tones through a hard clipper (tanh drive); `subBass`, a loud
 * 35–60 Hz sine line with a faint click and pad on top. Different seeds give different pieces.
 */
export function stylePiece(
  style: Style,
  seconds: Seconds,
  sampleRate: Hertz,
  seed = 1,
): Float32Array {
  const random = lcg(seed)
  const out = new Float32Array(Math.floor(seconds * sampleRate))
  const note = Math.round((0.25 + random() * 0.35) * sampleRate)
  for (let start = 0; start < out.length; start += note) {
    const end = Math.min(out.length, start + note)
    const semitone = Math.floor(random() * 24)
    if (style === 'piano') {
      if (random() < 0.4) continue // rests
      const f = 130.81 * 2 ** (semitone / 12)
      const decay = Math.exp(-4 / note)
      for (let h = 1; h <= 8; h++) {
        if (f * h > 0.45 * sampleRate) break
        const w = (2 * Math.PI * f * h * (1 + 0.0004 * h * h)) / sampleRate
        let a = 0.25 / h ** 1.3
        for (let i = start; i < end; i++, a *= decay) out[i]! += a * Math.sin(w * (i - start))
      }
    } else if (style === 'guitar') {
      const f = 82.41 * 2 ** (semitone / 12)
      for (let i = start; i < end; i++) {
        const t = (i - start) / sampleRate
        // Root and fifth as sawtooths, driven hard.
        const saw = ((f * t) % 1) * 2 - 1 + (((1.5 * f * t) % 1) * 2 - 1)
        out[i] = 0.4 * Math.tanh(4 * saw) + 0.01 * (random() - 0.5)
      }
    } else {
      const f = 35 + random() * 25
      for (let i = start; i < end; i++) {
        const k = i - start
        const click = k < 0.003 * sampleRate ? 0.1 * (random() - 0.5) : 0
        const pad = 0.004 * Math.sin((2 * Math.PI * 4 * f * i) / sampleRate)
        out[i] = 0.7 * Math.sin((2 * Math.PI * f * k) / sampleRate) + click + pad
      }
    }
  }
  return out
}
