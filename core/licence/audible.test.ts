import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { evaluateLicence, type LicenceDecision } from './evaluate.ts'
import { LicencePolicySchema, type Constraint, type Prohibition } from './policy.ts'

const stems = demo.stems.map((s) => ({ id: s.id, isVoice: s.isVoice }))
const names = Object.fromEntries(demo.stems.map((s) => [s.id, s.name]))

type TrackInput = { stem: string; gainDb?: number; regions?: object[] }

/** A 120 s remix of the demo's stems, each track playing it throughout unless told otherwise. */
function remix(tracks: TrackInput[], length = 120): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'copper-moons',
    tempo: 100,
    timeSignature: [4, 4],
    length,
    tracks: tracks.map((t, i) => ({
      id: `t${i}`,
      ...t,
      regions: (t.regions ?? [{ duration: length }]).map((r, j) => ({
        start: 0,
        offset: 0,
        ...r,
        id: `t${i}r${j}`,
      })),
    })),
  })
}

function judge(
  recipe: Recipe,
  constraints: Constraint[] = [],
  prohibitions: Prohibition[] = [],
): LicenceDecision {
  const policy = LicencePolicySchema.parse({
    version: 1,
    uid: 'urn:test',
    permissions: [{ action: 'remix', constraints }],
    prohibitions,
  })
  return evaluateLicence(policy, {
    action: 'export',
    at: '2026-06-01T12:00:00Z',
    country: 'GB',
    purpose: 'non-commercial',
    recipe,
    stems,
    exportsToday: 0,
    approved: false,
    names,
  })
}

const atLeast = (n: number): Constraint => ({
  leftOperand: 'stemCount',
  operator: 'gteq',
  rightOperand: n,
})
const drums = { stem: 'drums' }

describe('evaluateLicence: a stem counts toward a minimum only when used', () => {
  it('does not count a microsecond region or a stem at -59.99 dB, and names it', () => {
    for (const bass of [
      { stem: 'bass', regions: [{ duration: 1e-6 }] },
      { stem: 'bass', gainDb: -59.99 },
    ])
      expect(judge(remix([drums, bass]), [atLeast(2)]).violations).toEqual([
        {
          code: 'too_few_stems',
          message:
            'A remix must use at least 2 stems; this one uses 1 (Drums); Bass (0 s) is heard above -40 dB for less than the 8 seconds a stem needs to count.',
        },
      ])
  })

  it('counts 8 s and not 7.9 s; 10 % of a short remix', () => {
    const bass = (duration: number) => ({ stem: 'bass', regions: [{ duration }] })
    expect(judge(remix([drums, bass(8)]), [atLeast(2)]).allowed).toBe(true)
    const { violations } = judge(remix([drums, bass(7.9)]), [atLeast(2)])
    expect(violations[0]!.message).toMatch(/Bass \(7\.9 s\) is heard above -40 dB for less than/)
    expect(judge(remix([drums, bass(4)], 40), [atLeast(2)]).allowed).toBe(true)
    expect(judge(remix([drums, bass(3.9)], 40), [atLeast(2)]).violations[0]!.message).toMatch(
      /less than the 4 seconds, a tenth of this remix, a stem needs to count\.$/,
    )
  })

  it('requires a required stem to be used, saying how long it is heard', () => {
    const required: Constraint = {
      leftOperand: 'stemsUsed',
      operator: 'isAllOf',
      rightOperand: ['vox'],
    }
    const vox = (duration: number) => ({ stem: 'vox', regions: [{ duration }] })
    expect(judge(remix([drums, vox(8)]), [required]).allowed).toBe(true)
    expect(judge(remix([drums, vox(2)]), [required]).violations).toEqual([
      {
        code: 'stem_required',
        message:
          'A remix must use Voice; Voice (2 s) is heard above -40 dB for less than the 8 seconds a stem needs to count.',
        path: ['tracks', 1],
      },
    ])
  })

  it('still excludes and caps stems heard at all, however briefly', () => {
    const blip = { stem: 'lead', regions: [{ duration: 0.5 }] }
    const excluded: Constraint = {
      leftOperand: 'stemsUsed',
      operator: 'isNoneOf',
      rightOperand: ['lead'],
    }
    expect(judge(remix([drums, blip]), [excluded]).violations.map((v) => v.code)).toEqual([
      'stem_excluded',
    ])
    const atMost: Constraint = { leftOperand: 'stemCount', operator: 'lteq', rightOperand: 1 }
    expect(judge(remix([drums, blip]), [atMost]).violations.map((v) => v.code)).toEqual([
      'too_many_stems',
    ])
    const exactly: Constraint = { leftOperand: 'stemCount', operator: 'eq', rightOperand: 2 }
    expect(judge(remix([drums, blip]), [exactly]).violations.map((v) => v.code)).toEqual([
      'too_few_stems',
    ])
    expect(judge(remix([drums, { stem: 'bass' }]), [exactly]).allowed).toBe(true)
  })

  it('does not let a faint stem keep the voice company', () => {
    const isolation: Prohibition[] = [{ action: 'voiceIsolation' }]
    const faint = { stem: 'drums', gainDb: -50 }
    expect(judge(remix([{ stem: 'vox' }, faint]), [], isolation).violations).toEqual([
      {
        code: 'voice_isolation',
        message:
          'Voice may not be heard on its own; this remix plays nothing else that counts; Drums (0 s) is heard above -40 dB for less than the 8 seconds a stem needs to count. Add another stem to the mix.',
      },
    ])
    expect(judge(remix([{ stem: 'vox' }, drums]), [], isolation).allowed).toBe(true)
    // A voice heard too briefly to count is still a voice heard on its own.
    const brief = { stem: 'vox', regions: [{ duration: 2 }] }
    expect(judge(remix([brief]), [], isolation).violations.map((v) => v.code)).toEqual([
      'voice_isolation',
    ])
  })
})
