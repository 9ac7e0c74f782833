import { describe, expect, test } from 'vitest'
import { renderAll } from '../render/index.ts'
import { CONVOLVER_CELL, reverbImpulse } from '../render/reverb.ts'
import { RATE, mono, recipeOf, sineOf } from '../render/testing/signals.ts'
import { useDsp, withoutDsp } from './kernels.ts'
import { kernelConvolver } from './render.ts'

// A module whose instance cannot be made: it imports a function no host gives it, so
// WebAssembly.Instance throws, as it does when a host has no memory left for another instance.
const unlinkable = Uint8Array.from(
  [
    '0061736d 01000000', // magic, version
    '01 04 01 60 00 00', // types: () → ()
    '02 09 01 03 656e76 01 66 00 00', // imports: env.f
  ]
    .join('')
    .replace(/ /g, '')
    .match(/../g)!,
  (byte) => parseInt(byte, 16),
)

describe('a reverb whose wasm instance cannot be made', () => {
  test('gets no kernel convolver and renders with the TypeScript one', async () => {
    useDsp(unlinkable)
    const ir = reverbImpulse(0.3, RATE, 5) as [Float32Array, Float32Array]
    expect(kernelConvolver(ir[0], ir[1], CONVOLVER_CELL)).toBeNull()
    const recipe = recipeOf({
      tracks: [
        {
          id: 't',
          stem: 's',
          effects: [{ id: 'v', type: 'reverb', decay: 0.8, wet: 0.5 }],
          regions: [{ id: 'r', start: 0, offset: 0, duration: 0.5 }],
        },
      ],
    })
    const sources = () => new Map([['s', mono(sineOf(440, 0.5, RATE / 2))]])
    const [left, right] = await renderAll(recipe, sources(), { sampleRate: RATE })
    const reference = await withoutDsp(() => renderAll(recipe, sources(), { sampleRate: RATE }))
    expect(left).toEqual(reference[0])
    expect(right).toEqual(reference[1])
    // the tail after the region is the reverb's
    expect(Math.max(...left!.subarray(Math.round(0.55 * RATE)).map(Math.abs))).toBeGreaterThan(1e-3)
  })
})
