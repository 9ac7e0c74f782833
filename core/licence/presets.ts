import { z } from 'zod'
import { LicencePolicySchema, type Constraint, type LicencePolicy } from './policy.ts'

/** A licence as an artist writes it: the worker stamps its `uid` and `version` when it is saved. */
export const LicencePolicyInputSchema = LicencePolicySchema.extend({
  version: LicencePolicySchema.shape.version.optional(),
  uid: LicencePolicySchema.shape.uid.optional(),
})
export type LicencePolicyInput = z.input<typeof LicencePolicyInputSchema>

/** The ids of the presets the licence editor starts from. */
export type LicencePresetId = 'open-remix' | 'non-commercial-vocals-protected' | 'approval-required'

/** A starting point for a campaign's licence, with a line on who it suits. */
export type LicencePreset = {
  id: LicencePresetId
  name: string
  description: string
  policy: LicencePolicy
}

/** What the presets need to know of the campaign: its attribution names the work and artist. */
export type PresetCampaign = { title?: string; artist?: string }

function attributionText({ title, artist }: PresetCampaign): string {
  if (title && artist) return `Contains stems from “${title}” by ${artist}, used under licence`
  if (title) return `Contains stems from “${title}”, used under licence`
  return 'Contains official stems, used under licence'
}

const lengthLimits: Constraint[] = [
  { leftOperand: 'outputDuration', operator: 'gteq', rightOperand: 30 },
  { leftOperand: 'outputDuration', operator: 'lteq', rightOperand: 900 },
  { leftOperand: 'stemCount', operator: 'gteq', rightOperand: 2 },
]

const protectedVoice: Constraint[] = [
  { leftOperand: 'purpose', operator: 'eq', rightOperand: 'non-commercial' },
  { leftOperand: 'pitchShift', operator: 'lteq', rightOperand: 2, target: 'voice' },
  { leftOperand: 'exportsPerDay', operator: 'lteq', rightOperand: 20 },
]

const voiceProhibitions: LicencePolicy['prohibitions'] = [
  { action: 'commercialUse' },
  { action: 'externalAudio' },
  { action: 'voiceIsolation', target: 'voice' },
  { action: 'voiceIdentityChange', target: 'voice' },
  { action: 'voiceSynthesis', target: 'voice' },
  { action: 'textAndDataMining' },
]

function policy(id: LicencePresetId, body: Omit<LicencePolicy, 'version' | 'uid'>): LicencePolicy {
  return LicencePolicySchema.parse({
    version: 1,
    uid: `urn:stemfair:licence-preset:${id}`,
    ...body,
  })
}

/** The three presets, their attribution naming `campaign` when given. */
export function licencePresets(campaign: PresetCampaign = {}): LicencePreset[] {
  const duties: LicencePolicy['duties'] = [
    { action: 'attribute', text: attributionText(campaign) },
    { action: 'discloseAi' },
  ]
  return [
    {
      id: 'open-remix',
      name: 'Open remix',
      description:
        'Fans may remix, share and download freely, commercial use included; they credit you and label AI help. Your stems are reserved from AI training.',
      policy: policy('open-remix', {
        permissions: [
          { action: 'remix', constraints: lengthLimits },
          { action: 'share', constraints: [] },
          { action: 'download', constraints: [] },
          { action: 'generateParts', constraints: [] },
        ],
        prohibitions: [{ action: 'textAndDataMining' }],
        duties,
      }),
    },
    {
      id: 'non-commercial-vocals-protected',
      name: 'Non-commercial, vocals protected',
      description:
        'Non-commercial remixes only; the voice may not be isolated, re-synthesized or changed in identity, and moves at most ±2 semitones.',
      policy: policy('non-commercial-vocals-protected', {
        permissions: [
          { action: 'remix', constraints: [...lengthLimits, ...protectedVoice] },
          { action: 'share', constraints: [] },
          { action: 'download', constraints: [] },
        ],
        prohibitions: voiceProhibitions,
        duties,
      }),
    },
    {
      id: 'approval-required',
      name: 'Approval required',
      description:
        'As non-commercial with the voice protected, and every remix waits for your approval before it is shared publicly.',
      policy: policy('approval-required', {
        permissions: [
          { action: 'remix', constraints: [...lengthLimits, ...protectedVoice] },
          { action: 'share', constraints: [] },
          { action: 'download', constraints: [] },
        ],
        prohibitions: voiceProhibitions,
        duties: [...duties, { action: 'obtainApproval' }],
      }),
    },
  ]
}
