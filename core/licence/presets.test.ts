import { describe, expect, it } from 'vitest'
import { describeLicence } from './describe.ts'
import { LicencePolicySchema } from './policy.ts'
import { LicencePolicyInputSchema, licencePresets } from './presets.ts'

const presets = licencePresets({ title: 'Copper Moons', artist: 'Halcyon Drift' })
const byId = (id: string) => presets.find((p) => p.id === id)!

describe('licencePresets', () => {
  it('offers the three presets, each a valid policy that describes itself in sentences', () => {
    expect(presets.map((p) => p.name)).toEqual([
      'Open remix',
      'Non-commercial, vocals protected',
      'Approval required',
    ])
    for (const preset of presets) {
      expect(LicencePolicySchema.parse(preset.policy)).toEqual(preset.policy)
      const sentences = describeLicence(preset.policy)
      expect(sentences.length).toBeGreaterThan(3)
      expect(sentences.every((s) => /^[A-Z“].*\.$/.test(s))).toBe(true)
    }
  })

  it('names the campaign in the attribution it asks for', () => {
    expect(describeLicence(byId('open-remix').policy)).toContain(
      'Credit: “Contains stems from “Copper Moons” by Halcyon Drift, used under licence”.',
    )
    const generic = licencePresets()[0]!.policy.duties[0]
    expect(generic).toEqual({
      action: 'attribute',
      text: 'Contains official stems, used under licence',
    })
  })

  it('protects the voice and keeps remixes non-commercial unless the preset is open', () => {
    const open = describeLicence(byId('open-remix').policy)
    const vocals = describeLicence(byId('non-commercial-vocals-protected').policy)
    expect(open.join(' ')).not.toMatch(/commercial/)
    expect(vocals).toContain('No commercial use.')
    expect(vocals).toContain('The voice may not be exported on its own.')
    expect(vocals.join(' ')).toContain('pitch shift at most 2 semitones on voice stems')
  })

  it('asks for approval only in the approval-required preset', () => {
    const approvals = presets.map((p) => p.policy.duties.some((d) => d.action === 'obtainApproval'))
    expect(approvals).toEqual([false, false, true])
    expect(describeLicence(byId('approval-required').policy)).toContain(
      'The artist approves a remix before it is shared publicly.',
    )
  })

  it('gives a fresh copy each time, so editing one changes no other', () => {
    const first = licencePresets()
    first[0]!.policy.permissions.length = 0
    expect(licencePresets()[0]!.policy.permissions.length).toBeGreaterThan(0)
  })
})

describe('LicencePolicyInputSchema', () => {
  it('takes a policy without uid or version and refuses one that cannot be enforced', () => {
    const { uid: _, version: __, ...input } = byId('open-remix').policy
    expect(LicencePolicyInputSchema.safeParse(input).success).toBe(true)
    const bad = {
      ...input,
      permissions: [
        {
          action: 'remix',
          constraints: [{ leftOperand: 'pitchShift', operator: 'gt', rightOperand: 2 }],
        },
      ],
    }
    const parsed = LicencePolicyInputSchema.safeParse(bad)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe('pitchShift takes lt, lteq, not gt')
  })
})
