import { describe, expect, it } from 'vitest'
import { licencePresets } from '../licence/presets.ts'
import { RecipeSchema } from '../recipe/schema.ts'
import { propose } from './propose.ts'
import { promptFor } from './provider.ts'
import { applyPatch, patchFromModelOutput, type RecipePatch } from './text-patch.ts'
import { testCampaign } from './testing/campaign.ts'

const AT = '2026-06-01T12:00:00Z'
const { campaign, stems } = testCampaign(5, 128)
const policy = licencePresets({})[1]!.policy
const [proposal] = propose({ ...testCampaign(5, 128), policy, intent: 'club', seed: 1, at: AT })
const recipe = proposal!.recipe
const ctx = { stems, policy, slug: campaign.slug, at: AT }
const patch = (operations: RecipePatch['operations']): RecipePatch => ({
  summary: 'test',
  operations,
})

describe('text patches', () => {
  it('reads JSON out of prose and code fences, and names what is wrong otherwise', () => {
    const ok = patchFromModelOutput({
      response:
        'Sure:\n```json\n{"summary":"s","operations":[{"op":"setMasterGain","gainDb":-2}]}\n```',
    })
    expect(ok).toMatchObject({
      ok: true,
      patch: { operations: [{ op: 'setMasterGain', gainDb: -2 }] },
    })
    expect(patchFromModelOutput({ response: 'no json here' })).toMatchObject({
      code: 'model_output_invalid',
    })
    expect(patchFromModelOutput({ response: '{"summary": ' })).toMatchObject({
      code: 'model_output_invalid',
    })
    expect(patchFromModelOutput({ summary: 's', operations: [] })).toMatchObject({
      code: 'patch_invalid',
    })
  })

  it('silences a stem over bars, unrolling loops and keeping the rest in place', () => {
    const drums = recipe.tracks.find((t) => t.stem.endsWith('drums'))!
    const out = applyPatch(
      recipe,
      patch([{ op: 'silenceBars', stem: 'Drums', fromBar: 0, toBar: 24 }]),
      ctx,
    )
    expect(out.ok).toBe(true)
    if (!out.ok) return
    const after = out.recipe.tracks.find((t) => t.id === drums.id)!
    expect(after.regions.every((r) => r.start >= 48 - 1e-9)).toBe(true)
    const heardBefore = (t: typeof drums, at: number) =>
      t.regions.some((r) => r.start <= at && r.start + r.duration * r.loops > at)
    expect(heardBefore(after, 100)).toBe(heardBefore(drums, 100))
    expect(RecipeSchema.parse(out.recipe)).toEqual(out.recipe)
  })

  it('applies nothing when one operation fails, and refuses what the licence forbids', () => {
    const before = JSON.stringify(recipe)
    const bad = applyPatch(
      recipe,
      patch([
        { op: 'setMasterGain', gainDb: -3 },
        { op: 'setTrack', stem: 'cowbell', gainDb: 1 },
      ]),
      ctx,
    )
    expect(bad).toMatchObject({ ok: false, code: 'patch_invalid' })
    expect(JSON.stringify(recipe)).toBe(before)
    const voice = applyPatch(
      recipe,
      patch([{ op: 'addEffect', target: 'vocals', type: 'distortion' }]),
      ctx,
    )
    expect(voice).toMatchObject({ ok: false, code: 'licence_violation' })
    const short = applyPatch(recipe, patch([{ op: 'setLength', seconds: 10 }]), ctx)
    expect(short).toMatchObject({ ok: false, code: 'licence_violation' })
    const wild = applyPatch(
      recipe,
      patch([{ op: 'addEffect', target: 'master', type: 'reverb', settings: { decay: 99 } }]),
      ctx,
    )
    expect(wild).toMatchObject({ ok: false, code: 'patch_invalid' })
  })

  it('tells the model the stems, the sections and the licence', () => {
    const text = promptFor({ text: 'dreamier', recipe, stems, campaign, policy, at: AT })
      .map((m) => m.content)
      .join('\n')
    for (const s of stems) expect(text).toContain(s.id)
    expect(text).toContain('"label":"B"')
    expect(text).toMatch(/non-commercial/i)
    expect(text).toContain('Request: dreamier')
  })
})
