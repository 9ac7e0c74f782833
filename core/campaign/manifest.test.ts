import { describe, expect, it } from 'vitest'
import { CampaignManifestSchema, type CampaignManifest } from './manifest.ts'

import demoJson from '../../stems/manifest.json'

const demo = demoJson as CampaignManifest

function issuesOf(change: (m: CampaignManifest) => void): string[] {
  const copy = JSON.parse(JSON.stringify(demo)) as CampaignManifest
  change(copy)
  const result = CampaignManifestSchema.safeParse(copy)
  return result.success ? [] : result.error.issues.map((i) => i.message)
}

describe('CampaignManifestSchema', () => {
  it('accepts the demo campaign', () => {
    expect(CampaignManifestSchema.parse(demo).stems).toHaveLength(5)
  })

  it('rejects splits that do not sum to 10 000 basis points', () => {
    expect(issuesOf((m) => (m.splits.stems[0]!.shares[0]!.bps = 6999))).toContain(
      "a stem's shares must sum to 10000 basis points",
    )
  })

  it('rejects a stem without a split, a split of an unknown stem, and uncredited rights holders', () => {
    expect(issuesOf((m) => m.splits.stems.pop())).toContain('no split for vox')
    expect(issuesOf((m) => (m.splits.stems[0]!.stem = 'kazoo'))).toContain(
      'split names unknown stem kazoo',
    )
    expect(issuesOf((m) => m.stems[0]!.rightsHolders.push('Nobody'))).toContain(
      'Nobody holds rights but is not credited',
    )
  })

  it('rejects duplicate stems, a window that closes before it opens and a bad ISRC', () => {
    expect(issuesOf((m) => (m.stems[1]!.id = m.stems[0]!.id))).toContain('stem ids must be unique')
    expect(issuesOf((m) => (m.closesAt = '2025-01-01T00:00:00Z'))).toContain(
      'closesAt must be after opensAt',
    )
    expect(issuesOf((m) => (m.stems[0]!.isrc = 'US-123'))).toHaveLength(1)
  })
})
