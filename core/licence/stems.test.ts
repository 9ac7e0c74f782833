import { describe, expect, it } from 'vitest'
import { licenceStemsFrom } from './stems.ts'

describe('licenceStemsFrom', () => {
  it('names stems by their manifest ids as well', () => {
    expect(
      licenceStemsFrom('copper-moons', [
        { id: 'copper-moons-vox', isVoice: true },
        { id: 'other', isVoice: false },
      ]),
    ).toEqual([
      { id: 'copper-moons-vox', isVoice: true, manifestId: 'vox' },
      { id: 'other', isVoice: false },
    ])
  })
})
