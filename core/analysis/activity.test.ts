import { describe, expect, it } from 'vitest'
import { activityFrom } from './activity.ts'
import { fixtureFrom, type FixtureSection } from './testing/fixtures.ts'
import { analyseMix } from './mix.ts'

const part = (bars: number, on: Partial<FixtureSection>): FixtureSection => ({
  bars,
  drums: false,
  bass: false,
  chords: false,
  lead: false,
  progression: 0,
  ...on,
})

describe('activityFrom', () => {
  const f = fixtureFrom({
    tempo: 104,
    tonic: 0,
    mode: 'major',
    sections: [
      part(4, { chords: true }),
      part(8, { drums: true, bass: true, chords: true }),
      part(4, { chords: true, lead: true }),
    ],
    bassRests: [7, 8],
  })
  const grid = Array.from({ length: f.bars + 1 }, (_, b) => b * f.barSeconds)

  it('finds where each stem plays, a bass that drops out for two bars included', () => {
    const at = (id: keyof typeof f.stems) => activityFrom(f.stems[id], f.sampleRate, grid)
    expect(at('bass')).toEqual([
      { startBar: 4, endBar: 7 },
      { startBar: 9, endBar: 12 },
    ])
    expect(at('drums')).toEqual([{ startBar: 4, endBar: 12 }])
    expect(at('lead')).toEqual([{ startBar: 12, endBar: 16 }])
    expect(at('chords')).toEqual([{ startBar: 0, endBar: 16 }])
  })

  it('gives the same answer on the bar grid the analysis found', () => {
    const { downbeats } = analyseMix(f.mix, f.sampleRate)
    expect(activityFrom(f.stems.bass, f.sampleRate, downbeats)).toEqual([
      { startBar: 4, endBar: 7 },
      { startBar: 9, endBar: 12 },
    ])
  })

  it('reports a silent stem as never audible', () => {
    expect(activityFrom([new Float32Array(44100 * 4)], 44100, [0, 2])).toEqual([])
  })
})
