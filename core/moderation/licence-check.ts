import { evaluateLicence } from '../licence/evaluate.ts'
import type { LicencePolicy } from '../licence/policy.ts'
import type { LicenceStem } from '../licence/use.ts'
import type { Recipe } from '../recipe/schema.ts'
import type { StemNames } from '../licence/describe.ts'

/** Whether a submitted remix keeps the licence, as the artist's queue shows it. */
export type LicenceCheck = { ok: boolean; problems: string[] }

/**
 * The licence check of a remix about to be approved: would sharing it be allowed once approved,
 * judged when it was exported (so a campaign that closed since does not count against it). The
 * same `evaluateLicence` that refused or let through the export.
 */
export function licenceCheckFrom(
  policy: LicencePolicy,
  p: { recipe: Recipe; stems: readonly LicenceStem[]; exportedAt: string; names?: StemNames },
): LicenceCheck {
  const decision = evaluateLicence(policy, {
    action: 'share',
    at: p.exportedAt,
    country: null,
    purpose: 'non-commercial',
    recipe: p.recipe,
    stems: p.stems,
    exportsToday: 0,
    approved: true,
    names: p.names,
  })
  return { ok: decision.allowed, problems: decision.violations.map((v) => v.message) }
}
