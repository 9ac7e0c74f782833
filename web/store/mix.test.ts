import { describe, expect, it } from 'vitest'
import { audibleMap, initialMix, mixReducer } from './mix.ts'

describe('mixReducer', () => {
  it('solo isolates a stem and unsolo restores the mix', () => {
    let mix = initialMix(['drums', 'bass', 'vox'])
    mix = mixReducer(mix, { type: 'toggleSolo', id: 'bass' })
    expect([...audibleMap(mix)]).toEqual([
      ['drums', false],
      ['bass', true],
      ['vox', false],
    ])
    mix = mixReducer(mix, { type: 'toggleSolo', id: 'bass' })
    expect([...audibleMap(mix).values()]).toEqual([true, true, true])
  })

  it('mutes, ignores unknown ids and resets', () => {
    let mix = mixReducer(initialMix(['a', 'b']), { type: 'toggleMute', id: 'a' })
    expect(mixReducer(mix, { type: 'toggleMute', id: 'zzz' })).toBe(mix)
    expect(audibleMap(mix).get('a')).toBe(false)
    mix = mixReducer(mix, { type: 'reset' })
    expect(audibleMap(mix).get('a')).toBe(true)
  })
})
