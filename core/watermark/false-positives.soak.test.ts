// Unmarked audio must never read as marked: 200 clips of raw stems, noise, silence and audio marked
// under other keys, each checked with the test key.
import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { crop, decodeFile, gaussianNoise, musicLike, pinkNoise, type Pcm } from './testing/audio.ts'

const KEY = 'false-positive-key'
const RATE = 22050
const mono = (c: Float32Array): Pcm => ({ channels: [c], sampleRate: RATE })

function clips(): { kind: string; pcm: Pcm }[] {
  const out: { kind: string; pcm: Pcm }[] = []
  for (const name of ['bass', 'drums', 'lead', 'pads', 'vox']) {
    const stem = decodeFile(`stems/audio/${name}.mp3`, 1, RATE)
    for (let i = 0; i < 9; i++) out.push({ kind: `stem ${name}`, pcm: crop(stem, 2 + i * 10, 9) })
  }
  for (let i = 0; i < 40; i++)
    out.push({ kind: 'white noise', pcm: mono(gaussianNoise(9 * RATE, 0.3 / (i + 1), i + 1)) })
  for (let i = 0; i < 40; i++)
    out.push({ kind: 'pink noise', pcm: mono(pinkNoise(9 * RATE, 0.3 / (i + 1), 100 + i)) })
  for (let i = 0; i < 10; i++) out.push({ kind: 'silence', pcm: mono(new Float32Array(9 * RATE)) })
  for (let i = 0; i < 15; i++)
    out.push({ kind: 'near silence', pcm: mono(gaussianNoise(9 * RATE, 1e-5 * (i + 1), 200 + i)) })
  for (let k = 0; k < 5; k++) {
    const [other] = embedWatermark(
      [musicLike(40, RATE, 300 + k)],
      RATE,
      'abcdef0123456789',
      `other-${k}`,
    )
    for (let i = 0; i < 10; i++)
      out.push({ kind: 'other key', pcm: crop(mono(other!), i * 3.1, 9) })
  }
  return out
}

// A generous timeout: about 25 s of CPU, more when the machine is shared.
describe('detectWatermark on unmarked audio', { timeout: 300_000 }, () => {
  it('finds nothing in 200 clips of raw stems, white and pink noise, silence and other keys', () => {
    const all = clips()
    expect(all.length).toBeGreaterThanOrEqual(200)
    const falsePositives = all
      .map(({ kind, pcm }) => ({
        kind,
        result: detectWatermark(pcm.channels, pcm.sampleRate, KEY),
      }))
      .filter(({ result }) => result.found)
    expect(falsePositives).toEqual([])
  })
})
