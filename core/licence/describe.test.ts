import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { describeConstraint, describeLicence, ruleWords } from './describe.ts'
import { ConstraintSchema, LicencePolicySchema } from './policy.ts'

describe('describeConstraint', () => {
  it('says each kind in plain words', () => {
    expect(
      describeConstraint({
        leftOperand: 'pitchShift',
        operator: 'lteq',
        rightOperand: 2,
        target: 'voice',
      }),
    ).toBe('pitch shift at most 2 semitones on voice stems')
    expect(
      describeConstraint({
        leftOperand: 'spatial',
        operator: 'isNoneOf',
        rightOperand: ['KP', 'IR'],
      }),
    ).toBe('not in KP, IR')
    expect(
      describeConstraint({ leftOperand: 'outputDuration', operator: 'gteq', rightOperand: 30 }),
    ).toBe('length at least 30 seconds')
    expect(
      describeConstraint({
        leftOperand: 'dateTime',
        operator: 'lt',
        rightOperand: '2027-12-31T23:59:00Z',
      }),
    ).toBe('until Fri, 31 Dec 2027 23:59 UTC')
    expect(
      describeConstraint({
        leftOperand: 'playbackRate',
        operator: 'gteq',
        rightOperand: 0.5,
        target: 'drums',
      }),
    ).toBe('playback rate at least 0.5× on the drums stem')
  })

  it('says required and excluded stems and effect types, by name when it has names', () => {
    const names = { drums: 'Drums', bass: 'Bass', vox: 'Voice' }
    expect(
      describeConstraint(
        { leftOperand: 'stemsUsed', operator: 'isAllOf', rightOperand: ['drums', 'bass'] },
        names,
      ),
    ).toBe('always using Drums and Bass')
    expect(
      describeConstraint({ leftOperand: 'stemsUsed', operator: 'isNoneOf', rightOperand: ['vox'] }),
    ).toBe('without vox')
    expect(
      describeConstraint({
        leftOperand: 'effectType',
        operator: 'isNoneOf',
        rightOperand: ['distortion', 'pitchShift'],
        target: 'voice',
      }),
    ).toBe('no distortion or pitch shift on voice stems')
    expect(
      describeConstraint(
        {
          leftOperand: 'effectType',
          operator: 'isAnyOf',
          rightOperand: ['reverb', 'delay', 'eq3'],
          target: 'drums',
        },
        names,
      ),
    ).toBe('only reverb, delay or EQ effects on the Drums stem')
    expect(
      describeConstraint({ leftOperand: 'effectType', operator: 'isAnyOf', rightOperand: [] }),
    ).toBe('no effects')
    expect(
      describeConstraint({
        leftOperand: 'purpose',
        operator: 'isNoneOf',
        rightOperand: ['commercial'],
      }),
    ).toBe('not for commercial purposes')
    expect(describeConstraint({ leftOperand: 'spatial', operator: 'eq', rightOperand: 'IE' })).toBe(
      'only in IE',
    )
  })
})

describe('ruleWords', () => {
  it('says a per-stem rule about whoever it names', () => {
    expect(
      ruleWords({ leftOperand: 'pitchShift', operator: 'lteq', rightOperand: 2 }, 'Voice stems'),
    ).toBe('Voice stems may be pitch-shifted by at most ±2 semitones')
    expect(
      ruleWords({ leftOperand: 'playbackRate', operator: 'gt', rightOperand: 0.5 }, 'Bass'),
    ).toBe('Bass must play at a rate of over 0.5×')
    expect(
      ruleWords(
        { leftOperand: 'effectType', operator: 'isNoneOf', rightOperand: ['eq3'] },
        'Stems',
      ),
    ).toBe('Stems may not have EQ')
  })
})

