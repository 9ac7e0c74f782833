import type { LicencePolicy } from './policy.ts'

/**
 * How many exports a fan may make in 24 hours under a licence's remix grants (`exportsPerDay`),
 * or null when no grant limits it. The worker enforces it in one conditional insert, so that
 * concurrent requests cannot race past it; `evaluateLicence` words the same rule for the fan.
 * A use needs one grant to hold, so the cap is the most generous grant's tightest term.
 */
export function dailyExportCap(policy: LicencePolicy): number | null {
  const grants = policy.permissions.filter((p) => p.action === 'remix')
  let best: number | null = null
  for (const grant of grants) {
    let cap = Infinity
    for (const c of grant.constraints) {
      if (c.leftOperand !== 'exportsPerDay' || typeof c.rightOperand !== 'number') continue
      // The new export is number count + 1: `lteq n` allows n a day, `lt n` allows n - 1.
      const allowed = c.operator === 'lteq' ? c.rightOperand : c.rightOperand - 1
      cap = Math.min(cap, Math.max(0, Math.floor(allowed)))
    }
    if (cap === Infinity) return null
    best = best === null ? cap : Math.max(best, cap)
  }
  return best
}
