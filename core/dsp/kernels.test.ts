import { describe, expect, it } from 'vitest'
import { Fft } from '../lib/dsp/fft.ts'
import { keyedStream } from '../lib/random.ts'
import { bandBank, HALF_BAND_TAPS, halveBand, resampleBand } from '../watermark/band.ts'
import { detectWatermark, syncShiftOf } from '../watermark/detect.ts'
import { embedWatermark } from '../watermark/embed.ts'
import { BANDS, BLOCK_FRAMES, FRAME, layoutFor, RATE, SLOTS } from '../watermark/layout.ts'
import { ScaleScorer } from '../watermark/scale.ts'
import { SyncCorrelator } from '../watermark/sync.ts'
import { filter, musicLike } from '../watermark/testing/audio.ts'
import { dspWasmBytes, installDsp } from '../watermark/testing/dsp.ts'
import { KERNEL_BANDS, KERNEL_BLOCK, KERNEL_FRAME, withoutDsp } from './kernels.ts'

const kernels = installDsp()
const noise = (n: number, seed: string) => {
  const next = keyedStream(seed, 'kernels test')
  return Float32Array.from({ length: n }, () => next() / 2 ** 32 - 0.5)
}
/** Largest |a − b| over the largest |b|: 0 when the kernels give the same bits. */
const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0
  let scale = 0
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!))
    scale = Math.max(scale, Math.abs(b[i]!))
  }
  return diff / scale
}

