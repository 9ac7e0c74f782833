import { z } from 'zod'

/** What a constraint limits, after ODRL 2.2's left operands. */
export const LeftOperand = z.enum([
  'dateTime', // the campaign window
  'spatial', // territory of the request, ISO 3166-1 alpha-2
  'purpose', // e.g. non-commercial
  'outputDuration', // seconds
  'stemCount', // number of stems used
  'pitchShift', // semitones, per stem
  'playbackRate', // ratio, per stem
  'exportsPerDay', // per fan
])
export type LeftOperand = z.infer<typeof LeftOperand>

export const Operator = z.enum(['eq', 'lt', 'lteq', 'gt', 'gteq', 'isAnyOf', 'isNoneOf'])
export type Operator = z.infer<typeof Operator>

/** One ODRL constraint; `target` narrows it to a stem id, or to every voice stem with `voice`. */
export const ConstraintSchema = z.object({
  leftOperand: LeftOperand,
  operator: Operator,
  rightOperand: z.union([z.number(), z.string(), z.array(z.string())]),
  target: z.string().min(1).optional(),
})
export type Constraint = z.infer<typeof ConstraintSchema>

export const PermissionSchema = z.object({
  action: z.enum(['remix', 'share', 'download', 'generateParts']),
  constraints: z.array(ConstraintSchema).default([]),
})

export const ProhibitionSchema = z.object({
  action: z.enum([
    'commercialUse',
    'externalAudio',
    'reverse',
    'voiceIsolation',
    'voiceIdentityChange',
    'voiceSynthesis',
    'textAndDataMining',
  ]),
  target: z.string().min(1).optional(),
})

export const DutySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('attribute'), text: z.string().min(1) }),
  z.object({ action: z.literal('discloseAi') }),
  z.object({ action: z.literal('obtainApproval') }),
])

/** A campaign's licence policy: permissions, prohibitions and duties (W3C ODRL 2.2 in spirit). */
export const LicencePolicySchema = z.object({
  version: z.number().int().positive(),
  uid: z.string().min(1),
  permissions: z.array(PermissionSchema).min(1),
  prohibitions: z.array(ProhibitionSchema).default([]),
  duties: z.array(DutySchema).default([]),
})
export type LicencePolicy = z.infer<typeof LicencePolicySchema>
export type Permission = z.infer<typeof PermissionSchema>
export type Prohibition = z.infer<typeof ProhibitionSchema>
export type Duty = z.infer<typeof DutySchema>
