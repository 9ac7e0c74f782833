/**
 * The workers-ai provider's patch validation, through the real route, D1 and session.
 *
 * `wrangler dev` and the vitest pool cannot run the Workers AI binding without a Cloudflare
 * account, so the model is the one thing stood in for: a fake `AI` binding replays model outputs.
 * They are representative outputs, written in the shape `@cf/meta/llama-3.1-8b-instruct-fp8`
 * answers (`{ response: string }`) — valid (with the prose and code fence such models add),
 * malformed JSON, schema-failing, naming an unknown stem, and licence-violating — not captured
 * from a live call on this machine, which has no account.
 */
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RemixView } from '../../core/api/remixes.ts'
import type { ModelInput } from '../../core/assist/provider.ts'
import type { z } from 'zod'
import type { Recipe, RecipeSchema } from '../../core/recipe/schema.ts'
import { app } from '../../worker/index.ts'
import { FAN, manifest, seed } from './fixture.ts'

const SLUG = manifest.slug
const stem = (id: string) => `${SLUG}-${id}`

/** Model outputs the fake binding replays. */
const OUTPUTS = {
  valid: {
    response:
      'Here is the patch:\n```json\n' +
      JSON.stringify({
        summary: 'Dreamier: more reverb, a softer top, and no drums for the first 8 bars.',
        operations: [
          { op: 'addEffect', target: 'master', type: 'reverb', settings: { decay: 6, wet: 0.35 } },
          {
            op: 'addEffect',
            target: 'Pads',
            type: 'filter',
            settings: { mode: 'lowpass', frequency: 3000 },
          },
          { op: 'setTrack', stem: 'bass', gainDb: -3 },
          { op: 'silenceBars', stem: 'drums', fromBar: 0, toBar: 8 },
        ],
      }) +
      '\n```',
  },
  malformed: {
    response: '{"summary": "Dreamier", "operations": [{"op": "addEffect", "target": "master",',
  },
  prose: { response: 'Sure! I made it dreamier by adding reverb to everything.' },
  schemaFailing: {
    response: JSON.stringify({
      summary: 'Louder bass',
      operations: [{ op: 'setTrack', stem: 'bass', gainDb: 40 }, { op: 'addCowbell' }],
    }),
  },
  unknownStem: {
    response: JSON.stringify({
      summary: 'More cowbell',
      operations: [{ op: 'setTrack', stem: 'cowbell', gainDb: 3 }],
    }),
  },
  licenceViolating: {
    response: JSON.stringify({
      summary: 'A gritty, distorted voice.',
      operations: [
        { op: 'addEffect', target: 'Voice', type: 'distortion', settings: { amount: 0.8 } },
      ],
    }),
  },
} as const

/** A stand-in for the Workers AI binding: replays one output and keeps what it was asked. */
function fakeAi(output: unknown) {
  const calls: { model: string; input: ModelInput }[] = []
  const ai = {
    run: (model: string, input: ModelInput) => {
      calls.push({ model, input })
      return output instanceof Error ? Promise.reject(output) : Promise.resolve(output)
    },
  }
  return { ai: ai as unknown as Ai, calls }
}

const request = (path: string, init: RequestInit, ai?: Ai) =>
  app.request(path, init, ai ? { ...env, AI: ai } : env)

const post = (body: unknown, cookie: string | null, ai?: Ai) =>
  request(
    '/api/assist/text',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
    },
    ai,
  )

// 0.1 s stems (the fixture's) placed in a 40 s remix the licence allows.
const recipe: z.input<typeof RecipeSchema> = {
  version: 2,
  campaign: SLUG,
  tempo: 100,
  timeSignature: [4, 4],
  length: 40,
  tracks: ['drums', 'bass', 'pads', 'vox'].map((id, i) => ({
    id: `t${i}`,
    stem: stem(id),
    gainDb: 0,
    pan: 0,
    muted: false,
    soloed: false,
    effects: [],
    // Bass, pads and voice loop the 0.1 s test stem for 2.4 s at each start, so the remix uses
    // them (the licence's minimum counts stems heard for 4 s of its 40); drums just tick.
    regions: [0, 2.4, 19.2, 30].map((start, j) => ({
      id: `r${i}-${j}`,
      start,
      offset: 0,
      duration: 0.1,
      loops: id === 'drums' ? 1 : 24,
      fadeIn: 0,
      fadeOut: 0,
      gainDb: 0,
      rate: 1,
      pitch: 0,
    })),
  })),
  master: { gainDb: 0, effects: [], limiter: { enabled: true, ceilingDb: -1 } },
  aiActions: [],
}

let fan: string

beforeAll(async () => {
  await seed()
  const res = await request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: FAN.email, password: FAN.password }),
  })
  fan = res.headers.get('Set-Cookie')!.split(';')[0]!
})

type ErrorBody = {
  error: { code: string; message: string; issues?: unknown[]; violations?: { code: string }[] }
}

describe('GET /api/assist/providers', () => {
  it('lists only the local provider without the AI binding, and workers-ai with it', async () => {
    const without = await request('/api/assist/providers', {})
    expect(await without.json()).toEqual({
      providers: [{ id: 'local', capabilities: { propose: true, freeText: false } }],
    })
    const withAi = await request('/api/assist/providers', {}, fakeAi(OUTPUTS.valid).ai)
    const { providers } = (await withAi.json()) as {
      providers: { id: string; capabilities: { freeText: boolean } }[]
    }
    expect(providers.map((p) => [p.id, p.capabilities.freeText])).toEqual([
      ['local', false],
      ['workers-ai', true],
    ])
  })
})

