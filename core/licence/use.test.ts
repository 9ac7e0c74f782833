import { describe, expect, it } from 'vitest'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import {
  activeEffects,
  heardStemsFrom,
  regionShift,
  semitonesFromRate,
  stemFor,
  stemMatches,
} from './use.ts'

const stems = [
  { id: 'c-drums', isVoice: false, manifestId: 'drums' },
  { id: 'c-vox', isVoice: true, manifestId: 'vox' },
]

function recipe(tracks: object[], master: object = {}): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 100,
    timeSignature: [4, 4],
    length: 60,
    master: { effects: [], ...master },
    tracks: tracks.map((t, i) => ({
      id: `t${i}`,
      regions: [{ id: `r${i}`, start: 0, offset: 0, duration: 60 }],
      ...t,
    })),
  })
}

describe('stemMatches and stemFor', () => {
  it('match every stem, voice stems, or one stem by either id', () => {
    const [drums, vox] = stems as [(typeof stems)[0], (typeof stems)[1]]
    expect(stemMatches(undefined, drums)).toBe(true)
    expect([stemMatches('voice', drums), stemMatches('voice', vox)]).toEqual([false, true])
    expect([stemMatches('drums', drums), stemMatches('c-drums', drums)]).toEqual([true, true])
    expect(stemMatches('vox', drums)).toBe(false)
    expect(stemFor('vox', stems)).toBe(vox)
    expect(stemFor('c-vox', stems)).toBe(vox)
    expect(stemFor('kazoo', stems)).toBeUndefined()
  })
})

describe('heardStemsFrom', () => {
  it('lists the campaign stems heard, with their tracks', () => {
    const r = recipe([{ stem: 'c-drums' }, { stem: 'c-vox' }, { stem: 'c-drums' }, { stem: 'x' }])
    expect([...heardStemsFrom(r, stems)]).toEqual([
      ['c-drums', [0, 2]],
      ['c-vox', [1]],
    ])
  })

  it('leaves out muted, unsoloed, silent, empty and out-of-range tracks', () => {
    const gone = [{ muted: true }, { gainDb: -60 }, { regions: [] }]
    const late = { regions: [{ id: 'late', start: 60, offset: 0, duration: 1 }] }
    const quiet = {
      gainDb: -20,
      regions: [{ id: 'q', start: 0, offset: 0, duration: 1, gainDb: -40 }],
    }
    for (const t of [...gone, late, quiet])
      expect(heardStemsFrom(recipe([{ stem: 'c-drums', ...t }]), stems).size).toBe(0)
    const solo = recipe([{ stem: 'c-drums' }, { stem: 'c-vox', soloed: true }])
    expect([...heardStemsFrom(solo, stems).keys()]).toEqual(['c-vox'])
  })
})

describe('activeEffects', () => {
  it('keeps the track chain then the master, without bypassed or fully dry effects', () => {
    const r = recipe(
      [
        {
          stem: 'c-vox',
          effects: [
            { id: 'a', type: 'reverb', decay: 2, wet: 0 },
            { id: 'b', type: 'eq3', low: 0, mid: 0, high: 0, bypass: true },
            { id: 'c', type: 'compressor', threshold: -20, ratio: 4, attack: 0.01, release: 0.1 },
          ],
        },
      ],
      { effects: [{ id: 'd', type: 'distortion', amount: 0.2, wet: 0.1 }] },
    )
    expect(activeEffects(r, 0).map((e) => [e.effect.id, e.path])).toEqual([
      ['c', ['tracks', 0, 'effects', 2]],
      ['d', ['master', 'effects', 0]],
    ])
  })
})

describe('regionShift', () => {
  it('adds region pitch, rate and pitch-shift effects, with the extremes of partly wet copies', () => {
    expect(semitonesFromRate(2)).toBe(12)
    expect(semitonesFromRate(0.5)).toBe(-12)
    const r = recipe(
      [
        {
          stem: 'c-vox',
          regions: [{ id: 'a', start: 0, offset: 0, duration: 10, pitch: 1, rate: 2 ** (1 / 12) }],
          effects: [{ id: 'p', type: 'pitchShift', semitones: -3, wet: 0.5 }],
        },
      ],
      { effects: [{ id: 'm', type: 'pitchShift', semitones: 2, wet: 1 }] },
    )
    const shift = regionShift(r, 0, 0)
    expect(shift.low).toBeCloseTo(1)
    expect(shift.high).toBeCloseTo(4)
    expect(shift.parts.map((p) => [p.path, p.partial])).toEqual([
      [['tracks', 0, 'regions', 0, 'pitch'], false],
      [['tracks', 0, 'regions', 0, 'rate'], false],
      [['tracks', 0, 'effects', 0], true],
      [['master', 'effects', 0], false],
    ])
    expect(regionShift(recipe([{ stem: 'c-vox' }]), 0, 0)).toEqual({ low: 0, high: 0, parts: [] })
  })
})
