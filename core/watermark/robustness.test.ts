// The watermark on the demo stems through the attacks the issue names (ffmpeg does the encoding
// and resampling; sh scripts/ensure-system.sh installs it).
import { beforeAll, describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'
import {
  crop,
  decodeFile,
  filter,
  resampleWithFfmpeg,
  transcode,
  type Pcm,
} from './testing/audio.ts'
import { installDsp } from './testing/dsp.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'robustness-key'
const ID = '5eed0ff1ce2bad42'
const STEMS = ['bass', 'drums', 'lead', 'pads', 'vox']

let stems: Pcm[] = []
let marked: Pcm

const found = (pcm: Pcm, key = KEY) => detectWatermark(pcm.channels, pcm.sampleRate, key)

beforeAll(() => {
  stems = STEMS.map((name) => crop(decodeFile(`stems/audio/${name}.mp3`), 40, 24))
  const mix = [0, 1].map((c) => {
    const out = new Float32Array(stems[0]!.channels[c]!.length)
    for (const s of stems) s.channels[c]!.forEach((v, i) => (out[i]! += 0.5 * v))
    return out
  })
  marked = { channels: embedWatermark(mix, 44100, ID, KEY), sampleRate: 44100 }
}, 120_000)

// Generous timeouts: the work is a few seconds of CPU, but the machine may be shared.
describe('watermark on the demo stems', { timeout: 120_000 }, () => {
  it('round-trips every stem', () => {
    for (const stem of stems) {
      const channels = embedWatermark(stem.channels, stem.sampleRate, ID, KEY)
      expect(found({ channels, sampleRate: stem.sampleRate })).toMatchObject({
        found: true,
        payload: ID,
      })
    }
  })

  it('decodes the mix after MP3 at 128 kbit/s', () => {
    const mp3 = transcode(marked, ['-c:a', 'libmp3lame', '-b:a', '128k'], 'mp3')
    expect(found(mp3)).toMatchObject({ found: true, payload: ID })
  })

  it('decodes the mix resampled to 22.05 kHz and to 48 kHz', () => {
    expect(found(resampleWithFfmpeg(marked, 22050))).toMatchObject({ found: true, payload: ID })
    expect(found(resampleWithFfmpeg(marked, 48000))).toMatchObject({ found: true, payload: ID })
  })

  it('decodes the mix at −6 dB', () => {
    const quieter = { ...marked, channels: marked.channels.map((c) => c.map((v) => v / 2)) }
    expect(found(quieter)).toMatchObject({ found: true, payload: ID })
  })

  it('decodes a 10 s crop from the middle', () => {
    expect(found(crop(marked, 7.3, 10))).toMatchObject({ found: true, payload: ID })
  })

  // Windows that start at every phase of the 7.4 s block, so each falls across two blocks
  // differently (test/bench/watermark-windows.ts measures the same over the whole demo mix).
  const phases = (clip: number, count: number) =>
    Array.from({ length: count }, (_, i) => (i * (24 - clip)) / (count - 1))
  const decoded = (pcm: Pcm, clip: number, count: number) =>
    phases(clip, count).filter((at) => {
      const result = found(crop(pcm, at, clip))
      return result.found && result.payload === ID
    }).length

  it('decodes 10 s windows of the mix at every phase after MP3 at 64 kbit/s and AAC at 128 kbit/s', () => {
    const mp3 = transcode(marked, ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3')
    expect(decoded(mp3, 10, 7)).toBe(7)
    const aac = transcode(marked, ['-c:a', 'aac', '-b:a', '128k'], 'adts')
    expect(decoded(aac, 10, 5)).toBe(5)
  })

  it('decodes 6 s clips of the uncompressed mix at every phase', () => {
    expect(decoded(marked, 6, 7)).toBe(7)
  })

  // Sped up or slowed down by resampling (pitch and tempo together), as reposts are.
  const speed = (pcm: Pcm, factor: number) =>
    filter(pcm, `asetrate=${pcm.sampleRate * factor},aresample=${pcm.sampleRate}`)

  it('decodes the mix sped up by 3 % and a 10 s crop of it slowed down by 5 %', () => {
    const faster = found(speed(marked, 1.03))
    expect(faster).toMatchObject({ found: true, payload: ID })
    if (faster.found) expect(faster.speed).toBeCloseTo(1.03, 2)
    const slower = found(crop(speed(marked, 0.95), 6, 10))
    expect(slower).toMatchObject({ found: true, payload: ID })
    if (slower.found) expect(slower.speed).toBeCloseTo(0.95, 2)
  })

  // The done-when: a 6 s clip, sped up and re-encoded, still names its export. Each of
  // these located the sync at a speed 0.1 % off and failed to decode until the search read the
  // factors next to its best.
  it('names the mix from 6 s clips sped up 3–5 % and re-encoded as AAC or MP3', () => {
    const aac = (pcm: Pcm, rate: string) => transcode(pcm, ['-c:a', 'aac', '-b:a', rate], 'adts')
    const mp3 = (pcm: Pcm) => transcode(pcm, ['-c:a', 'libmp3lame', '-b:a', '128k'], 'mp3')
    const clips = [
      aac(speed(crop(marked, 12, 6), 1.03), '96k'),
      aac(speed(crop(marked, 15, 6), 1.04), '128k'),
      mp3(speed(crop(marked, 15, 6), 1.03)),
      mp3(speed(crop(marked, 12, 6), 1.05)),
    ]
    for (const clip of clips) expect(found(clip)).toMatchObject({ found: true, payload: ID })
  })

  // Time-stretched with the pitch kept (ffmpeg atempo, WSOLA-like), as DJ software changes tempo.
  const tempo = (pcm: Pcm, factor: number) => filter(pcm, `atempo=${factor}`)

  it('decodes the mix at tempo ±2 % and ±5 % and reports the tempo change', () => {
    for (const factor of [1.02, 0.98, 1.05, 0.95]) {
      const result = found(tempo(marked, factor))
      expect(result).toMatchObject({ found: true, payload: ID, speed: 1 })
      if (result.found) expect(result.tempo).toBeCloseTo(factor, 2)
    }
  })

  it('finds nothing with the wrong key', () => {
    expect(found(marked, 'robustness-kez').found).toBe(false)
  })
})
