import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { evaluateLicence } from '../licence/evaluate.ts'
import {
  EFFECT_TYPES,
  LicencePolicySchema,
  OPERANDS,
  type Constraint,
  type LicencePolicy,
} from '../licence/policy.ts'
import { RecipeSchema } from '../recipe/schema.ts'
import { licenceStemsOf } from './licence-fit.ts'
import { proposeAll } from './propose.ts'
import { testCampaign } from './testing/campaign.ts'
import { Intent } from './types.ts'

const AT = '2026-06-01T12:00:00Z'
const { campaign, stems, recipe } = testCampaign(6, 96)
const ids = stems.map((s) => s.id)
const numeric = ['eq', 'lt', 'lteq', 'gt', 'gteq'] as const

const target = fc.option(fc.constantFrom('voice', ...ids), { nil: undefined })
const subset = <T>(items: readonly T[]) =>
  fc.subarray([...items], { minLength: 1, maxLength: Math.min(3, items.length) })

/** Random terms of every kind that depends on the recipe, made as the licence editor makes them. */
const constraint: fc.Arbitrary<Constraint> = fc.oneof(
  fc.record({
    leftOperand: fc.constant('outputDuration' as const),
    operator: fc.constantFrom(...numeric),
    rightOperand: fc.integer({ min: 0, max: 1500 }),
  }),
  fc.record({
    leftOperand: fc.constant('stemCount' as const),
    operator: fc.constantFrom(...numeric),
    rightOperand: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    leftOperand: fc.constant('pitchShift' as const),
    operator: fc.constantFrom('lt' as const, 'lteq' as const),
    rightOperand: fc.integer({ min: 0, max: 12 }),
    target,
  }),
  fc.record({
    leftOperand: fc.constant('playbackRate' as const),
    operator: fc.constantFrom(...numeric),
    rightOperand: fc.constantFrom(0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.5, 2),
    target,
  }),
  fc.record({
    leftOperand: fc.constant('stemsUsed' as const),
    operator: fc.constantFrom('isAllOf' as const, 'isNoneOf' as const),
    rightOperand: subset(ids),
  }),
  fc.record({
    leftOperand: fc.constant('effectType' as const),
    operator: fc.constantFrom(...OPERANDS.effectType.operators),
    rightOperand: subset(EFFECT_TYPES),
    target,
  }),
) as fc.Arbitrary<Constraint>

const prohibitions = fc.subarray([
  'voiceIsolation',
  'voiceIdentityChange',
  'voiceSynthesis',
  'externalAudio',
] as const)

const policy: fc.Arbitrary<LicencePolicy> = fc
  .record({
    constraints: fc.array(constraint, { maxLength: 5 }),
    prohibitions,
    generateParts: fc.boolean(),
  })
  .map(({ constraints, prohibitions, generateParts }) =>
    LicencePolicySchema.parse({
      version: 1,
      uid: 'random',
      permissions: [
        { action: 'remix', constraints },
        ...(generateParts ? [{ action: 'generateParts', constraints: [] }] : []),
      ],
      prohibitions: prohibitions.map((action) => ({ action })),
    }),
  )

describe('every proposal passes the licence', () => {
  it('for random policies, intents, seeds, lengths and energy curves', () => {
    fc.assert(
      fc.property(
        policy,
        fc.constantFrom(...Intent.options),
        fc.nat(2 ** 32 - 1),
        fc.option(fc.integer({ min: 15, max: 1200 }), { nil: undefined }),
        fc.option(
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
          {
            nil: undefined,
          },
        ),
        (policy, intent, seed, targetSeconds, energy) => {
          const { proposals, refused } = proposeAll({
            recipe,
            stems,
            campaign,
            policy,
            intent,
            seed,
            targetSeconds,
            energy,
            at: AT,
            generatePart: (_, r) => r,
          })
          expect(proposals.length + refused.length).toBe(3)
          for (const r of refused) expect(r.reasons.length).toBeGreaterThan(0)
          for (const p of proposals) {
            RecipeSchema.parse(p.recipe)
            const decision = evaluateLicence(policy, {
              action: 'export',
              at: AT,
              country: null,
              purpose: 'non-commercial',
              recipe: p.recipe,
              stems: licenceStemsOf(stems),
              exportsToday: 0,
              approved: false,
            })
            expect(decision.violations).toEqual([])
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('and a licence with room for them gets all three', () => {
    const loose = fc
      .record({
        maxSeconds: fc.integer({ min: 60, max: 1200 }),
        minStems: fc.integer({ min: 1, max: 3 }),
        forbidden: fc.subarray([...EFFECT_TYPES]),
        pitch: fc.integer({ min: 0, max: 12 }),
        prohibitions,
      })
      .map(({ maxSeconds, minStems, forbidden, pitch, prohibitions }) =>
        LicencePolicySchema.parse({
          version: 1,
          uid: 'loose',
          permissions: [
            {
              action: 'remix',
              constraints: [
                { leftOperand: 'outputDuration', operator: 'lteq', rightOperand: maxSeconds },
                { leftOperand: 'stemCount', operator: 'gteq', rightOperand: minStems },
                {
                  leftOperand: 'pitchShift',
                  operator: 'lteq',
                  rightOperand: pitch,
                  target: 'voice',
                },
                ...(forbidden.length
                  ? [{ leftOperand: 'effectType', operator: 'isNoneOf', rightOperand: forbidden }]
                  : []),
              ],
            },
          ],
          prohibitions: prohibitions.map((action) => ({ action })),
        }),
      )
    fc.assert(
      fc.property(
        loose,
        fc.constantFrom(...Intent.options),
        fc.nat(1e6),
        (policy, intent, seed) => {
          const { proposals, refused } = proposeAll({
            recipe,
            stems,
            campaign,
            policy,
            intent,
            seed,
            at: AT,
          })
          expect(refused).toEqual([])
          expect(new Set(proposals.map((p) => JSON.stringify(p.recipe.tracks))).size).toBe(3)
        },
      ),
      { numRuns: 150 },
    )
  })
})