describe('POST /api/assist/text', () => {
  it('answers 503 provider_unavailable without the binding, rather than faking it', async () => {
    const res = await post({ recipe, text: 'dreamier' }, fan)
    expect(res.status).toBe(503)
    expect(((await res.json()) as ErrorBody).error.code).toBe('provider_unavailable')
  })

  it('asks for a login first', async () => {
    const res = await post({ recipe, text: 'dreamier' }, null, fakeAi(OUTPUTS.valid).ai)
    expect(res.status).toBe(401)
  })

  it('turns a valid model answer into a validated, licensed recipe with its AI action', async () => {
    const { ai, calls } = fakeAi(OUTPUTS.valid)
    const res = await post({ recipe, text: 'dreamier, no drums for the first 8 bars' }, fan, ai)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      recipe: Recipe
      summary: string
      provider: string
      model: string
    }
    expect(body.provider).toBe('workers-ai')
    expect(body.model).toBe('@cf/meta/llama-3.1-8b-instruct-fp8')
    expect(body.summary).toMatch(/Dreamier/)
    const out = body.recipe
    expect(out.master.effects).toEqual([
      expect.objectContaining({ type: 'reverb', decay: 6, wet: 0.35, bypass: false }),
    ])
    const pads = out.tracks.find((t) => t.stem === stem('pads'))!
    expect(pads.effects).toEqual([
      expect.objectContaining({ type: 'filter', mode: 'lowpass', frequency: 3000 }),
    ])
    expect(out.tracks.find((t) => t.stem === stem('bass'))!.gainDb).toBe(-3)
    // 8 bars at 100 BPM in 4/4 are 19.2 s: the drums' first two regions are gone, the rest stay.
    expect(out.tracks.find((t) => t.stem === stem('drums'))!.regions.map((r) => r.start)).toEqual([
      19.2, 30,
    ])
    expect(out.aiActions).toEqual([
      expect.objectContaining({
        tool: 'stemfair-assistant',
        provider: 'workers-ai',
        parameters: expect.objectContaining({
          model: '@cf/meta/llama-3.1-8b-instruct-fp8',
          text: 'dreamier, no drums for the first 8 bars',
        }),
      }),
    ])
    // The model was told the stems, the licence and the request, and asked deterministically.
    expect(calls).toHaveLength(1)
    const prompt = calls[0]!.input.messages.map((m) => m.content).join('\n')
    expect(prompt).toContain(stem('vox'))
    expect(prompt).toContain('no drums for the first 8 bars')
    expect(prompt).toMatch(/non-commercial/i)
    expect(calls[0]!.input.temperature).toBe(0)
  })

  it('works on a saved remix without saving anything', async () => {
    const created = await request('/api/remixes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: fan },
      body: JSON.stringify({ campaign: SLUG, title: 'Text edit', recipe }),
    })
    const { remix } = (await created.json()) as { remix: RemixView }
    const res = await post({ remixId: remix.id, text: 'dreamier' }, fan, fakeAi(OUTPUTS.valid).ai)
    expect(res.status).toBe(200)
    const again = await request(`/api/remixes/${remix.id}`, { headers: { Cookie: fan } })
    const { remix: after } = (await again.json()) as { remix: RemixView }
    expect(after.version).toBe(remix.version)
    expect(after.recipe).toEqual(remix.recipe)
  })

  it.each([
    ['malformed JSON', OUTPUTS.malformed, 'model_output_invalid'],
    ['prose without JSON', OUTPUTS.prose, 'model_output_invalid'],
    ['a patch that fails the schema', OUTPUTS.schemaFailing, 'patch_invalid'],
    ['a stem the campaign does not have', OUTPUTS.unknownStem, 'patch_invalid'],
    ['a change the licence forbids', OUTPUTS.licenceViolating, 'licence_violation'],
  ])('answers 422 for %s and changes nothing', async (_, output, code) => {
    const res = await post({ recipe, text: 'make it different' }, fan, fakeAi(output).ai)
    expect(res.status).toBe(422)
    const body = (await res.json()) as ErrorBody & { recipe?: unknown }
    expect(body.error.code).toBe(code)
    expect(body.error.message.length).toBeGreaterThan(10)
    expect(body.recipe).toBeUndefined()
    if (code === 'patch_invalid') expect(body.error.issues!.length).toBeGreaterThan(0)
    if (code === 'licence_violation')
      expect(body.error.violations!.map((v) => v.code)).toContain('voice_identity')
  })

  it('answers 503 when the model fails, 400 for bad bodies, 404 for an unknown remix', async () => {
    const failing = await post({ recipe, text: 'dreamier' }, fan, fakeAi(new Error('capacity')).ai)
    expect(failing.status).toBe(503)
    expect(((await failing.json()) as ErrorBody).error.code).toBe('provider_failed')
    const ai = fakeAi(OUTPUTS.valid).ai
    for (const body of [
      { recipe, text: '' },
      { recipe, remixId: 'x', text: 'dreamier' },
      { text: 'dreamier' },
      { recipe: { ...recipe, tempo: 'fast' }, text: 'dreamier' },
      { recipe, text: 'x'.repeat(501) },
    ])
      expect((await post(body, fan, ai)).status).toBe(400)
    expect((await post({ remixId: 'no-such-remix', text: 'dreamier' }, fan, ai)).status).toBe(404)
  })
})
