import { describe, expect, it } from 'vitest'
import { licencePresets } from '../licence/presets.ts'
import { partGeneratorFrom } from './generated-part.ts'
import { exportViolations } from './licence-fit.ts'
import { propose } from './propose.ts'
import { testCampaign } from './testing/campaign.ts'

const AT = '2026-06-01T12:00:00Z'
const { campaign, stems, recipe } = testCampaign(5, 128)
const open = licencePresets({})[0]!.policy // allows generated parts
const protectedVoice = licencePresets({})[1]!.policy // does not

describe('generated parts in proposals', () => {
  it('adds one generated part, in the key, recorded with its AI action, where the licence allows', () => {
    const generatePart = partGeneratorFrom(AT)
    const proposals = propose({
      recipe,
      stems,
      campaign,
      policy: open,
      intent: 'extended',
      seed: 5,
      at: AT,
      generatePart,
    })
    const withPart = proposals.filter((p) => p.recipe.generatedParts.length > 0)
    expect(withPart).toHaveLength(1)
    const { recipe: r } = withPart[0]!
    const part = r.generatedParts[0]!
    expect(r.aiActions.map((a) => a.id)).toContain(part.aiAction)
    expect(part.notes.length).toBeGreaterThan(0)
    expect(part.sourceStems.every((id) => !stems.find((s) => s.id === id)!.isVoice)).toBe(true)
    // A minor: every note is in the key.
    const scale = [9, 11, 0, 2, 4, 5, 7]
    expect(part.notes.every((n) => scale.includes(n.midi % 12))).toBe(true)
    expect(exportViolations(open, r, stems, AT)).toEqual([])
    expect(
      propose({
        recipe,
        stems,
        campaign,
        policy: open,
        intent: 'extended',
        seed: 5,
        at: AT,
        generatePart,
      }),
    ).toEqual(proposals)
  })

  it('adds none where the licence does not allow generated parts', () => {
    const proposals = propose({
      recipe,
      stems,
      campaign,
      policy: protectedVoice,
      intent: 'extended',
      seed: 5,
      at: AT,
      generatePart: partGeneratorFrom(AT),
    })
    expect(
      proposals.every((p) => p.recipe.generatedParts.length === 0 && p.generatedPart === null),
    ).toBe(true)
  })
})
