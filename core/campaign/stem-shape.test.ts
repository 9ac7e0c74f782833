import { describe, expect, it } from 'vitest'
import { campaignShape, stemProblems } from './stem-shape.ts'

describe('stem shape', () => {
  it('takes the majority rate and length, tolerating one 128-sample block', () => {
    const stems = [
      { sampleRate: 44100, lengthSamples: 441000 },
      { sampleRate: 48000, lengthSamples: 480000 },
      { sampleRate: 48000, lengthSamples: 480128 },
      { sampleRate: 48000, lengthSamples: 479000 },
    ]
    expect(campaignShape(stems)).toEqual({ sampleRate: 48000, lengthSamples: 480000 })
    const problems = stemProblems(stems)
    expect(problems[0]).toMatch(/44100 Hz but the campaign's other stems are at 48000 Hz/)
    expect(problems[1]).toBeNull()
    expect(problems[2]).toBeNull()
    expect(problems[3]).toMatch(/1000 samples shorter; export every stem from the same start/)
  })

  it('has nothing to say about one stem or none', () => {
    expect(stemProblems([{ sampleRate: 96000, lengthSamples: 5 }])).toEqual([null])
    expect(campaignShape([])).toBeNull()
  })
})
