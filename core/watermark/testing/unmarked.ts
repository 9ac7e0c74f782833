// Unmarked audio for the false-positive checks: noise, silence, near silence and audio marked
// under other keys, in counts the caller picks (a small sample in the unit project, the full sweep
// in the soak project). Raw stems are the soak sweep's own addition.
import { detectWatermark } from '../detect.ts'
import { embedWatermark } from '../embed.ts'
import { crop, gaussianNoise, musicLike, pinkNoise, stylePiece, type Pcm } from './audio.ts'

/** The rate the clips are made at. */
export const CLIP_RATE = 22050

export type Clip = { kind: string; pcm: Pcm }

/** The clips that detection under `key` (speed and tempo search on) names as marked, with what it read. */
export const falsePositivesIn = (clips: Iterable<Clip>, key: string) =>
  [...clips]
    .map(({ kind, pcm }) => ({ kind, result: detectWatermark(pcm.channels, pcm.sampleRate, key) }))
    .filter(({ result }) => result.found)

export const mono = (c: Float32Array): Pcm => ({ channels: [c], sampleRate: CLIP_RATE })

/** 9 s clips: `white`/`pink` noise at falling levels, silence, near silence, other keys' marks. */
export function unmarkedClips(n: {
  white: number
  pink: number
  silence: number
  nearSilence: number
  /** Marked audio under `keys` other keys, `perKey` 9 s crops of `seconds` of music each. */
  otherKeys: { keys: number; perKey: number; seconds: number }
}): Clip[] {
  const rate = CLIP_RATE
  const out: Clip[] = []
  for (let i = 0; i < n.white; i++)
    out.push({ kind: 'white noise', pcm: mono(gaussianNoise(9 * rate, 0.3 / (i + 1), i + 1)) })
  for (let i = 0; i < n.pink; i++)
    out.push({ kind: 'pink noise', pcm: mono(pinkNoise(9 * rate, 0.3 / (i + 1), 100 + i)) })
  for (let i = 0; i < n.silence; i++)
    out.push({ kind: 'silence', pcm: mono(new Float32Array(9 * rate)) })
  for (let i = 0; i < n.nearSilence; i++)
    out.push({ kind: 'near silence', pcm: mono(gaussianNoise(9 * rate, 1e-5 * (i + 1), 200 + i)) })
  const { keys, perKey, seconds } = n.otherKeys
  for (let k = 0; k < keys; k++) {
    const [other] = embedWatermark(
      [musicLike(seconds, rate, 300 + k)],
      rate,
      'abcdef0123456789',
      `other-${k}`,
    )
    for (let i = 0; i < perKey; i++)
      out.push({ kind: 'other key', pcm: crop(mono(other!), i * 3.1, 9) })
  }
  return out
}

/** The kinds of unmarked clip the sweep cycles through (demo stems are the caller's addition). */
export const SWEEP_KINDS = [
  'music-like',
  'piano',
  'guitar',
  'sub-bass',
  'white noise',
  'pink noise',
  'silence',
  'near silence',
  'other key',
] as const

/**
 * `count` 9 s unmarked clips, made one at a time (the sweep is too large to hold): the kinds in
 * turn, each clip from its own seed and level, so no two are alike. Other keys' marks are made
 * on 40 s of music per key and cropped at 3.1 s steps.
 */
export function* sweepClips(count: number): Generator<Clip> {
  const rate = CLIP_RATE
  let other = null as { key: number; audio: Float32Array } | null
  for (let i = 0; i < count; i++) {
    const kind = SWEEP_KINDS[i % SWEEP_KINDS.length]!
    const n = Math.floor(i / SWEEP_KINDS.length)
    const level = 0.5 / (1 + (n % 7))
    const seed = 1000 + i
    const scaled = (c: Float32Array) => c.map((v) => v * level * 2)
    let pcm: Pcm
    if (kind === 'music-like') pcm = mono(scaled(musicLike(9, rate, seed)))
    else if (kind === 'piano') pcm = mono(scaled(stylePiece('piano', 9, rate, seed)))
    else if (kind === 'guitar') pcm = mono(scaled(stylePiece('guitar', 9, rate, seed)))
    else if (kind === 'sub-bass') pcm = mono(scaled(stylePiece('subBass', 9, rate, seed)))
    else if (kind === 'white noise') pcm = mono(gaussianNoise(9 * rate, level, seed))
    else if (kind === 'pink noise') pcm = mono(pinkNoise(9 * rate, level, seed))
    else if (kind === 'silence') pcm = mono(new Float32Array(9 * rate))
    else if (kind === 'near silence')
      pcm = mono(gaussianNoise(9 * rate, 1e-5 * (1 + (n % 10)), seed))
    else {
      const key = Math.floor(n / 10)
      if (other?.key !== key) {
        const [audio] = embedWatermark(
          [musicLike(40, rate, 5000 + key)],
          rate,
          'abcdef0123456789',
          `sweep-${key}`,
        )
        other = { key, audio: audio! }
      }
      pcm = crop(mono(other.audio), (n % 10) * 3.1, 9)
    }
    yield { kind, pcm }
  }
}
