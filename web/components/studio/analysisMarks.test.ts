import { describe, expect, it } from 'vitest'
import type { CampaignAnalysis } from '../../../core/analysis/types.ts'
import { analysisMarksFrom } from './analysisMarks.ts'

const analysis: CampaignAnalysis = {
  version: 1,
  tempo: 100,
  timeSignature: [4, 4],
  beats: [0, 0.6, 1.2, 1.8, 2.4, 3, 3.6, 4.2, 4.8],
  downbeats: [0, 2.4, 4.8],
  key: 'D minor',
  keyConfidence: 0.1,
  sections: [
    { start: 0, end: 2.4, startBar: 0, endBar: 1, label: 'A' },
    { start: 2.4, end: 4.8, startBar: 1, endBar: 2, label: 'B' },
    { start: 4.8, end: 7.2, startBar: 2, endBar: 3, label: 'A' },
  ],
  loudness: { integratedLufs: -14, rangeLu: 5, truePeakDbtp: -1 },
}

describe('analysisMarksFrom', () => {
  it('draws nothing before the campaign is analysed', () => {
    expect(analysisMarksFrom(null, 60)).toEqual({ bands: [], ticks: [] })
  })

  it('gives a band per section up to the remix length, one colour per label', () => {
    const { bands } = analysisMarksFrom(analysis, 4)
    expect(bands.map((b) => [b.start, b.end, b.label])).toEqual([
      [0, 2.4, 'A'],
      [2.4, 4, 'B'],
    ])
    expect(bands[0]!.title).toBe('Section A: bars 1–1 of the original mix')
    const all = analysisMarksFrom(analysis, 10).bands
    expect(all[2]!.hue).toBe(all[0]!.hue)
    expect(all[1]!.hue).not.toBe(all[0]!.hue)
  })

  it('marks beats and which of them start bars', () => {
    const { ticks } = analysisMarksFrom(analysis, 3)
    expect(ticks.filter((t) => t.downbeat).map((t) => t.t)).toEqual([0, 2.4])
    expect(ticks).toHaveLength(6)
  })
})
