import { describe, expect, it } from 'vitest'
import { defaultRecipeFrom, stemSecondsFrom } from '../../core/recipe/default.ts'
import { recipeOf, studioFrom, studioReducer, type StudioState } from './studio.ts'

const campaign = {
  slug: 'demo',
  tempo: 100,
  timeSignature: [4, 4] as [number, number],
  stems: [
    { id: 'drums', lengthSamples: 441000, sampleRate: 44100 },
    { id: 'bass', lengthSamples: 441000, sampleRate: 44100 },
  ],
}
const recipe = defaultRecipeFrom(campaign)
const ctx = { stemSeconds: stemSecondsFrom(campaign) }
const fresh = (remix = false) =>
  studioFrom(recipe, ctx, remix ? { id: 'rmx', version: 3, title: 'Mine' } : null, 'Demo (remix)')
const move = (start: number) =>
  ({
    type: 'edit',
    edit: { type: 'moveRegion', trackId: 't-drums', regionId: 'r-drums', start },
  }) as const
const startOf = (s: StudioState) => recipeOf(s).tracks[0]!.regions[0]!.start

describe('studioReducer', () => {
  it('applies edits through core and undoes and redoes them', () => {
    let s = studioReducer(fresh(), move(2.4))
    expect(startOf(s)).toBe(2.4)
    s = studioReducer(s, { type: 'undo' })
    expect(startOf(s)).toBe(0)
    s = studioReducer(s, { type: 'redo' })
    expect(startOf(s)).toBe(2.4)
  })

  it('makes one undo step of a drag gesture (push, then amends)', () => {
    let s = studioReducer(fresh(), { ...move(0.6), gesture: 'push' })
    s = studioReducer(s, { ...move(1.2), gesture: 'amend' })
    s = studioReducer(s, { ...move(1.8), gesture: 'amend' })
    expect(startOf(s)).toBe(1.8)
    expect(startOf(studioReducer(s, { type: 'undo' }))).toBe(0)
  })

  it('ignores no-op edits: no undo step, same state', () => {
    const s = fresh()
    expect(studioReducer(s, move(0))).toBe(s)
    expect(
      studioReducer(s, {
        type: 'edit',
        edit: { type: 'deleteRegion', trackId: 'nope', regionId: 'x' },
      }),
    ).toBe(s)
  })

  it('tracks saved and unsaved against the server copy', () => {
    let s = fresh(true)
    expect(s.save).toBe('saved')
    s = studioReducer(s, move(2.4))
    expect(s.save).toBe('unsaved')
    s = studioReducer(s, { type: 'saving' })
    const sent = recipeOf(s)
    s = studioReducer(s, {
      type: 'saved',
      remixId: 'rmx',
      version: 4,
      recipe: sent,
      title: s.title,
    })
    expect(s).toMatchObject({ save: 'saved', version: 4 })
    s = studioReducer(s, { type: 'undo' })
    expect(s.save).toBe('unsaved')
  })

  it('keeps edits made while a save was in flight as unsaved', () => {
    let s = studioReducer(fresh(true), move(2.4))
    const sent = recipeOf(s)
    s = studioReducer(s, { type: 'saving' })
    s = studioReducer(s, move(3.0))
    s = studioReducer(s, {
      type: 'saved',
      remixId: 'rmx',
      version: 4,
      recipe: sent,
      title: s.title,
    })
    expect(s.save).toBe('unsaved')
  })

  it('reports a conflict and replaces the remix on reload', () => {
    let s = studioReducer(fresh(true), {
      type: 'saveFailed',
      message: 'saved elsewhere',
      conflict: true,
    })
    expect(s.save).toBe('conflict')
    s = studioReducer(s, {
      type: 'replace',
      recipe,
      remixId: 'rmx',
      version: 9,
      title: 'Theirs',
      saved: true,
    })
    expect(s).toMatchObject({ save: 'saved', version: 9, title: 'Theirs' })
    expect(s.history.past).toHaveLength(0)
  })

  it('drops a selection whose region was deleted, and clamps zoom', () => {
    let s = studioReducer(fresh(), {
      type: 'select',
      selection: { trackId: 't-drums', regionId: 'r-drums' },
    })
    s = studioReducer(s, {
      type: 'edit',
      edit: { type: 'deleteRegion', trackId: 't-drums', regionId: 'r-drums' },
    })
    expect(s.selection).toEqual({ trackId: 't-drums', regionId: null })
    for (let i = 0; i < 40; i++) s = studioReducer(s, { type: 'zoom', factor: 2 })
    expect(s.pxPerSecond).toBe(400)
  })
})