describe('the shared DSP kernels', () => {
  it('are compiled for the watermark geometry', () => {
    expect([KERNEL_FRAME, KERNEL_BANDS, KERNEL_BLOCK]).toEqual([FRAME, BANDS, BLOCK_FRAMES])
  })

  it('transform as the JS FFT does, bit for bit', () => {
    for (const n of [4, 8, 128, 512]) {
      const re = Float64Array.from(noise(n, `re${n}`))
      const im = Float64Array.from(noise(n, `im${n}`))
      const data = new Float64Array(2 * n)
      for (let i = 0; i < n; i++) [data[2 * i], data[2 * i + 1]] = [re[i]!, im[i]!]
      new Fft(n).transform(re, im)
      kernels.fft(data)
      expect(data.filter((_, i) => i % 2 === 0)).toEqual(re)
      expect(data.filter((_, i) => i % 2 === 1)).toEqual(im)
    }
  })

  it('take logarithms within 2 units in the last place of Math.log', () => {
    const next = keyedStream('ln', 'kernels test')
    for (let i = 0; i < 20_000; i++) {
      const x = Math.exp((next() / 2 ** 32 - 0.5) * 80) // 4e-18 … 2e17
      expect(Math.abs(kernels.ln(x) - Math.log(x))).toBeLessThanOrEqual(
        4.5e-16 * Math.max(1, Math.abs(Math.log(x))),
      )
    }
    expect(kernels.ln(1)).toBe(0)
  })

  it('score the sync at every shift as the JS correlator does, bit for bit', () => {
    const correlator = new SyncCorrelator(layoutFor('kernel-key'))
    const folded = noise(2 * SLOTS, 'folded')
    for (const normalized of [true, false]) {
      const js = new Float64Array(BLOCK_FRAMES)
      const wasm = new Float64Array(BLOCK_FRAMES)
      correlator.scores(folded, js, normalized, true)
      correlator.scores(folded, wasm, normalized)
      expect(wasm).toEqual(js)
    }
  })

  it("fold a clip's features and find the best block shift as the JS search does", () => {
    const marked = embedWatermark([musicLike(10, 22050, 4)], 22050, 'c0ffee0123456789', 'k')[0]!
    for (const signal of [marked, musicLike(10, 22050, 5)]) {
      const js = withoutDsp(() => syncShiftOf(signal, 'k', false))
      const wasm = syncShiftOf(signal, 'k', false)
      // Only the logarithm differs (within 2 ulp): the same shift, the z-score to float precision.
      expect(wasm.shift).toBe(js.shift)
      expect(Math.abs(wasm.z - js.z)).toBeLessThan(1e-5 * Math.max(1, Math.abs(js.z)))
    }
  })

  it('resample a clip as the JS resampler does, bit for bit', () => {
    const signal = noise(3 * RATE + 17, 'resample')
    for (const speed of [1.03, 0.961]) {
      const from = Math.round(RATE / speed)
      const length = Math.ceil((signal.length * RATE) / from)
      const js = resampleBand(signal, from, RATE, new Float32Array(length))
      kernels.reset()
      const clip = kernels.resampledClip(
        kernels.clip(signal, 0),
        from,
        RATE,
        bandBank(from, RATE)!,
        length,
        0,
      )
      expect(kernels.signalOf(clip)).toEqual(js)
    }
  })

  it('analyse densely and read the speed/tempo features as the JS scorer does', () => {
    const signal = musicLike(4, 22050, 9)
    const limit = 200
    const js = new ScaleScorer(signal, 0.06, limit, true)
    const wasm = new ScaleScorer(signal, 0.06, limit)
    expect(wasm.cumulativePower()).toEqual(js.cumulativePower())
    const features = new Float32Array(limit * BANDS)
    for (const [speed, tempo, start] of [
      [1, 1, 0],
      [1, 1, 3],
      [1.027, 1, 0],
      [0.961, 1, 2],
      [1, 1.045, 1],
    ] as const) {
      const a = new Float32Array(SLOTS)
      const b = new Float32Array(SLOTS)
      expect(wasm.fold(speed, tempo, features, b, limit, start)).toBe(
        js.fold(speed, tempo, features, a, limit, start),
      )
      // Only the logarithm differs (within 2 ulp): features agree to float precision.
      expect(relativeError(b, a)).toBeLessThan(1e-6)
    }
  })

  it('mix to mono and halve the rate as the JS does, bit for bit', () => {
    const channels = [noise(44_101, 'left'), noise(44_101, 'right')]
    const mix = new Float32Array(44_101)
    for (const c of channels) for (let i = 0; i < mix.length; i++) mix[i]! += c[i]! / 2
    const js = halveBand(mix, new Float32Array(22_051))
    expect(kernels.monoHalved(channels, HALF_BAND_TAPS)).toEqual(js)
  })

  it('leave every detection as the JS reference makes it', () => {
    const KEY = 'kernel-detect'
    const host = musicLike(10, 44100, 12)
    const marked = embedWatermark([host, host], 44100, 'c0ffee0123456789', KEY)
    // Sped up and slowed down (resampled): the search resamples and folds each factor it reads.
    const changed = [1.03, 0.97].map(
      (f) =>
        filter({ channels: marked, sampleRate: 44100 }, `asetrate=${44100 * f},aresample=44100`)
          .channels,
    )
    const unmarked = [musicLike(9, 44100, 13), musicLike(9, 44100, 14)]
    const found = [marked, ...changed, unmarked].map((clip) => {
      const js = withoutDsp(() => detectWatermark(clip, 44100, KEY))
      expect(detectWatermark(clip, 44100, KEY)).toEqual(js)
      return js.found ? Math.round(js.speed * 100) / 100 : null
    })
    expect(found).toEqual([1, 1.03, 0.97, null])
  })

  it('are the committed dsp.wasm, rebuilt from dsp.c when clang can target wasm32', async (context) => {
    const { spawnSync } = (await import('node:child_process' as string)) as {
      spawnSync(c: string, a: string[]): { status: number | null }
    }
    const fs = (await import('node:fs' as string)) as {
      readFileSync(p: string): Uint8Array
      mkdtempSync(p: string): string
    }
    const build = new URL('./wasm/build.sh', import.meta.url).pathname
    const out = `${fs.mkdtempSync('/tmp/dsp-wasm-')}/dsp.wasm`
    const built = spawnSync('sh', [build, out])
    if (built.status !== 0) context.skip('clang/wasm-ld for wasm32 are not installed here')
    expect(Buffer.from(fs.readFileSync(out)).equals(Buffer.from(dspWasmBytes()))).toBe(true)
  })
})
