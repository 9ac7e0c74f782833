import { describe, expect, it } from 'vitest'
import { audibleFrom } from './audibility.ts'

const t = (muted: boolean, soloed: boolean) => ({ muted, soloed })

describe('audibleFrom', () => {
  it('plays everything unmuted when nothing is soloed', () => {
    expect(audibleFrom([t(false, false), t(true, false), t(false, false)])).toEqual([
      true,
      false,
      true,
    ])
  })

  it('plays only soloed tracks once any is soloed', () => {
    expect(audibleFrom([t(false, true), t(false, false), t(false, true)])).toEqual([
      true,
      false,
      true,
    ])
  })

  it('lets mute win over solo', () => {
    expect(audibleFrom([t(true, true), t(false, false)])).toEqual([false, false])
  })

  it('handles no tracks', () => {
    expect(audibleFrom([])).toEqual([])
  })
})
