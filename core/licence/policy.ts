import { z } from 'zod'
import { EffectSchema, type EffectType } from '../recipe/schema.ts'

/** What a constraint limits, after ODRL 2.2's left operands. */
export const LeftOperand = z.enum([
  'dateTime', // the campaign window
  'spatial', // territory of the request, ISO 3166-1 alpha-2
  'purpose', // e.g. non-commercial
  'outputDuration', // seconds
  'stemCount', // number of campaign stems heard in the mix
  'pitchShift', // semitones, per stem
  'playbackRate', // ratio, per stem
  'exportsPerDay', // per fan
  'stemsUsed', // stem ids heard in the mix: isAllOf = required, isNoneOf = excluded
  'effectType', // effect types, per stem: isAnyOf = only these, isNoneOf = none of these
])
export type LeftOperand = z.infer<typeof LeftOperand>

export const Operator = z.enum(['eq', 'lt', 'lteq', 'gt', 'gteq', 'isAnyOf', 'isAllOf', 'isNoneOf'])
export type Operator = z.infer<typeof Operator>

/** Why a use is made: what the `purpose` operand compares. */
export const Purpose = z.enum(['non-commercial', 'commercial'])
export type Purpose = z.infer<typeof Purpose>

/** Every effect type a recipe can hold, for `effectType` constraints. */
export const EFFECT_TYPES: readonly EffectType[] = EffectSchema.options.map(
  (o) => o.shape.type.value,
)

/** The kind of a constraint's right operand. */
export type OperandValue =
  'number' | 'positive' | 'count' | 'dateTime' | 'countries' | 'purposes' | 'ids' | 'effects'
const numeric: Operator[] = ['eq', 'lt', 'lteq', 'gt', 'gteq']

/** The operators each left operand takes, the kind of its right operand, and whether it takes a target. */
export const OPERANDS: Record<
  LeftOperand,
  { operators: Operator[]; value: OperandValue; target?: true }
> = {
  dateTime: { operators: ['lt', 'lteq', 'gt', 'gteq'], value: 'dateTime' },
  spatial: { operators: ['eq', 'isAnyOf', 'isNoneOf'], value: 'countries' },
  purpose: { operators: ['eq', 'isAnyOf', 'isNoneOf'], value: 'purposes' },
  outputDuration: { operators: numeric, value: 'number' },
  stemCount: { operators: numeric, value: 'count' },
  // A bound on |shift|: "at least n semitones of shift" is not a rule anyone writes.
  pitchShift: { operators: ['lt', 'lteq'], value: 'number', target: true },
  playbackRate: { operators: numeric, value: 'positive', target: true },
  exportsPerDay: { operators: ['lt', 'lteq'], value: 'count' },
  stemsUsed: { operators: ['isAllOf', 'isNoneOf'], value: 'ids' },
  effectType: { operators: ['isAnyOf', 'isNoneOf'], value: 'effects', target: true },
}

const isoDateTime = z.iso.datetime({ offset: true })
const VALUES: Record<OperandValue, { test: (v: unknown) => boolean; words: string }> = {
  number: { test: (v) => Number.isFinite(v) && (v as number) >= 0, words: 'a number of 0 or more' },
  positive: { test: (v) => Number.isFinite(v) && (v as number) > 0, words: 'a number over 0' },
  count: {
    test: (v) => Number.isInteger(v) && (v as number) >= 0,
    words: 'a whole number of 0 or more',
  },
  dateTime: {
    test: (v) => isoDateTime.safeParse(v).success,
    words: 'an ISO 8601 date-time with its offset',
  },
  countries: {
    test: (v) => typeof v === 'string' && /^[A-Z]{2}$/.test(v),
    words: 'ISO 3166-1 alpha-2 codes in capitals',
  },
  purposes: { test: (v) => Purpose.safeParse(v).success, words: Purpose.options.join(', ') },
  ids: { test: (v) => typeof v === 'string' && v.length > 0, words: 'stem ids' },
  effects: { test: (v) => EFFECT_TYPES.includes(v as EffectType), words: EFFECT_TYPES.join(', ') },
}
const lists: OperandValue[] = ['countries', 'purposes', 'ids', 'effects']

/** What is wrong with a constraint that the schema's types let through, or null when it can be enforced. */
export function constraintProblem(c: {
  leftOperand: LeftOperand
  operator: Operator
  rightOperand: unknown
  target?: string | undefined
}): string | null {
  const rule = OPERANDS[c.leftOperand] as (typeof OPERANDS)[LeftOperand] | undefined
  if (!rule) return `unknown left operand ${c.leftOperand}`
  if (!rule.operators.includes(c.operator))
    return `${c.leftOperand} takes ${rule.operators.join(', ')}, not ${c.operator}`
  if (c.target !== undefined && !rule.target) return `${c.leftOperand} takes no target`
  const listed = lists.includes(rule.value) && c.operator !== 'eq'
  const values = listed && Array.isArray(c.rightOperand) ? c.rightOperand : [c.rightOperand]
  const { test, words } = VALUES[rule.value]
  const needs = listed ? 'a list of ' : lists.includes(rule.value) ? 'one of ' : ''
  if (listed !== Array.isArray(c.rightOperand) || !values.every(test))
    return `${c.leftOperand} ${c.operator} needs ${needs}${words}`
  return null
}

/** One ODRL constraint; `target` narrows it to a stem id, or to every voice stem with `voice`. */
export const ConstraintSchema = z
  .object({
    leftOperand: LeftOperand,
    operator: Operator,
    rightOperand: z.union([z.number(), z.string(), z.array(z.string())]),
    target: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    const problem = constraintProblem(c)
    if (problem) ctx.addIssue({ code: 'custom', path: ['rightOperand'], message: problem })
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

/**
 * The artist's choice for a campaign whose stems cannot carry the watermark: exports go out
 * without it, labelled so and proven by the signed manifest and the stems' fingerprints only, or
 * no exports at all.
 */
export const UnwatermarkedExportsSchema = z.enum(['fingerprint-only', 'refuse'])
export type UnwatermarkedExports = z.infer<typeof UnwatermarkedExportsSchema>

/** A campaign's licence policy: permissions, prohibitions and duties (W3C ODRL 2.2 in spirit). */
export const LicencePolicySchema = z.object({
  version: z.number().int().positive(),
  uid: z.string().min(1),
  permissions: z.array(PermissionSchema).min(1),
  prohibitions: z.array(ProhibitionSchema).default([]),
  duties: z.array(DutySchema).default([]),
  /** What exports do when the campaign's stems cannot carry the watermark (core/campaign/markability.ts). */
  unwatermarked: UnwatermarkedExportsSchema.optional(),
})
export type LicencePolicy = z.infer<typeof LicencePolicySchema>
export type Permission = z.infer<typeof PermissionSchema>
export type Prohibition = z.infer<typeof ProhibitionSchema>
export type Duty = z.infer<typeof DutySchema>

/** Whether a licence makes the artist approve remixes before they are shared. */
export function needsApproval(policy: LicencePolicy): boolean {
  return policy.duties.some((d) => d.action === 'obtainApproval')
}
