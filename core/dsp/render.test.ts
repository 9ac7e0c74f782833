import { describe, expect, test } from 'vitest'
import { renderAll } from '../render/index.ts'
import { Convolver, CONVOLVER_CELL, reverbImpulse } from '../render/reverb.ts'
import { RATE, mono, recipeOf, sineOf } from '../render/testing/signals.ts'
import { installDsp } from '../watermark/testing/dsp.ts'
import { withoutDsp } from './kernels.ts'
import { kernelConvolver } from './render.ts'

installDsp()

describe("core/render's kernels in WebAssembly", () => {
  test('the convolver gives the TypeScript reference’s bits, whole cells or pieces', () => {
    const ir = reverbImpulse(0.4, RATE, 3) as [Float32Array, Float32Array]
    const input = Float32Array.from(
      { length: 30_000 },
      (_, i) => (Math.sin(i * 0.21) * (i % 977)) / 977,
    )
    const run = (c: Pick<Convolver, 'process'>, block: number) => {
      const l = new Float32Array(input.length)
      const r = new Float32Array(input.length)
      for (let at = 0; at < input.length; at += block) {
        const n = Math.min(block, input.length - at)
        // a stereo input: the right channel reversed in sign and delayed a little
        const x = input.subarray(at, at + n)
        const y = Float32Array.from(x, (v, i) => -0.5 * (input[at + i - 7] ?? 0) + 0.1 * v)
        c.process(x, y, l.subarray(at, at + n), r.subarray(at, at + n), n)
      }
      return [l, r]
    }
    for (const block of [CONVOLVER_CELL, 128, 1000, 6000]) {
      const wasm = run(kernelConvolver(ir[0], ir[1], CONVOLVER_CELL)!, block)
      const js = run(new Convolver(ir[0], ir[1]), block)
      expect(wasm[0]).toEqual(js[0])
      expect(wasm[1]).toEqual(js[1])
      expect(Math.max(...wasm[0]!.map(Math.abs))).toBeGreaterThan(0.01)
    }
  })

  test('a convolver the module cannot hold is null (the caller runs the TypeScript one)', () => {
    const ir = reverbImpulse(0.2, RATE, 4) as [Float32Array, Float32Array]
    // render_conv_new refuses cells above 32768 frames
    expect(kernelConvolver(ir[0], ir[1], 65536)).toBeNull()
    expect(kernelConvolver(ir[0], ir[1], CONVOLVER_CELL)).not.toBeNull()
  })

  test('a render with a reverb is the same with and without the kernels', async () => {
    const recipe = recipeOf({
      tracks: [
        {
          id: 't',
          stem: 's',
          effects: [{ id: 'v', type: 'reverb', decay: 1.5, wet: 0.4 }],
          regions: [{ id: 'r', start: 0.1, offset: 0, duration: 0.8 }],
        },
      ],
      master: { effects: [{ id: 'm', type: 'reverb', decay: 0.5, wet: 0.2 }] },
    })
    const sources = () => new Map([['s', mono(sineOf(330, 0.5, RATE))]])
    const fast = await renderAll(recipe, sources(), { sampleRate: RATE })
    const reference = await withoutDsp(() => renderAll(recipe, sources(), { sampleRate: RATE }))
    expect(fast[0]).toEqual(reference[0])
    expect(fast[1]).toEqual(reference[1])
  })
})
