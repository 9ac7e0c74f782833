import type { z } from 'zod'
import {
  ConstraintSchema,
  LicencePolicySchema,
  OPERANDS,
  type Constraint,
  type Duty,
  type LeftOperand,
  type LicencePolicy,
  type Operator,
  type Permission,
  type Prohibition,
} from '../../../core/licence/policy.ts'

/** One constraint as the form holds it: `text` for typed values, `picked` for ticked ones. */
export type ConstraintDraft = {
  leftOperand: LeftOperand
  operator: Operator
  text: string
  picked: string[]
  target: string // '' = every stem
}

/** The whole licence as the form holds it. */
export type LicenceDraft = {
  version: number
  uid: string
  permissions: { action: Permission['action']; constraints: ConstraintDraft[] }[]
  prohibitions: { action: Prohibition['action']; target: string }[]
  attribution: string | null // null = no attribution duty
  discloseAi: boolean
  obtainApproval: boolean
}

/** What a policy built from a draft looks like before the schema has checked it. */
export type LicencePolicyInput = z.input<typeof LicencePolicySchema>

const TICKED = new Set(['purposes', 'ids', 'effects'])

/** Whether the value of `operand` is chosen by ticking boxes rather than typed. */
export const isTicked = (operand: LeftOperand) => TICKED.has(OPERANDS[operand].value)

/** "2027-12-31T23:59:59Z" → "2027-12-31T23:59:59", the UTC value of a datetime-local input. */
export function utcInputFrom(iso: string): string {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 19)
}

/** The datetime-local text, read as UTC, back to an ISO date-time; other text as it is. */
export function isoFromUtcInput(text: string): string {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(text)) return `${text}:00Z`
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return `${text}Z`
  return text
}

/** A form row from a policy's constraint. */
export function draftFromConstraint(c: Constraint): ConstraintDraft {
  const kind = OPERANDS[c.leftOperand].value
  const list = Array.isArray(c.rightOperand) ? c.rightOperand : [String(c.rightOperand)]
  const text =
    kind === 'dateTime'
      ? utcInputFrom(String(c.rightOperand))
      : Array.isArray(c.rightOperand)
        ? c.rightOperand.join(', ')
        : String(c.rightOperand)
  return {
    leftOperand: c.leftOperand,
    operator: c.operator,
    text,
    picked: isTicked(c.leftOperand) ? list : [],
    target: c.target ?? '',
  }
}

/**
 * The constraint a form row stands for. Text that is not a number stays text, so the engine's own
 * check (`constraintProblem`) names what is wrong with it.
 */
export function constraintFrom(d: ConstraintDraft): Constraint {
  const kind = OPERANDS[d.leftOperand].value
  const single = d.operator === 'eq'
  let rightOperand: Constraint['rightOperand']
  if (kind === 'number' || kind === 'positive' || kind === 'count') {
    const n = Number(d.text)
    rightOperand = d.text.trim() !== '' && Number.isFinite(n) ? n : d.text
  } else if (kind === 'dateTime') rightOperand = isoFromUtcInput(d.text)
  else if (kind === 'countries') {
    const codes = d.text
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase())
    rightOperand = single && codes.length <= 1 ? (codes[0] ?? '') : codes
  } else rightOperand = single && d.picked.length === 1 ? d.picked[0]! : d.picked
  return {
    leftOperand: d.leftOperand,
    operator: d.operator,
    rightOperand,
    ...(d.target ? { target: d.target } : {}),
  }
}

const DEFAULTS: Record<LeftOperand, Omit<ConstraintDraft, 'leftOperand' | 'target'>> = {
  dateTime: { operator: 'lt', text: '', picked: [] },
  spatial: { operator: 'isNoneOf', text: '', picked: [] },
  purpose: { operator: 'eq', text: '', picked: ['non-commercial'] },
  outputDuration: { operator: 'lteq', text: '600', picked: [] },
  stemCount: { operator: 'gteq', text: '2', picked: [] },
  pitchShift: { operator: 'lteq', text: '2', picked: [] },
  playbackRate: { operator: 'gteq', text: '0.5', picked: [] },
  exportsPerDay: { operator: 'lteq', text: '20', picked: [] },
  stemsUsed: { operator: 'isAllOf', text: '', picked: [] },
  effectType: { operator: 'isNoneOf', text: '', picked: [] },
}

/** A new row for `operand`, with a sensible first value. */
export function newConstraint(operand: LeftOperand): ConstraintDraft {
  return {
    leftOperand: operand,
    target: '',
    ...DEFAULTS[operand],
    picked: [...DEFAULTS[operand].picked],
  }
}

/** The row after its left operand changes: the operator, value and target start again. */
export function withOperand(d: ConstraintDraft, operand: LeftOperand): ConstraintDraft {
  return operand === d.leftOperand ? d : newConstraint(operand)
}

