import {
  evaluateLicence,
  limitsForStem,
  type StemLimits,
  type Violation,
} from '../licence/evaluate.ts'
import { constraintProblem, type LicencePolicy } from '../licence/policy.ts'
import { generatePartsDecision } from '../licence/transcribe.ts'
import { stemFor, stemMatches, type LicenceStem } from '../licence/use.ts'
import type { EffectType, Recipe } from '../recipe/schema.ts'
import { LIMITS } from '../recipe/schema.ts'
import type { AssistStem } from './types.ts'

type Range = { min: number; max: number }

/** What a licence lets the assistant do, read before arranging so most proposals fit first time. */
export type LicenceBounds = {
  length: Range // seconds
  stemCount: Range
  required: Set<string>
  excluded: Set<string>
  limits: Map<string, StemLimits>
  voiceIsolation: (stemIds: readonly string[]) => boolean // true when that set may not play alone
}

// Strict bounds (lt, gt) are met this far inside.
const INSIDE = 0.001

/** The campaign's stems as the licence sees them. */
export function licenceStemsOf(stems: readonly AssistStem[]): LicenceStem[] {
  return stems.map((s) => ({
    id: s.id,
    isVoice: s.isVoice,
    ...(s.manifestId ? { manifestId: s.manifestId } : {}),
  }))
}

/** Every remix grant's terms on length, stem count and stems, intersected (meeting all meets any). */
export function boundsFrom(policy: LicencePolicy, stems: readonly AssistStem[]): LicenceBounds {
  const licenceStems = licenceStemsOf(stems)
  const length = { min: 1, max: LIMITS.length }
  const stemCount = { min: 1, max: stems.length }
  const required = new Set<string>()
  const excluded = new Set<string>()
  const narrow = (r: Range, op: string, n: number, step: number) => {
    if (op === 'lt') r.max = Math.min(r.max, n - step)
    if (op === 'lteq') r.max = Math.min(r.max, n)
    if (op === 'gt') r.min = Math.max(r.min, n + step)
    if (op === 'gteq') r.min = Math.max(r.min, n)
    if (op === 'eq') Object.assign(r, { min: Math.max(r.min, n), max: Math.min(r.max, n) })
  }
  const constraints = policy.permissions
    .filter((p) => p.action === 'remix')
    .flatMap((p) => p.constraints)
    .filter((c) => constraintProblem(c) === null)
  for (const c of constraints) {
    const ids = Array.isArray(c.rightOperand) ? c.rightOperand : [String(c.rightOperand)]
    const n = c.rightOperand as number
    if (c.leftOperand === 'outputDuration') narrow(length, c.operator, n, INSIDE)
    if (c.leftOperand === 'stemCount') narrow(stemCount, c.operator, n, 1)
    if (c.leftOperand === 'stemsUsed')
      for (const ref of ids) {
        const id = stemFor(ref, licenceStems)?.id ?? ref
        ;(c.operator === 'isNoneOf' ? excluded : required).add(id)
      }
  }
  const limits = new Map(licenceStems.map((s) => [s.id, limitsForStem(policy, s)]))
  const isolation = policy.prohibitions.filter((p) => p.action === 'voiceIsolation')
  const voiceIsolation = (ids: readonly string[]) =>
    isolation.some((p) =>
      ids.every((id) => {
        const stem = licenceStems.find((s) => s.id === id)
        return stem !== undefined && stemMatches(p.target ?? 'voice', stem)
      }),
    )
  return { length, stemCount, required, excluded, limits, voiceIsolation }
}

/** Whether an effect type may go on a stem's track under its limits. */
export function effectAllowed(limits: StemLimits | undefined, type: EffectType): boolean {
  if (!limits) return true
  const { allowed, forbidden } = limits.effectTypes
  return !forbidden.includes(type) && (allowed === null || allowed.includes(type))
}

/** The licence's decision on exporting a recipe, as the worker will decide it for a fan. */
export function exportViolations(
  policy: LicencePolicy,
  recipe: Recipe,
  stems: readonly AssistStem[],
  at: string,
): Violation[] {
  return evaluateLicence(policy, {
    action: 'export',
    at,
    country: null,
    purpose: 'non-commercial',
    recipe,
    stems: licenceStemsOf(stems),
    exportsToday: 0,
    approved: false,
    names: Object.fromEntries(stems.map((s) => [s.id, s.name])),
  }).violations
}

/** Whether the licence lets the assistant generate a part from these stems. */
export function mayGenerateFrom(
  policy: LicencePolicy,
  recipe: Recipe,
  stems: readonly AssistStem[],
  sourceStems: string[],
  at: string,
): boolean {
  return generatePartsDecision(policy, { recipe, stems: licenceStemsOf(stems), sourceStems, at })
    .allowed
}
