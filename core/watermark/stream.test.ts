import { describe, expect, it } from 'vitest'
import { detectWatermark } from './detect.ts'
import { embedWatermark } from './embed.ts'
import { payloadHex, StreamingEmbedder } from './stream.ts'
import { lcg, musicLike } from './testing/audio.ts'
import { installDsp } from './testing/dsp.ts'
import { withoutDsp } from '../dsp/kernels.ts'

// Detection as the worker runs it: on the DSP kernels (core/dsp; kernels.test.ts checks them against the JS).
installDsp()

const KEY = 'stream-key'
const ID = 0x0123456789abcdefn

/** Streams `channels` through a StreamingEmbedder in blocks of the sizes `sizes()` answers. */
function streamed(
  channels: Float32Array[],
  sampleRate: number,
  sizes: () => number,
): { marked: Float32Array[]; embedder: StreamingEmbedder } {
  const embedder = new StreamingEmbedder({
    sampleRate,
    channels: channels.length,
    key: KEY,
    payload: ID,
  })
  const length = channels[0]!.length
  const total = length + embedder.latency
  const out = channels.map(() => new Float32Array(total))
  for (let at = 0; at < total;) {
    const n = Math.min(sizes(), total - at)
    const input = channels.map((c) => {
      const block = new Float32Array(n)
      if (at < length) block.set(c.subarray(at, Math.min(length, at + n)))
      return block
    })
    const output = channels.map(() => new Float32Array(n))
    embedder.process(input, output)
    output.forEach((o, c) => out[c]!.set(o, at))
    at += n
  }
  return { marked: out.map((o) => o.subarray(embedder.latency)), embedder }
}

describe('StreamingEmbedder', { timeout: 300_000 }, () => {
  it('equals the whole-file embedder sample for sample, whatever the block sizes', () => {
    const random = lcg(5)
    const cases: [number, number, () => number][] = [
      [44100, 2, () => 4096],
      [44100, 1, () => 1 + Math.floor(random() * 3000)],
      [48000, 2, () => 1 + Math.floor(random() * 9000)],
      [22050, 2, () => 128],
      [22050, 1, () => 100_000],
    ]
    for (const [rate, count, sizes] of cases) {
      const input = Array.from({ length: count }, (_, c) => musicLike(17.3, rate, 11 + c))
      const whole = embedWatermark(input, rate, payloadHex(ID), KEY)
      const { marked } = streamed(input, rate, sizes)
      for (let c = 0; c < count; c++) {
        let differ = 0
        for (let i = 0; i < whole[c]!.length; i++) if (whole[c]![i] !== marked[c]![i]) differ++
        expect(differ, `${rate} Hz, ${count} channel(s), channel ${c}`).toBe(0)
        expect(whole[c]).not.toEqual(input[c])
      }
      expect(detectWatermark(marked, rate, KEY)).toMatchObject({
        found: true,
        payload: '0123456789abcdef',
      })
    }
  })

  it('marks the same bits on the DSP kernels as on its JS reference', () => {
    // The kernels resample to and from RATE; odd channel counts take their scalar path too.
    const cases: [number, number][] = [
      [44100, 2],
      [44100, 1],
      [48000, 3],
      [96000, 2],
    ]
    for (const [rate, count] of cases) {
      const input = Array.from({ length: count }, (_, c) => musicLike(12.1, rate, 21 + c))
      const random = lcg(rate + count)
      const sizes = () => 1 + Math.floor(random() * 6000)
      const kernels = streamed(input, rate, sizes).marked
      const random2 = lcg(rate + count)
      const js = withoutDsp(() => streamed(input, rate, () => 1 + Math.floor(random2() * 6000)))
      for (let c = 0; c < count; c++) {
        let differ = 0
        for (let i = 0; i < js.marked[c]!.length; i++)
          if (!Object.is(js.marked[c]![i], kernels[c]![i])) differ++
        expect(differ, `${rate} Hz, ${count} channel(s), channel ${c}`).toBe(0)
        expect(kernels[c]).not.toEqual(input[c])
      }
    }
  })

  it('keeps bounded state: its buffers do not grow with the stream, and its latency is about a block', () => {
    const embedder = new StreamingEmbedder({
      sampleRate: 48000,
      channels: 2,
      key: KEY,
      payload: 1n,
    })
    const bytes = () =>
      Object.values(embedder as unknown as Record<string, unknown>).reduce<number>((sum, v) => {
        if (ArrayBuffer.isView(v)) return sum + v.byteLength
        if (Array.isArray(v))
          return sum + v.reduce((s: number, x) => s + (ArrayBuffer.isView(x) ? x.byteLength : 0), 0)
        return sum
      }, 0)
    const before = bytes()
    // 60 s of audio in 4096-frame blocks: the same buffers, reused.
    const block = [musicLike(4096 / 48000, 48000, 3), musicLike(4096 / 48000, 48000, 4)]
    const out = [new Float32Array(4096), new Float32Array(4096)]
    for (let t = 0; t < (60 * 48000) / 4096; t++) embedder.process(block, out)
    expect(bytes()).toBe(before)
    // Rings of about one block per channel and stage (under 16 MiB at 48 kHz stereo), while the
    // 60 s streamed through were 23 MB of samples.
    expect(before).toBeLessThan(16 * 1024 * 1024)
    expect(embedder.latency / 48000).toBeGreaterThan(0)
    expect(embedder.latency / 48000).toBeLessThan(10)
  })

  it('leaves silence silent and refuses bad options', () => {
    const silent = [new Float32Array(44100 * 9)]
    expect(streamed(silent, 44100, () => 5000).marked[0]!.every((v) => v === 0)).toBe(true)
    const ok = { sampleRate: 44100, channels: 2, key: KEY, payload: 1n }
    expect(() => new StreamingEmbedder({ ...ok, payload: -1n })).toThrow(/64-bit/)
    expect(() => new StreamingEmbedder({ ...ok, payload: 1n << 64n })).toThrow(/64-bit/)
    expect(() => new StreamingEmbedder({ ...ok, sampleRate: 8000 })).toThrow(/sample rate/)
    expect(() => new StreamingEmbedder({ ...ok, key: '' })).toThrow(/key/)
    expect(() => new StreamingEmbedder({ ...ok, channels: 0 })).toThrow(/channels/)
    const embedder = new StreamingEmbedder(ok)
    expect(() => embedder.process([new Float32Array(4)], [new Float32Array(4)])).toThrow(/2 input/)
  })
})
