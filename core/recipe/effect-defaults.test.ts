import { describe, expect, it } from 'vitest'
import { EFFECT_NAMES, effectFrom } from './effect-defaults.ts'
import { EffectSchema, type EffectType } from './schema.ts'

describe('effectFrom', () => {
  it('gives every effect type valid defaults', () => {
    for (const type of Object.keys(EFFECT_NAMES) as EffectType[]) {
      const effect = effectFrom(type, `fx-${type}`)
      expect(EffectSchema.parse(effect)).toEqual(effect)
      expect(effect.type).toBe(type)
    }
  })
})
