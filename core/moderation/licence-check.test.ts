import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { LicencePolicySchema } from '../licence/policy.ts'
import { RecipeSchema } from '../recipe/schema.ts'
import { licenceCheckFrom } from './licence-check.ts'

const policy = LicencePolicySchema.parse(demo.licence)
const approval = { ...policy, duties: [...policy.duties, { action: 'obtainApproval' as const }] }
const stems = demo.stems.map((s) => ({ id: s.id, isVoice: s.isVoice }))
const names = Object.fromEntries(demo.stems.map((s) => [s.id, s.name]))

function remix(stemIds: string[], pitch = 0) {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'copper-moons',
    tempo: 100,
    timeSignature: [4, 4],
    length: 96,
    master: { effects: [] },
    tracks: stemIds.map((id) => ({
      id: `t-${id}`,
      stem: id,
      regions: [{ id: `r-${id}`, start: 0, offset: 0, duration: 96, pitch }],
    })),
  })
}

describe('licenceCheckFrom', () => {
  it('passes a remix within the terms, the approval itself not counted against it', () => {
    const check = licenceCheckFrom(approval, {
      recipe: remix(['drums', 'bass', 'vox']),
      stems,
      exportedAt: '2026-06-01T12:00:00Z',
      names,
    })
    expect(check).toEqual({ ok: true, problems: [] })
  })

  it('lists every problem in plain words, judged when the remix was exported', () => {
    const check = licenceCheckFrom(approval, {
      recipe: remix(['vox'], 5),
      stems,
      exportedAt: '2026-06-01T12:00:00Z',
      names,
    })
    expect(check.ok).toBe(false)
    expect(check.problems.join(' ')).toMatch(/Voice/)
    expect(check.problems.length).toBeGreaterThanOrEqual(2)
    const late = licenceCheckFrom(approval, {
      recipe: remix(['drums', 'bass']),
      stems,
      exportedAt: '2028-06-01T12:00:00Z',
      names,
    })
    expect(late.ok).toBe(false)
    expect(late.problems.join(' ')).toMatch(/closed|ended|until/i)
  })
})
