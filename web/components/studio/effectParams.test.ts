import { describe, expect, it } from 'vitest'
import { EFFECT_PARAMS, sliderFrom, valueFrom } from './effectParams.ts'

describe('effect parameter sliders', () => {
  it('map log ranges both ways', () => {
    const cutoff = EFFECT_PARAMS.filter[1] as {
      min: number
      max: number
      step: number
      log: boolean
    }
    expect(sliderFrom(cutoff, 20)).toBe(0)
    expect(sliderFrom(cutoff, 20000)).toBe(1000)
    expect(valueFrom(cutoff, sliderFrom(cutoff, 632))).toBeCloseTo(632, -1)
  })

  it('snap to the step and stay in range', () => {
    const spec = { min: -24, max: 12, step: 0.5 }
    expect(valueFrom(spec, 500)).toBe(-6)
    expect(valueFrom(spec, 2000)).toBe(12)
  })
})
