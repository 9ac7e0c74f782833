import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DomainError } from '../errors.ts'
import { evaluateLicence } from '../licence/evaluate.ts'
import { licencePresets } from '../licence/presets.ts'
import { LicencePolicySchema, type LicencePolicy } from '../licence/policy.ts'
import { secondsPerBar } from '../recipe/grid.ts'
import { RecipeSchema, regionEnd, type Recipe } from '../recipe/schema.ts'
import { usedStemsFrom } from '../recipe/audibility.ts'
import { checkRecipeForCampaign } from '../recipe/validate.ts'
import { licenceStemsOf } from './licence-fit.ts'
import { ASSIST_TOOL, ASSIST_VERSION, propose, proposeAll, recipeFromProposal } from './propose.ts'
import { testCampaign } from './testing/campaign.ts'
import { Intent, type GeneratePartRequest, type ProposeInput } from './types.ts'

const AT = '2026-06-01T12:00:00Z'
const { campaign, stems, recipe } = testCampaign(6, 128)
const open = licencePresets({})[0]!.policy
const protectedVoice = licencePresets({})[1]!.policy

const input = (over: Partial<ProposeInput> = {}): ProposeInput => ({
  recipe,
  stems,
  campaign,
  policy: protectedVoice,
  intent: 'extended',
  seed: 7,
  at: AT,
  ...over,
})

const policyWith = (over: Partial<LicencePolicy>): LicencePolicy =>
  LicencePolicySchema.parse({
    version: 1,
    uid: 'test',
    permissions: [{ action: 'remix' }],
    ...over,
  })

export function exportAllowed(policy: LicencePolicy, r: Recipe) {
  return evaluateLicence(policy, {
    action: 'export',
    at: AT,
    country: null,
    purpose: 'non-commercial',
    recipe: r,
    stems: licenceStemsOf(stems),
    exportsToday: 0,
    approved: false,
  })
}

const lengths = {
  slug: campaign.slug,
  stems: stems.map((s) => ({ id: s.id, lengthSeconds: s.seconds })),
}

