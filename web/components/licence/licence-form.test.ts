import manifest from '../../../stems/manifest.json'
import { describe, expect, it } from 'vitest'
import { describeLicence } from '../../../core/licence/describe.ts'
import { LeftOperand, LicencePolicySchema, OPERANDS } from '../../../core/licence/policy.ts'
import { licencePresets } from '../../../core/licence/presets.ts'
import {
  ATTRIBUTION_PATH,
  checkDraft,
  constraintFrom,
  draftFrom,
  isoFromUtcInput,
  issuesAt,
  newConstraint,
  policyFrom,
  previewable,
  utcInputFrom,
  withOperand,
} from './licence-form.ts'

const demo = LicencePolicySchema.parse(manifest.licence)
const stemIds = manifest.stems.map((s) => s.id)

describe('licence form', () => {
  it('gives back the very policy it was loaded from: the demo licence and every preset', () => {
    for (const policy of [
      demo,
      ...licencePresets({ title: 'T', artist: 'A' }).map((p) => p.policy),
    ]) {
      const check = checkDraft(draftFrom(policy), stemIds)
      expect(check.ok).toBe(true)
      if (check.ok) expect(check.policy).toEqual(policy)
    }
  })

  it('starts a new licence that only allows remixing, and is valid as it is', () => {
    const check = checkDraft(draftFrom(null), [])
    expect(check.ok).toBe(true)
    if (check.ok) expect(check.policy.permissions).toEqual([{ action: 'remix', constraints: [] }])
  })

  it('reads datetime-local input as UTC and writes UTC back', () => {
    expect(utcInputFrom('2027-12-31T23:59:59Z')).toBe('2027-12-31T23:59:59')
    expect(utcInputFrom('2026-01-01T02:00:00+02:00')).toBe('2026-01-01T00:00:00')
    expect(isoFromUtcInput('2026-05-01T10:30')).toBe('2026-05-01T10:30:00Z')
    expect(isoFromUtcInput('2026-05-01T10:30:15')).toBe('2026-05-01T10:30:15Z')
    expect(isoFromUtcInput('')).toBe('')
  })

  it('turns typed countries into one code for "eq" and a list otherwise', () => {
    const c = { ...newConstraint('spatial'), text: 'fr, de  jp' }
    expect(constraintFrom(c).rightOperand).toEqual(['FR', 'DE', 'JP'])
    expect(constraintFrom({ ...c, operator: 'eq', text: 'fr' }).rightOperand).toBe('FR')
  })

  it('offers a valid first value for every left operand but the date, which must be chosen', () => {
    for (const operand of LeftOperand.options) {
      const c = newConstraint(operand)
      expect(OPERANDS[operand].operators).toContain(c.operator)
      const draft = {
        ...draftFrom(null),
        permissions: [{ action: 'remix' as const, constraints: [c] }],
      }
      expect(checkDraft(draft, stemIds).ok, operand).toBe(operand !== 'dateTime')
    }
  })

  it('puts the engine’s own words next to a value it cannot enforce', () => {
    const draft = draftFrom(demo)
    const i = draft.permissions[0]!.constraints.findIndex((c) => c.leftOperand === 'pitchShift')
    draft.permissions[0]!.constraints[i] = { ...draft.permissions[0]!.constraints[i]!, text: 'two' }
    const check = checkDraft(draft, stemIds)
    expect(check.ok).toBe(false)
    expect(issuesAt(check.issues, `permissions.0.constraints.${i}`)).toEqual([
      'pitchShift lteq needs a number of 0 or more',
    ])
    expect(issuesAt(check.issues, 'permissions.1')).toEqual([])
  })

  it('flags an empty credit line on the attribution field', () => {
    const check = checkDraft({ ...draftFrom(demo), attribution: '' }, stemIds)
    expect(check.ok).toBe(false)
    expect(issuesAt(check.issues, ATTRIBUTION_PATH)).toHaveLength(1)
  })

  it('refuses a licence with no permission at all', () => {
    const check = checkDraft({ ...draftFrom(demo), permissions: [] }, stemIds)
    expect(check.ok).toBe(false)
    expect(check.issues.get('permissions')).toHaveLength(1)
  })

  it('refuses targets and stem ids that are not this campaign’s stems', () => {
    const draft = draftFrom(demo)
    draft.permissions[0]!.constraints.push(
      { ...newConstraint('pitchShift'), target: 'cowbell' },
      { ...newConstraint('stemsUsed'), picked: ['vox', 'kazoo'] },
    )
    draft.prohibitions.push({ action: 'reverse', target: 'gone' })
    const check = checkDraft(draft, stemIds)
    const n = draft.permissions[0]!.constraints.length
    expect(check.issues.get(`permissions.0.constraints.${n - 2}.target`)).toEqual([
      'cowbell is not a stem of this campaign',
    ])
    expect(check.issues.get(`permissions.0.constraints.${n - 1}.rightOperand`)).toEqual([
      'kazoo is not a stem of this campaign',
    ])
    expect(check.issues.get(`prohibitions.${draft.prohibitions.length - 1}.target`)).toEqual([
      'gone is not a stem of this campaign',
    ])
  })

  it('starts a row again when what it limits changes', () => {
    const c = { ...newConstraint('pitchShift'), text: '5', target: 'voice' }
    expect(withOperand(c, 'pitchShift')).toBe(c)
    expect(withOperand(c, 'effectType')).toEqual(newConstraint('effectType'))
  })

  it('previews only the terms that hold, and counts the rest', () => {
    const draft = draftFrom(demo)
    draft.permissions[0]!.constraints[0] = { ...draft.permissions[0]!.constraints[0]!, text: '' }
    const { policy, omitted } = previewable(draft)
    expect(omitted).toBe(1)
    const lines = describeLicence(policy)
    expect(lines[0]).not.toMatch(/from /)
    expect(lines[0]).toMatch(/until Fri, 31 Dec 2027 23:59 UTC/)
    expect(describeLicence(previewable(draftFrom(demo)).policy)).toEqual(describeLicence(demo))
  })

  it('keeps duties in the order attribution, AI disclosure, approval', () => {
    const p = policyFrom({
      ...draftFrom(null),
      attribution: 'x',
      discloseAi: true,
      obtainApproval: true,
    })
    expect(p.duties).toEqual([
      { action: 'attribute', text: 'x' },
      { action: 'discloseAi' },
      { action: 'obtainApproval' },
    ])
  })
})
