import { describe, expect, it } from 'vitest'
import { RecipeSchema } from '../recipe/schema.ts'
import { clockWords, recipeSummaryFrom } from './summary.ts'

const stems = [
  { id: 'drums', name: 'Drums', isVoice: false },
  { id: 'bass', name: 'Bass', isVoice: false },
  { id: 'pads', name: 'Pads', isVoice: false },
  { id: 'vox', name: 'Voice', isVoice: true },
]

const fx = (type: string, extra: object) => ({ id: `fx-${type}`, type, ...extra })

function recipe(change: object = {}) {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'copper-moons',
    tempo: 92.5,
    timeSignature: [4, 4],
    length: 187.4,
    master: { effects: [] },
    tracks: [
      { id: 't1', stem: 'drums', regions: [{ id: 'r1', start: 0, offset: 0, duration: 180 }] },
      { id: 't2', stem: 'bass', regions: [{ id: 'r2', start: 0, offset: 0, duration: 180 }] },
      {
        id: 't3',
        stem: 'pads',
        muted: true,
        regions: [{ id: 'r3', start: 0, offset: 0, duration: 180 }],
      },
    ],
    ...change,
  })
}

describe('recipeSummaryFrom', () => {
  it('says the length, the stems heard, and that nothing else was done', () => {
    expect(recipeSummaryFrom(recipe(), stems)).toEqual([
      '3:07 long at 92.5 BPM in 4/4',
      '2 of 4 stems heard: Drums and Bass',
      'No effects',
      'No pitch or speed changes',
      'No AI assistance',
    ])
  })

  it('names effects per stem and on the mix, pitch and speed changes, the voice and AI tools', () => {
    const r = recipe({
      tracks: [
        {
          id: 't1',
          stem: 'drums',
          effects: [
            fx('reverb', { decay: 2, wet: 0.3 }),
            fx('delay', { division: '1/4', feedback: 0.2, wet: 0 }),
          ],
          regions: [{ id: 'r1', start: 0, offset: 0, duration: 90, rate: 2 }],
        },
        {
          id: 't4',
          stem: 'vox',
          regions: [
            { id: 'r4', start: 0, offset: 0, duration: 10, pitch: -2 },
            { id: 'r5', start: 20, offset: 0, duration: 10, pitch: 3 },
          ],
        },
      ],
      master: { effects: [fx('eq3', { low: 0, mid: 0, high: 2 })] },
      aiActions: [
        {
          id: 'a1',
          tool: 'arrange',
          version: '1',
          provider: 'local',
          parameters: {},
          appliedAt: '2026-06-01T12:00:00Z',
        },
        {
          id: 'a2',
          tool: 'arrange',
          version: '1',
          provider: 'local',
          parameters: {},
          appliedAt: '2026-06-01T12:00:00Z',
        },
      ],
    })
    expect(recipeSummaryFrom(r, stems)).toEqual([
      '3:07 long at 92.5 BPM in 4/4',
      '2 of 4 stems heard: Drums and Voice',
      'Uses the voice: Voice',
      'Effects: reverb on Drums; EQ on the whole mix',
      'Pitch or speed changed: Drums +12 semitones; Voice -2 to +3 semitones',
      'AI-assisted: 2 actions (arrange)',
    ])
  })

  it('reads lengths like a clock', () => {
    expect([0, 59.4, 59.6, 61, 600].map(clockWords)).toEqual([
      '0:00',
      '0:59',
      '1:00',
      '1:01',
      '10:00',
    ])
  })
})