/** The form's draft of a policy (or of an empty one that only allows remixing). */
export function draftFrom(policy: LicencePolicy | null): LicenceDraft {
  const p = policy ?? {
    version: 1,
    uid: 'urn:stemfair:licence:draft',
    permissions: [{ action: 'remix' as const, constraints: [] }],
    prohibitions: [],
    duties: [],
  }
  const attribute = p.duties.find((d) => d.action === 'attribute')
  return {
    version: p.version,
    uid: p.uid,
    permissions: p.permissions.map((x) => ({
      action: x.action,
      constraints: x.constraints.map(draftFromConstraint),
    })),
    prohibitions: p.prohibitions.map((x) => ({ action: x.action, target: x.target ?? '' })),
    attribution: attribute?.action === 'attribute' ? attribute.text : null,
    discloseAi: p.duties.some((d) => d.action === 'discloseAi'),
    obtainApproval: p.duties.some((d) => d.action === 'obtainApproval'),
  }
}

/** Where the attribution duty sits in the policy's duties, so its issues find its field. */
export const ATTRIBUTION_PATH = 'duties.0.text'

/** The policy a draft stands for, in the draft's order (attribution first among the duties). */
export function policyFrom(d: LicenceDraft): LicencePolicyInput {
  const duties: Duty[] = [
    ...(d.attribution !== null ? [{ action: 'attribute' as const, text: d.attribution }] : []),
    ...(d.discloseAi ? [{ action: 'discloseAi' as const }] : []),
    ...(d.obtainApproval ? [{ action: 'obtainApproval' as const }] : []),
  ]
  return {
    version: d.version,
    uid: d.uid,
    permissions: d.permissions.map((p) => ({
      action: p.action,
      constraints: p.constraints.map(constraintFrom),
    })),
    prohibitions: d.prohibitions.map((p) => ({
      action: p.action,
      ...(p.target ? { target: p.target } : {}),
    })),
    duties,
  }
}

/** Issue messages by the dotted path of the field they belong to, e.g. "permissions.0.constraints.2.rightOperand". */
export type Issues = ReadonlyMap<string, string[]>

/** Stem references the schema cannot check: targets and stem ids must be this campaign's. */
function stemIssues(d: LicenceDraft, stemIds: readonly string[]) {
  const known = (t: string) => t === '' || t === 'voice' || stemIds.includes(t)
  const unknown = (t: string) => `${t} is not a stem of this campaign`
  const issues: { path: PropertyKey[]; message: string }[] = []
  d.permissions.forEach((p, i) =>
    p.constraints.forEach((c, j) => {
      const at = ['permissions', i, 'constraints', j]
      if (!known(c.target)) issues.push({ path: [...at, 'target'], message: unknown(c.target) })
      if (c.leftOperand === 'stemsUsed')
        for (const id of c.picked.filter((id) => !stemIds.includes(id)))
          issues.push({ path: [...at, 'rightOperand'], message: unknown(id) })
    }),
  )
  d.prohibitions.forEach((p, k) => {
    if (!known(p.target))
      issues.push({ path: ['prohibitions', k, 'target'], message: unknown(p.target) })
  })
  return issues
}

/** The schema's verdict on a draft: the policy when valid, and every issue by field. */
export function checkDraft(
  d: LicenceDraft,
  stemIds: readonly string[],
): { ok: true; policy: LicencePolicy; issues: Issues } | { ok: false; issues: Issues } {
  const parsed = LicencePolicySchema.safeParse(policyFrom(d))
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...stemIssues(d, stemIds)]
  if (parsed.success && issues.length === 0)
    return { ok: true, policy: parsed.data, issues: new Map() }
  return { ok: false, issues: issuesFrom(issues) }
}

/** zod issues grouped by dotted path. */
export function issuesFrom(issues: readonly { path: PropertyKey[]; message: string }[]): Issues {
  const out = new Map<string, string[]>()
  for (const issue of issues) {
    const key = issue.path.map(String).join('.')
    out.set(key, [...(out.get(key) ?? []), issue.message])
  }
  return out
}

/** The messages at `path` and below it. */
export function issuesAt(issues: Issues, path: string): string[] {
  return [...issues].flatMap(([key, messages]) =>
    key === path || key.startsWith(`${path}.`) ? messages : [],
  )
}

/**
 * The parts of a draft the preview can describe: constraints that fail their check are left out
 * (and counted), so a half-typed number never reads as a rule.
 */
export function previewable(d: LicenceDraft): { policy: LicencePolicy; omitted: number } {
  let omitted = 0
  const policy = policyFrom(d)
  const permissions = policy.permissions.map((p) => ({
    action: p.action,
    constraints: (p.constraints ?? []).filter((c) => {
      const ok = ConstraintSchema.safeParse(c).success
      if (!ok) omitted++
      return ok
    }),
  }))
  const duties = (policy.duties ?? []).filter((x) => x.action !== 'attribute' || x.text !== '')
  return {
    policy: {
      ...policy,
      permissions,
      prohibitions: policy.prohibitions ?? [],
      duties,
    } as LicencePolicy,
    omitted,
  }
}
