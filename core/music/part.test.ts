import { describe, expect, it } from 'vitest'
import { applyEdit } from '../recipe/edits.ts'
import { AiActionSchema, RecipeSchema } from '../recipe/schema.ts'
import { generationActionFrom, transcriptionActionFrom } from './actions.ts'
import { GeneratedPartSchema, partEnd, secondsFromBeats } from './part.ts'

const part = {
  id: 'gen-1',
  kind: 'arpeggio',
  instrument: 'pluck',
  notes: [{ time: 0, duration: 0.5, midi: 60, velocity: 0.7 }],
  sourceStems: ['keys'],
  aiAction: 'ai-1',
}

describe('GeneratedPartSchema', () => {
  it('fills mix defaults and keeps the notes', () => {
    expect(GeneratedPartSchema.parse(part)).toEqual({ ...part, gainDb: -6, pan: 0, muted: false })
  })

  it.each([
    ['an unknown kind', { kind: 'drums' }],
    ['an unknown instrument', { instrument: 'theremin' }],
    ['no notes', { notes: [] }],
    ['a MIDI pitch out of range', { notes: [{ time: 0, duration: 1, midi: 128, velocity: 1 }] }],
    ['a negative time', { notes: [{ time: -1, duration: 1, midi: 60, velocity: 1 }] }],
    ['no source stems', { sourceStems: [] }],
    ['a bad AI action id', { aiAction: 'a b' }],
  ])('refuses %s', (_, change) => {
    expect(GeneratedPartSchema.safeParse({ ...part, ...change }).success).toBe(false)
  })

  it('converts beats and finds the end', () => {
    expect(secondsFromBeats(8, 120)).toBe(4)
    expect(
      partEnd({
        notes: [
          { time: 2, duration: 1.5, midi: 60, velocity: 1 },
          { time: 1, duration: 1, midi: 62, velocity: 1 },
        ],
      }),
    ).toBe(3.5)
  })
})

describe('recipe edits for AI actions and generated parts', () => {
  const recipe = RecipeSchema.parse({
    version: 2,
    campaign: 'c',
    tempo: 120,
    timeSignature: [4, 4],
    length: 10,
    tracks: [],
  })
  const action = {
    id: 'ai-1',
    tool: 'stemfair/generate-part',
    version: '1',
    provider: 'local',
    parameters: { seed: 1 },
    appliedAt: '2026-06-01T12:00:00Z',
  }
  const ctx = { stemSeconds: {} }

  it('adds a part with its action, records an action once, and removes a part', () => {
    const parsed = GeneratedPartSchema.parse(part)
    const added = applyEdit(recipe, { type: 'addGeneratedPart', part: parsed, action }, ctx)
    expect(added.generatedParts).toEqual([parsed])
    expect(added.aiActions).toEqual([action])
    const again = applyEdit(added, { type: 'recordAiAction', action }, ctx)
    expect(again.aiActions).toHaveLength(1)
    const removed = applyEdit(added, { type: 'removeGeneratedPart', partId: 'gen-1' }, ctx)
    expect(removed.generatedParts).toEqual([])
    expect(removed.aiActions).toEqual([action]) // the disclosure stays
  })

  it('refuses a part whose id is taken', () => {
    const parsed = GeneratedPartSchema.parse(part)
    const added = applyEdit(recipe, { type: 'addGeneratedPart', part: parsed, action }, ctx)
    expect(applyEdit(added, { type: 'addGeneratedPart', part: parsed, action }, ctx)).toBe(added)
  })
})

describe('AI actions of transcription and generation', () => {
  it('name the model, its version and the local provider, and validate as recipe AI actions', () => {
    const at = '2026-06-01T12:00:00Z'
    const t = transcriptionActionFrom({
      id: 'ai-t',
      stem: 'lead',
      at,
      backend: 'wasm',
      thresholds: { onset: 0.5, frame: 0.3, minFrames: 11 },
      notes: 43,
      key: 'A minor',
    })
    expect(t).toMatchObject({ tool: '@spotify/basic-pitch', version: '1.0.1', provider: 'local' })
    expect(t.parameters).toMatchObject({ stem: 'lead', backend: 'wasm', notes: 43 })
    const g = generationActionFrom({
      id: 'ai-g',
      at,
      kind: 'arpeggio',
      seed: 42,
      sourceStems: ['lead'],
      key: 'A minor',
      chords: ['Am', 'F'],
      bars: 2,
      transcription: 'ai-t',
    })
    expect(g.parameters).toMatchObject({ seed: 42, kind: 'arpeggio', sourceStems: ['lead'] })
    for (const a of [t, g]) expect(AiActionSchema.parse(a)).toEqual(a)
  })
})
