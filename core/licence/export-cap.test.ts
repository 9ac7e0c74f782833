import { describe, expect, it } from 'vitest'
import { dailyExportCap } from './export-cap.ts'
import type { LicencePolicy } from './policy.ts'

const policy = (grants: { operator: 'lt' | 'lteq'; n: number }[][]): LicencePolicy =>
  ({
    permissions: grants.map((terms) => ({
      action: 'remix',
      constraints: terms.map((t) => ({
        leftOperand: 'exportsPerDay',
        operator: t.operator,
        rightOperand: t.n,
      })),
    })),
  }) as unknown as LicencePolicy

describe('dailyExportCap', () => {
  it('counts n a day for lteq n and n − 1 for lt n; the tightest term of a grant holds', () => {
    expect(dailyExportCap(policy([[{ operator: 'lteq', n: 2 }]]))).toBe(2)
    expect(dailyExportCap(policy([[{ operator: 'lt', n: 2 }]]))).toBe(1)
    expect(
      dailyExportCap(
        policy([
          [
            { operator: 'lteq', n: 5 },
            { operator: 'lt', n: 3 },
          ],
        ]),
      ),
    ).toBe(2)
  })

  it('takes the most generous grant, and none when a grant has no limit', () => {
    expect(
      dailyExportCap(policy([[{ operator: 'lteq', n: 1 }], [{ operator: 'lteq', n: 4 }]])),
    ).toBe(4)
    expect(dailyExportCap(policy([[{ operator: 'lteq', n: 1 }], []]))).toBeNull()
    expect(dailyExportCap(policy([]))).toBeNull()
  })
})