describe('describeLicence', () => {
  it('lists permissions with their constraints, then prohibitions, then duties', () => {
    const policy = LicencePolicySchema.parse({
      version: 1,
      uid: 'urn:test',
      permissions: [
        {
          action: 'remix',
          constraints: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: 'non-commercial' }],
        },
        { action: 'download' },
      ],
      prohibitions: [
        { action: 'voiceIsolation', target: 'voice' },
        { action: 'reverse', target: 'vox' },
      ],
      duties: [{ action: 'attribute', text: 'Song by Band' }, { action: 'discloseAi' }],
    })
    expect(describeLicence(policy)).toEqual([
      'You may remix these stems: for non-commercial purposes only.',
      'You may download your export.',
      'The voice may not be exported on its own.',
      'No reversing on the vox stem.',
      'Credit: “Song by Band”.',
      'Every export says exactly what AI did, or that none was used.',
    ])
  })

  it('describes the demo licence, names and all', () => {
    const policy = LicencePolicySchema.parse(demo.licence)
    const names = Object.fromEntries(demo.stems.map((s) => [s.id, s.name]))
    expect(describeLicence(policy, names)[0]).toBe(
      'You may remix these stems: from Thu, 01 Jan 2026 00:00 UTC; until Fri, 31 Dec 2027 23:59 UTC; for non-commercial purposes only; length at least 30 seconds; length at most 600 seconds; using at least 2 stems; pitch shift at most 2 semitones on voice stems; pitch shift at most 12 semitones; playback rate at least 0.5×; playback rate at most 2×; at most 20 exports per fan per day.',
    )
  })

  it('rejects a policy without permissions or with an unknown operand', () => {
    expect(LicencePolicySchema.safeParse({ version: 1, uid: 'u', permissions: [] }).success).toBe(
      false,
    )
    expect(
      LicencePolicySchema.safeParse({
        version: 1,
        uid: 'u',
        permissions: [
          {
            action: 'remix',
            constraints: [{ leftOperand: 'mood', operator: 'eq', rightOperand: 1 }],
          },
        ],
      }).success,
    ).toBe(false)
  })
})

describe('ConstraintSchema', () => {
  const problem = (c: object) => {
    const result = ConstraintSchema.safeParse(c)
    return result.success ? null : result.error.issues[0]!.message
  }

  it('accepts every constraint of the demo licence and the new operands', () => {
    const demoConstraints = demo.licence.permissions.flatMap((p): object[] => p.constraints)
    expect(demoConstraints).toHaveLength(15)
    for (const c of demoConstraints) expect(problem(c)).toBeNull()
    expect(
      problem({ leftOperand: 'stemsUsed', operator: 'isAllOf', rightOperand: ['drums'] }),
    ).toBeNull()
    expect(
      problem({
        leftOperand: 'effectType',
        operator: 'isNoneOf',
        rightOperand: ['distortion'],
        target: 'voice',
      }),
    ).toBeNull()
  })

  it('rejects what could not be enforced as written', () => {
    expect(problem({ leftOperand: 'pitchShift', operator: 'gteq', rightOperand: 2 })).toBe(
      'pitchShift takes lt, lteq, not gteq',
    )
    expect(
      problem({ leftOperand: 'effectType', operator: 'isNoneOf', rightOperand: ['fuzz'] }),
    ).toBe(
      'effectType isNoneOf needs a list of filter, eq3, compressor, delay, reverb, distortion, pitchShift',
    )
    expect(problem({ leftOperand: 'stemsUsed', operator: 'isAllOf', rightOperand: 'drums' })).toBe(
      'stemsUsed isAllOf needs a list of stem ids',
    )
    expect(
      problem({ leftOperand: 'dateTime', operator: 'lt', rightOperand: '31/12/2027', target: 'x' }),
    ).toBe('dateTime takes no target')
    expect(problem({ leftOperand: 'dateTime', operator: 'lt', rightOperand: 'soon' })).toBe(
      'dateTime lt needs an ISO 8601 date-time with its offset',
    )
    expect(problem({ leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['gb'] })).toBe(
      'spatial isAnyOf needs a list of ISO 3166-1 alpha-2 codes in capitals',
    )
    expect(problem({ leftOperand: 'purpose', operator: 'eq', rightOperand: 'noncommercial' })).toBe(
      'purpose eq needs one of non-commercial, commercial',
    )
    expect(problem({ leftOperand: 'exportsPerDay', operator: 'lteq', rightOperand: 2.5 })).toBe(
      'exportsPerDay lteq needs a whole number of 0 or more',
    )
    expect(problem({ leftOperand: 'playbackRate', operator: 'gteq', rightOperand: 0 })).toBe(
      'playbackRate gteq needs a number over 0',
    )
  })
})
