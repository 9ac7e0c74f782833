// Three short, distinct 24-bit WAV stems (and their sum, which never clips, as a reference mix) for the authoring
// end-to-end test: 8 s of stereo at 44.1 kHz each, written to a fresh temporary directory.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeWav } from '../../core/audio/wav.ts'

export const TEST_STEM_RATE = 44_100
export const TEST_STEM_SECONDS = 8

type Voice = (t: number, i: number) => number
const BEAT = 0.5 // 120 BPM

const voices: Record<string, Voice> = {
  // A kick: a falling sine with a fast decay on every beat.
  drums: (t) => {
    const s = t % BEAT
    return 0.4 * Math.exp(-s * 18) * Math.sin(2 * Math.PI * (50 + 90 * Math.exp(-s * 30)) * s)
  },
  // A bass line of roots, one note a bar.
  bass: (t) => {
    const root = [55, 43.65, 49, 41.2][Math.floor(t / (4 * BEAT)) % 4]!
    return 0.25 * Math.sin(2 * Math.PI * root * t)
  },
  // A sustained A minor chord, swelling in and out.
  keys: (t) => {
    const swell = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / (8 * BEAT))
    let v = 0
    for (const f of [220, 261.63, 329.63]) v += Math.sin(2 * Math.PI * f * t)
    return 0.08 * swell * v
  },
}

/** Writes the stems and the reference mix; answers their paths. */
export function makeTestStems(dir = mkdtempSync(join(tmpdir(), 'stemfair-stems-'))) {
  const frames = TEST_STEM_RATE * TEST_STEM_SECONDS
  const mix = [new Float32Array(frames), new Float32Array(frames)]
  const stems: { name: string; path: string }[] = []
  for (const [name, voice] of Object.entries(voices)) {
    const left = new Float32Array(frames)
    const right = new Float32Array(frames)
    for (let i = 0; i < frames; i++) {
      const v = voice(i / TEST_STEM_RATE, i)
      left[i] = v
      right[i] = v * 0.9
      mix[0]![i]! += v
      mix[1]![i]! += v * 0.9
    }
    const path = join(dir, `${name}.wav`)
    writeFileSync(path, encodeWav([left, right], TEST_STEM_RATE, { encoding: 'pcm24' }))
    stems.push({ name, path })
  }
  const reference = join(dir, 'reference-mix.wav')
  writeFileSync(reference, encodeWav(mix, TEST_STEM_RATE, { encoding: 'pcm24' }))
  return { dir, stems, reference }
}

/** One long 24-bit stereo sine WAV (2 minutes ≈ 32 MB: several upload parts). */
export function makeLongStem(
  dir: string,
  name = 'long-take.wav',
  seconds = 120,
  rate = TEST_STEM_RATE,
) {
  const frames = rate * seconds
  const left = new Float32Array(frames)
  const right = new Float32Array(frames)
  const w = (2 * Math.PI * 110) / rate
  for (let i = 0; i < frames; i++) {
    left[i] = 0.3 * Math.sin(w * i)
    right[i] = 0.3 * Math.sin(w * i * 1.5)
  }
  const path = join(dir, name)
  writeFileSync(path, encodeWav([left, right], rate, { encoding: 'pcm24' }))
  return path
}
