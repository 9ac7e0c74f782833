/**
 * The licence variants the worker tests seed campaigns with. The demo licence asks for at least
 * 30 s of output, longer than a test wants to render; these copies relax that.
 */
import type { LicencePolicy } from '../../core/licence/policy.ts'

export interface LicenceChanges {
  /**
   * The shortest export allowed, in seconds (the maximum stays). When omitted, the copy has no
   * length limit at all, neither minimum nor maximum.
   */
  minSeconds?: number
  /** Each remix needs the artist's approval (the `obtainApproval` duty). */
  approval?: boolean
}

/** A copy of `base` whose remix permission allows the short exports tests make. */
export function shortLicence(
  base: LicencePolicy,
  { minSeconds, approval = false }: LicenceChanges = {},
): LicencePolicy {
  const policy = structuredClone(base)
  const remix = policy.permissions.find((p) => p.action === 'remix')!
  remix.constraints =
    minSeconds === undefined
      ? remix.constraints.filter((c) => c.leftOperand !== 'outputDuration')
      : remix.constraints.map((c) =>
          c.leftOperand === 'outputDuration' && c.operator === 'gteq'
            ? { ...c, rightOperand: minSeconds }
            : c,
        )
  if (approval) policy.duties.push({ action: 'obtainApproval' })
  return policy
}
