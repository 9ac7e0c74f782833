import { describe, expect, it } from 'vitest'
import demo from '../../stems/manifest.json'
import { RecipeSchema, type Recipe } from '../recipe/schema.ts'
import { evaluateLicence, type LicenceAction, type LicenceUse } from './evaluate.ts'
import { LicencePolicySchema, type Prohibition } from './policy.ts'

const stems = demo.stems.map((s) => ({ id: s.id, isVoice: s.isVoice }))
const names = Object.fromEntries(demo.stems.map((s) => [s.id, s.name]))

function remix(sourceStems: string[][]): Recipe {
  return RecipeSchema.parse({
    version: 2,
    campaign: 'copper-moons',
    tempo: 100,
    timeSignature: [4, 4],
    length: 60,
    tracks: stems.map((s) => ({
      id: `t-${s.id}`,
      stem: s.id,
      regions: [{ id: `r-${s.id}`, start: 0, offset: 0, duration: 60 }],
    })),
    aiActions: [
      {
        id: 'ai-gen',
        tool: 'stemfair/generate-part',
        version: '1',
        provider: 'local',
        parameters: { seed: 1 },
        appliedAt: '2026-06-01T12:00:00Z',
      },
    ],
    generatedParts: sourceStems.map((from, i) => ({
      id: `gen-${i}`,
      kind: 'arpeggio',
      instrument: 'pluck',
      notes: [{ time: 0, duration: 1, midi: 60, velocity: 0.7 }],
      sourceStems: from,
      aiAction: 'ai-gen',
    })),
  })
}

const policy = (generate: boolean, prohibitions: Prohibition[] = []) =>
  LicencePolicySchema.parse({
    version: 1,
    uid: 'u',
    permissions: [
      { action: 'remix' },
      { action: 'share' },
      ...(generate ? [{ action: 'generateParts' }] : []),
    ],
    prohibitions,
  })

const use = (
  recipe: Recipe,
  action: LicenceAction = 'export',
  sourceStems?: string[],
): LicenceUse => ({
  action,
  at: '2026-06-01T12:00:00Z',
  country: 'GB',
  purpose: 'non-commercial',
  recipe,
  stems,
  exportsToday: 0,
  approved: true,
  names,
  sourceStems,
})

describe('generated parts and the licence', () => {
  it('allows a recipe whose parts derive from stems the licence lets the assistant use', () => {
    const p = policy(true, [{ action: 'voiceSynthesis' }])
    expect(evaluateLicence(p, use(remix([['lead'], ['bass', 'pads']]))).allowed).toBe(true)
    expect(evaluateLicence(p, use(remix([['lead']]), 'share')).allowed).toBe(true)
  })

  it('refuses a recipe with a generated part when the licence grants no generateParts', () => {
    const { violations } = evaluateLicence(policy(false), use(remix([['lead']])))
    expect(violations).toEqual([
      {
        code: 'not_permitted',
        message: 'This licence does not let the AI assistant generate new parts from these stems.',
        path: ['generatedParts', 0, 'sourceStems'],
      },
    ])
    expect(evaluateLicence(policy(false), use(remix([])))).toMatchObject({ allowed: true })
  })

  it.each([
    ['voiceSynthesis', 'voice_synthesis'],
    ['voiceIsolation', 'voice_isolation'],
    ['voiceIdentityChange', 'voice_identity'],
  ] as const)('refuses a part derived from a voice protected by %s', (action, code) => {
    const p = policy(true, [{ action, target: 'voice' }])
    const recipe = remix([['lead'], ['bass', 'vox']])
    const { allowed, violations } = evaluateLicence(p, use(recipe))
    expect(allowed).toBe(false)
    expect(violations.map((x) => [x.code, x.path])).toEqual([
      [code, ['generatedParts', 1, 'sourceStems']],
    ])
    // And the assistant is refused before it transcribes that voice at all.
    expect(evaluateLicence(p, use(remix([]), 'generateParts', ['vox'])).violations[0]).toEqual({
      code,
      message: expect.stringMatching(
        /may not (transcribe or derive|generate) new parts from Voice/,
      ),
    })
    expect(evaluateLicence(p, use(remix([]), 'generateParts', ['lead'])).allowed).toBe(true)
  })

  it('refuses a recipe whose part names a stem outside the campaign', () => {
    const p = policy(true, [{ action: 'externalAudio' }])
    expect(evaluateLicence(p, use(remix([['kazoo']]))).violations.map((x) => x.code)).toEqual([
      'external_audio',
    ])
  })

  it('refuses a generated part that names no recorded AI action', () => {
    const recipe = remix([['lead']])
    expect(
      RecipeSchema.safeParse({ ...recipe, aiActions: [] }).error?.issues.map((i) => i.path),
    ).toEqual([['generatedParts', 0, 'aiAction']])
  })
})