describe('propose', () => {
  it.each(Intent.options)('answers 3 distinct, valid, licensed proposals for %s', (intent) => {
    const proposals = propose(input({ intent }))
    expect(proposals).toHaveLength(3)
    expect(new Set(proposals.map((p) => p.name)).size).toBe(3)
    const arrangements = proposals.map((p) =>
      JSON.stringify(p.recipe.tracks.map((t) => [t.stem, t.regions])),
    )
    expect(new Set(arrangements).size).toBe(3)
    for (const p of proposals) {
      expect(RecipeSchema.parse(p.recipe)).toEqual(p.recipe)
      expect(checkRecipeForCampaign(p.recipe, lengths)).toEqual([])
      expect(exportAllowed(protectedVoice, p.recipe).violations).toEqual([])
      expect(p.provider).toBe('local')
      for (const t of p.recipe.tracks)
        for (const r of t.regions) expect(regionEnd(r)).toBeLessThanOrEqual(p.recipe.length + 1e-6)
    }
  })

  it('describes only stems the campaign has, naming the ones it plays', () => {
    const roles = new Set(stems.map((s) => s.role))
    const absent = ['keys', 'guitar', 'pads', 'drums', 'bass', 'voice', 'vocals'].filter(
      (w) => !roles.has(w as never) && !(w === 'voice' && stems.some((s) => s.isVoice)),
    )
    for (const intent of Intent.options)
      for (const p of propose(input({ intent, seed: 7 }))) {
        for (const word of absent) expect(p.description.toLowerCase()).not.toContain(word)
        const played = new Set(p.recipe.tracks.map((t) => t.stem))
        for (const s of stems.filter((x) => played.has(x.id)))
          expect(p.description).toContain(s.name)
      }
  })

  it('gives the same proposals for the same seed and different ones for another', () => {
    for (const intent of Intent.options) {
      const a = propose(input({ intent, seed: 1234 }))
      expect(propose(input({ intent, seed: 1234 }))).toEqual(a)
      expect(JSON.stringify(propose(input({ intent, seed: 1235 })))).not.toBe(JSON.stringify(a))
    }
  })

  it('lands a radio edit within a bar of the length asked for', () => {
    const bar = secondsPerBar(campaign.tempo, campaign.timeSignature)
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 600 }), fc.nat(1000), (target, seed) => {
        for (const p of propose(input({ intent: 'radioEdit', targetSeconds: target, seed })))
          expect(Math.abs(p.recipe.length - target)).toBeLessThanOrEqual(bar)
      }),
      { numRuns: 40 },
    )
  })

  it('snaps every region start and loop to the bar grid', () => {
    const bar = secondsPerBar(campaign.tempo, campaign.timeSignature)
    for (const intent of ['extended', 'club'] as const)
      for (const p of propose(input({ intent })))
        for (const r of p.recipe.tracks.flatMap((t) => t.regions)) {
          expect((r.start / bar) % 1).toBeCloseTo(0, 6)
          expect((r.offset / bar) % 1).toBeCloseTo(0, 6)
          if (r.loops > 1) expect((r.duration / bar) % 1).toBeCloseTo(0, 6)
        }
  })

  it('balances the mix by measured loudness: a louder stem gets less gain', () => {
    const loud = stems.map((s, i) =>
      i === 0 ? { ...s, analysis: { loudness: { integratedLufs: -8 } } } : s,
    )
    const quiet = stems.map((s, i) =>
      i === 0 ? { ...s, analysis: { loudness: { integratedLufs: -26 } } } : s,
    )
    const gain = (ss: typeof stems) =>
      propose(input({ stems: ss, intent: 'club' }))[0]!.recipe.tracks.find(
        (t) => t.stem === stems[0]!.id,
      )!.gainDb
    expect(gain(loud)).toBeLessThan(gain(quiet) - 10)
  })

  it('keeps ambient quieter on drums and plays half-time at half speed in the same key', () => {
    const [ambient] = propose(input({ intent: 'ambient', policy: open }))
    expect(ambient!.recipe.tracks.some((t) => t.stem.endsWith('drums'))).toBe(false)
    const [half] = propose(input({ intent: 'halfTime', policy: open }))
    const regions = half!.recipe.tracks.flatMap((t) => t.regions)
    expect(regions.every((r) => r.rate === 0.5 && r.pitch === 12)).toBe(true)
    expect(half!.recipe.tempo).toBe(campaign.tempo / 2)
  })

  it('follows an energy curve: a rising curve plays fewer stems at the start than at the end', () => {
    const [p] = propose(input({ intent: 'radioEdit', energy: [0, 0, 1, 1], targetSeconds: 120 }))
    const heardAt = (t: number) =>
      p!.recipe.tracks.filter((tr) => tr.regions.some((r) => r.start <= t && regionEnd(r) > t))
        .length
    expect(heardAt(5)).toBeLessThan(heardAt(p!.recipe.length - 15))
  })

  it('never offers what the licence forbids: effects, excluded stems, rates', () => {
    const policy = policyWith({
      permissions: [
        {
          action: 'remix',
          constraints: [
            {
              leftOperand: 'effectType',
              operator: 'isNoneOf',
              rightOperand: ['reverb', 'compressor'],
            },
            { leftOperand: 'stemsUsed', operator: 'isNoneOf', rightOperand: [stems[0]!.id] },
            { leftOperand: 'playbackRate', operator: 'eq', rightOperand: 1 },
          ],
        },
      ],
    })
    for (const intent of Intent.options)
      for (const p of propose(input({ intent, policy }))) {
        const effects = [...p.recipe.master.effects, ...p.recipe.tracks.flatMap((t) => t.effects)]
        expect(effects.map((e) => e.type)).not.toContain('reverb')
        expect(effects.map((e) => e.type)).not.toContain('compressor')
        expect(p.recipe.tracks.map((t) => t.stem)).not.toContain(stems[0]!.id)
        expect(p.recipe.tracks.flatMap((t) => t.regions).every((r) => r.rate === 1)).toBe(true)
      }
    const half = propose(input({ intent: 'halfTime', policy }))
    expect(half[0]!.repairs.join(' ')).toMatch(/1×/)
  })

  it('keeps at least the stems the licence asks for and the stems it requires', () => {
    const policy = policyWith({
      permissions: [
        {
          action: 'remix',
          constraints: [
            { leftOperand: 'stemCount', operator: 'gteq', rightOperand: 5 },
            { leftOperand: 'stemsUsed', operator: 'isAllOf', rightOperand: [stems[0]!.id] },
          ],
        },
      ],
    })
    for (const p of propose(input({ intent: 'strippedBack', policy }))) {
      expect(p.recipe.tracks.length).toBeGreaterThanOrEqual(5)
      expect(p.recipe.tracks.map((t) => t.stem)).toContain(stems[0]!.id)
    }
  })

  it('clamps the length into the licence and refuses, with reasons, what no recipe can fix', () => {
    const short = policyWith({
      permissions: [
        {
          action: 'remix',
          constraints: [{ leftOperand: 'outputDuration', operator: 'lteq', rightOperand: 45 }],
        },
      ],
    })
    for (const p of propose(input({ intent: 'extended', policy: short })))
      expect(p.recipe.length).toBeLessThanOrEqual(45)
    const closed = policyWith({
      permissions: [
        {
          action: 'remix',
          constraints: [
            { leftOperand: 'dateTime', operator: 'lt', rightOperand: '2026-01-01T00:00:00Z' },
          ],
        },
      ],
    })
    const { proposals, refused } = proposeAll(input({ policy: closed }))
    expect(proposals).toEqual([])
    expect(refused).toHaveLength(3)
    expect(refused[0]!.reasons[0]!.code).toBe('campaign_closed')
  })

  it('records an AI action when a proposal is applied', () => {
    const [p] = propose(input({ intent: 'club', seed: 99, targetSeconds: 200 }))
    const applied = recipeFromProposal(p!, AT)
    expect(RecipeSchema.parse(applied)).toEqual(applied)
    expect(applied.aiActions).toEqual([
      {
        id: expect.stringMatching(/^ai-0-/),
        tool: ASSIST_TOOL,
        version: ASSIST_VERSION,
        provider: 'local',
        parameters: expect.objectContaining({
          intent: 'club',
          seed: 99,
          variant: 0,
          targetSeconds: 200,
        }),
        appliedAt: AT,
      },
    ])
  })

  it('rejects an unknown intent and out-of-range seeds and lengths', () => {
    const bad = [
      { intent: 'polka' as Intent },
      { seed: -1 },
      { seed: 2 ** 32 },
      { seed: 1.5 },
      { targetSeconds: 5 },
      { targetSeconds: 100_000 },
      { energy: [2] },
    ]
    for (const over of bad) expect(() => propose(input(over))).toThrow(DomainError)
  })

  it('asks the part generator only where the licence allows generated parts', () => {
    const asked: GeneratePartRequest[] = []
    const generatePart = (request: GeneratePartRequest, r: Recipe) => (asked.push(request), r)
    const remixOnly = {
      ...open,
      permissions: open.permissions.filter((p) => p.action !== 'generateParts'),
    }
    propose(input({ policy: remixOnly, generatePart }))
    expect(asked).toEqual([])
    const allowed = {
      ...remixOnly,
      permissions: [
        ...remixOnly.permissions,
        { action: 'generateParts' as const, constraints: [] },
      ],
    }
    const proposals = propose(input({ policy: allowed, generatePart, seed: 4 }))
    expect(asked).toHaveLength(1)
    expect(asked[0]!.sourceStems.every((id) => !stems.find((s) => s.id === id)!.isVoice)).toBe(true)
    expect(proposals.filter((p) => p.generatedPart !== null)).toHaveLength(1)
    expect(proposals[4 % 3]!.parameters.generatedPart).toBe(asked[0]!.kind)
  })
})

describe('propose: every stem a proposal plays is used', () => {
  it('plays each chosen stem long and loud enough to count, whatever the energy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Intent.options),
        fc.nat(1e6),
        fc.option(fc.integer({ min: 15, max: 1200 }), { nil: undefined }),
        fc.array(fc.double({ min: 0, max: 0.4, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (intent, seed, targetSeconds, energy) => {
          for (const p of propose(input({ policy: open, intent, seed, targetSeconds, energy }))) {
            const used = usedStemsFrom(p.recipe, stems)
            expect(p.recipe.tracks.filter((t) => !used.has(t.stem))).toEqual([])
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
