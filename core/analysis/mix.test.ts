import { describe, expect, it } from 'vitest'
import { seededRandom } from '../lib/random.ts'
import { fixtureFrom, type FixtureSection, type FixtureSpec } from './testing/fixtures.ts'
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

const CASES: { name: string; spec: FixtureSpec; labels: string }[] = [
  {
    name: '97 BPM in G minor: chords alone, then drums and bass, then a lead and new harmony',
    spec: {
      tempo: 97,
      tonic: 7,
      mode: 'minor',
      sections: [
        part(8, { chords: true }),
        part(8, { drums: true, bass: true, chords: true }),
        part(8, { drums: true, bass: true, chords: true, lead: true, progression: 1 }),
      ],
    },
    labels: 'ABC',
  },
  {
    name: '128 BPM in E major: a groove, a lead over new harmony without bass, the groove again',
    spec: {
      tempo: 128,
      tonic: 4,
      mode: 'major',
      sections: [
        part(8, { drums: true, bass: true, chords: true }),
        part(8, { drums: true, chords: true, lead: true, progression: 1 }),
        part(8, { drums: true, bass: true, chords: true }),
      ],
    },
    labels: 'ABA',
  },
  {
    name: '110 BPM in A minor at 48 kHz',
    spec: {
      sampleRate: 48000,
      tempo: 110,
      tonic: 9,
      mode: 'minor',
      sections: [part(8, { drums: true, bass: true, chords: true, lead: true })],
    },
    labels: 'A',
  },
]

describe('analyseMix on synthesised loops with known answers', { timeout: 180_000 }, () => {
  it.each(CASES)('$name', ({ spec, labels }) => {
    const f = fixtureFrom(spec)
    const a = analyseMix(f.mix, f.sampleRate)
    expect(Math.abs(a.tempo - spec.tempo)).toBeLessThanOrEqual(1)
    expect(a.key).toBe(f.key)
    expect(a.timeSignature).toEqual([4, 4])
    // Every true bar start has a downbeat within 50 ms, and nothing else is a downbeat.
    expect(a.downbeats.length).toBeGreaterThanOrEqual(f.bars)
    for (let b = 0; b < f.bars; b++)
      expect(Math.abs(a.downbeats[b]! - b * f.barSeconds)).toBeLessThan(0.05)
    expect(a.beats.length).toBeGreaterThanOrEqual(4 * f.bars)
    // Section boundaries within one bar, and labels that say which sections repeat.
    const starts = a.sections.slice(1).map((s) => s.start / f.barSeconds)
    expect(starts.length).toBe(f.boundaries.length)
    starts.forEach((bar, i) => expect(Math.abs(bar - f.boundaries[i]!)).toBeLessThanOrEqual(1))
    expect(a.sections.map((s) => s.label).join('')).toBe(labels)
    expect(a.sections[0]!.start).toBe(0)
    expect(a.sections.at(-1)!.end).toBeCloseTo(f.mix[0]!.length / f.sampleRate, 2)
  })

  it('tells a major key from its relative minor', () => {
    const sections = [part(8, { bass: true, chords: true, drums: true })]
    const major = fixtureFrom({ tempo: 120, tonic: 5, mode: 'major', sections }) // F major
    const minor = fixtureFrom({ tempo: 120, tonic: 2, mode: 'minor', sections }) // D minor
    expect(analyseMix(major.mix, major.sampleRate).key).toBe('F major')
    expect(analyseMix(minor.mix, minor.sampleRate).key).toBe('D minor')
  })

  it('reports no grid, no key and one section for silence, noise and a lone click', () => {
    const sr = 44100
    const random = seededRandom(3)
    const noise = new Float32Array(sr * 10).map(() => random() - 0.5)
    const click = new Float32Array(sr * 5)
    click[sr] = 1
    for (const pcm of [new Float32Array(sr * 10), noise, click, new Float32Array(0)]) {
      const a = analyseMix([pcm], sr)
      expect(a).toMatchObject({ tempo: 0, beats: [], downbeats: [], key: null })
      expect(a.sections).toEqual([
        { start: 0, end: pcm.length / sr, startBar: 0, endBar: 0, label: 'A' },
      ])
    }
  })
})
