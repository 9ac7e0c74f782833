// Unmarked audio for the false-positive checks: noise, silence, near silence and audio marked
// under other keys, in counts the caller picks (a small sample in the unit project, the full sweep
// in the soak project). Raw stems are the soak sweep's own addition.
import { embedWatermark } from '../embed.ts'
import { crop, gaussianNoise, musicLike, pinkNoise, type Pcm } from './audio.ts'

/** The rate the clips are made at. */
export const CLIP_RATE = 22050

export type Clip = { kind: string; pcm: Pcm }

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
