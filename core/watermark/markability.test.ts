import { describe, expect, it } from 'vitest'
import { measureMarkability, type CodecRoundTrip } from './markability.ts'
import { hasFfmpeg, musicLike, transcode } from './testing/audio.ts'
import { lowEnergyStems } from './testing/low-energy.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'markability-test-key'
const RATE = 44100
/** MP3 at 192 kbit/s through ffmpeg's LAME, as exports are encoded. */
const mp3: CodecRoundTrip = async (channels, sampleRate) =>
  transcode({ channels, sampleRate }, ['-c:a', 'libmp3lame', '-b:a', '192k'], 'mp3').channels

// 26 s at load 3: the unmarkable stems' read-backs pay for the whole speed and tempo search.
describe.skipIf(!hasFfmpeg())('markability', { timeout: 120_000 }, () => {
  it('finds music-like audio markable and the low-energy stems and their sum unmarkable', async () => {
    const music = musicLike(20, RATE, 3)
    const good = await measureMarkability([music, music], RATE, KEY, mp3)
    expect(good.level).toBe('markable')
    expect(good.coded.bitErrors).not.toBeNull()
    const stems = lowEnergyStems(20, RATE)
    const mix = new Float32Array(stems.bass.length)
    for (const s of Object.values(stems)) for (let i = 0; i < mix.length; i++) mix[i]! += s[i]!
    for (const [name, pcm] of [...Object.entries(stems), ['mix', mix] as const]) {
      const m = await measureMarkability([pcm, pcm], RATE, KEY, mp3)
      expect(m.level, name).toBe('unmarkable')
      expect(m.coded.found).toBe(false)
    }
  })
})
