// A sample of the false-positive sweep (false-positives.soak.test.ts, in the soak project, checks
// 200 clips including the raw stems): 20 clips of noise, silence and audio marked under another key.
import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { crop, gaussianNoise, musicLike, pinkNoise, type Pcm } from './testing/audio.ts'

const KEY = 'false-positive-key'
const RATE = 22050
const mono = (c: Float32Array): Pcm => ({ channels: [c], sampleRate: RATE })

function clips(): { kind: string; pcm: Pcm }[] {
  const out: { kind: string; pcm: Pcm }[] = []
  for (let i = 0; i < 5; i++)
    out.push({ kind: 'white noise', pcm: mono(gaussianNoise(9 * RATE, 0.3 / (i + 1), i + 1)) })
  for (let i = 0; i < 5; i++)
    out.push({ kind: 'pink noise', pcm: mono(pinkNoise(9 * RATE, 0.3 / (i + 1), 100 + i)) })
  out.push({ kind: 'silence', pcm: mono(new Float32Array(9 * RATE)) })
  for (let i = 0; i < 4; i++)
    out.push({ kind: 'near silence', pcm: mono(gaussianNoise(9 * RATE, 1e-5 * (i + 1), 200 + i)) })
  const [other] = embedWatermark([musicLike(25, RATE, 300)], RATE, 'abcdef0123456789', 'other-0')
  for (let i = 0; i < 5; i++) out.push({ kind: 'other key', pcm: crop(mono(other!), i * 3.1, 9) })
  return out
}

describe('detectWatermark on unmarked audio (sample)', { timeout: 120_000 }, () => {
  it('finds nothing in 20 clips of white and pink noise, silence and another key', () => {
    const all = clips()
    expect(all.length).toBe(20)
    const falsePositives = all
      .map(({ kind, pcm }) => ({
        kind,
        result: detectWatermark(pcm.channels, pcm.sampleRate, KEY),
      }))
      .filter(({ result }) => result.found)
    expect(falsePositives).toEqual([])
  })
})
