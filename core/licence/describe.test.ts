import { describe, expect, it } from 'vitest'
import { describeConstraint, describeLicence } from './describe.ts'
import { LicencePolicySchema } from './policy.ts'

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
      'Every export is labelled as AI-assisted.',
    ])
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
