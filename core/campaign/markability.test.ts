import { describe, expect, it } from 'vitest'
import type { Markability, MarkabilityLevel } from '../watermark/markability.ts'
import {
  exportMarkingFor,
  exportNoticeFor,
  markabilityWords,
  needsUnwatermarkedChoice,
  UNWATERMARKED_LABEL,
} from './markability.ts'

const measure = (level: MarkabilityLevel): Markability => ({
  level,
  coded: {
    found: level !== 'unmarkable',
    confidence: 0.5,
    bitErrors: level === 'unmarkable' ? null : 4,
  },
  noisy: {
    found: level === 'markable',
    confidence: 0.3,
    bitErrors: level === 'markable' ? 9 : null,
  },
  codedBits: 204,
  seconds: 16,
})

describe('markability rules', () => {
  it('asks for the choice only for an unmarkable campaign without one', () => {
    expect(needsUnwatermarkedChoice(measure('unmarkable'), null)).toBe(true)
    expect(needsUnwatermarkedChoice(measure('unmarkable'), {})).toBe(true)
    expect(needsUnwatermarkedChoice(measure('unmarkable'), { unwatermarked: 'refuse' })).toBe(false)
    expect(needsUnwatermarkedChoice(measure('weak'), {})).toBe(false)
    expect(needsUnwatermarkedChoice(measure('markable'), {})).toBe(false)
    expect(needsUnwatermarkedChoice(null, {})).toBe(false)
  })

  it('marks exports unless the campaign is unmarkable; then does as the licence says', () => {
    expect(exportMarkingFor(null, {})).toEqual({ watermark: true })
    expect(exportMarkingFor(measure('weak'), { unwatermarked: 'refuse' })).toEqual({
      watermark: true,
    })
    expect(exportMarkingFor(measure('unmarkable'), { unwatermarked: 'fingerprint-only' })).toEqual({
      watermark: false,
      label: UNWATERMARKED_LABEL,
    })
    const refused = exportMarkingFor(measure('unmarkable'), { unwatermarked: 'refuse' })
    expect(refused).toMatchObject({ refused: true })
    // Published before the choice existed: no unmarked copies go out.
    expect(exportMarkingFor(measure('unmarkable'), {})).toMatchObject({ refused: true })
    if ('reason' in refused) expect(refused.reason).not.toMatch(/again/)
  })

  it('tells fans before they export what the export rule will do', () => {
    expect(exportNoticeFor(null, {})).toBeNull()
    expect(exportNoticeFor(measure('weak'), { unwatermarked: 'refuse' })).toBeNull()
    const unmarked = exportNoticeFor(measure('unmarkable'), { unwatermarked: 'fingerprint-only' })
    expect(unmarked).toMatchObject({ refused: false })
    expect(unmarked!.message).toMatch(/without a watermark/)
    const refused = exportNoticeFor(measure('unmarkable'), { unwatermarked: 'refuse' })
    expect(refused).toMatchObject({ refused: true })
    // The same words the worker's refusal gives.
    const rule = exportMarkingFor(measure('unmarkable'), { unwatermarked: 'refuse' })
    expect('reason' in rule && rule.reason).toBe(refused!.message)
    expect(exportNoticeFor(measure('unmarkable'), {})).toMatchObject({ refused: true })
  })

  it('tells the artist what to do in plain words', () => {
    expect(markabilityWords('unmarkable')).toMatch(/between 1 and 6 kHz/)
    expect(markabilityWords('weak')).toMatch(/noise/)
    expect(markabilityWords('markable')).toMatch(/reads back/)
  })
})
