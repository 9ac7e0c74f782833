import { describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { bytesSource, readMasterInfo } from './container.ts'
import { Decimator } from '../lib/dsp/decimate.ts'
import { LevelMeter, PeaksBuilder, renditionRate } from './ingest.ts'
import { levelsFrom } from './levels.ts'
import { MasterStream } from './master-stream.ts'
import { peaksFrom } from './peaks.ts'
import { decodeWav, encodeWav } from './wav.ts'

function noise(frames: number, seed: number): Float32Array {
  const random = seededRandom(seed)
  return Float32Array.from({ length: frames }, () => random() * 1.6 - 0.8)
}

const sine = (frames: number, hz: number, rate: number) =>
  Float32Array.from({ length: frames }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate))

/** Feeds `channels` to `add` in blocks of uneven sizes. */
function inBlocks(channels: Float32Array[], add: (block: Float32Array[], n: number) => void) {
  const sizes = [1, 511, 513, 1000, 4096, 77]
  for (let at = 0, k = 0; at < channels[0]!.length; k++) {
    const n = Math.min(sizes[k % sizes.length]!, channels[0]!.length - at)
    add(
      channels.map((c) => c.slice(at, at + n)),
      n,
    )
    at += n
  }
}

describe('streaming analysis', () => {
  it('builds the same peaks and levels as the whole-file functions', () => {
    const channels = [noise(100_003, 1), noise(100_003, 2)]
    const peaks = new PeaksBuilder(2, 48000)
    const levels = new LevelMeter()
    inBlocks(channels, (b, n) => {
      peaks.add(b, n)
      levels.add(b, n)
    })
    expect(peaks.result()).toEqual(peaksFrom(channels, 48000))
    const whole = levelsFrom(channels)
    expect(levels.result().peakDbfs).toBe(whole.peakDbfs)
    expect(levels.result().rmsDbfs).toBeCloseTo(whole.rmsDbfs, 1)
  })

  it('decimates by 2 and 4: keeps the passband, removes what would alias, same result in any blocks', () => {
    for (const rate of [96000, 192000]) {
      const { rate: out, factor } = renditionRate(rate)
      expect(out).toBe(48000)
      const frames = rate // one second
      const pass = sine(frames, 1000, rate)
      const stop = sine(frames, 30000, rate) // above 24 kHz: would fold to 18 kHz
      const run = (pcm: Float32Array, blocky: boolean) => {
        const d = new Decimator(factor, 1, 8192)
        const parts: number[] = []
        const add = (b: Float32Array[], n: number) => {
          const r = d.process(b, n)
          parts.push(...r.channels[0]!.subarray(0, r.length))
        }
        if (blocky) inBlocks([pcm], add)
        else
          for (let at = 0; at < frames; at += 8192)
            add([pcm.slice(at, at + 8192)], Math.min(8192, frames - at))
        return Float32Array.from(parts)
      }
      const a = run(pass, true)
      expect(a.length).toBe(48000)
      expect(run(pass, false)).toEqual(a)
      const rms = (x: Float32Array) =>
        Math.sqrt(x.subarray(1000).reduce((s, v) => s + v * v, 0) / (x.length - 1000))
      expect(20 * Math.log10(rms(a) / Math.SQRT1_2)).toBeGreaterThan(-0.1)
      expect(20 * Math.log10(rms(run(stop, true)) / Math.SQRT1_2)).toBeLessThan(-60)
    }
  })
})

describe('MasterStream', () => {
  it('reads a WAV in bounded blocks, every byte through onBytes once, samples as decodeWav', async () => {
    const pcm = [noise(50_001, 3), noise(50_001, 4)]
    const wav = encodeWav(pcm, 48000, { encoding: 'pcm24' })
    const info = await readMasterInfo(bytesSource(wav), wav.length)
    let seen = 0
    const stream = new MasterStream(bytesSource(wav), wav.length, info, 4096, (b) => {
      expect(b).toEqual(wav.subarray(seen, seen + b.length))
      seen += b.length
    })
    const out = [new Float32Array(3000), new Float32Array(3000)]
    const got = [new Float32Array(50_001), new Float32Array(50_001)]
    for (let at = 0; ;) {
      const n = await stream.next(out)
      if (n === 0) break
      got.forEach((g, ch) => g.set(out[ch]!.subarray(0, n), at))
      at += n
    }
    expect(seen).toBe(wav.length)
    expect(stream.position).toBe(50_001)
    expect(got).toEqual(decodeWav(wav).channels)
  })
})
