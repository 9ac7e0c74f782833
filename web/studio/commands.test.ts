import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { defaultRecipeFrom, stemSecondsFrom } from '../../core/recipe/default.ts'
import { ShortcutLegend } from '../components/studio/ShortcutLegend.tsx'
import {
  recipeOf,
  studioFrom,
  studioReducer,
  type StudioAction,
  type StudioState,
} from '../store/studio.ts'
import {
  COMMANDS,
  commandOf,
  LEGEND,
  resolveCommand,
  titleOf,
  type CommandContext,
  type CommandId,
  type CommandTarget,
} from './commands.ts'
import { keyLabel, type KeyBinding } from './keys.ts'

// 100 BPM in 4/4: a beat is 0.6 s, a bar 2.4 s; both stems last 10 s.
const campaign = {
  slug: 'demo',
  tempo: 100,
  timeSignature: [4, 4] as [number, number],
  stems: [
    { id: 'drums', lengthSamples: 441000, sampleRate: 44100 },
    { id: 'bass', lengthSamples: 441000, sampleRate: 44100 },
  ],
}
const fresh = () =>
  studioFrom(
    defaultRecipeFrom(campaign),
    { stemSeconds: stemSecondsFrom(campaign) },
    null,
    'Demo (remix)',
  )
const select = (s: StudioState, trackId: string, regionId: string | null = null) =>
  studioReducer(s, { type: 'select', selection: { trackId, regionId } })
const drumsSelected = () => select(fresh(), 't-drums', 'r-drums')

let ids = 0
const ctxOf = (studio: StudioState, more: Partial<CommandContext> = {}): CommandContext => ({
  studio,
  position: 3,
  ready: true,
  playing: false,
  exportBlocked: null,
  newId: (prefix) => `${prefix}-new-${++ids}`,
  ...more,
})

/** Runs a command the way the studio does: its actions through the reducer, its effect returned. */
function run(
  id: CommandId,
  studio: StudioState,
  more: Partial<CommandContext> = {},
  target?: CommandTarget,
) {
  const resolved = resolveCommand(commandOf(id), ctxOf(studio, more), target)
  if (!resolved) return { state: studio, effect: null, ran: false }
  const state = resolved.actions.reduce<StudioState>(
    (s, a: StudioAction) => studioReducer(s, a),
    studio,
  )
  return { state, effect: resolved.effect, ran: true }
}
const enabled = (id: CommandId, studio: StudioState, more: Partial<CommandContext> = {}) =>
  commandOf(id).enabled(ctxOf(studio, more))
const drums = (s: StudioState) => recipeOf(s).tracks.find((t) => t.id === 't-drums')!
const undone = (s: StudioState) => studioReducer(s, { type: 'undo' })

describe('when studio commands are on', () => {
  it('plays only once the engine is ready', () => {
    expect(enabled('togglePlay', fresh(), { ready: false })).toBe(false)
    expect(enabled('togglePlay', fresh(), { ready: true })).toBe(true)
  })

  it('splits only a region of the selected track that the playhead is inside', () => {
    expect(enabled('split', fresh())).toBe(false)
    expect(enabled('split', select(fresh(), 't-drums'))).toBe(true)
    expect(enabled('split', drumsSelected(), { position: 0 })).toBe(false)
    expect(enabled('split', drumsSelected(), { position: 10 })).toBe(false)
    expect(enabled('split', drumsSelected(), { position: 9.9 })).toBe(true)
  })

  it('duplicates and deletes only a selected region', () => {
    for (const id of ['duplicate', 'remove'] as const) {
      expect(enabled(id, fresh())).toBe(false)
      expect(enabled(id, select(fresh(), 't-drums'))).toBe(false)
      expect(enabled(id, drumsSelected())).toBe(true)
    }
  })

  it('mutes, solos and adds a region on the selected track or the one a lane names', () => {
    for (const id of ['mute', 'solo', 'addRegion'] as const) {
      expect(enabled(id, fresh())).toBe(false)
      expect(enabled(id, select(fresh(), 't-bass'))).toBe(true)
      expect(commandOf(id).enabled(ctxOf(fresh()), { trackId: 't-bass' })).toBe(true)
      expect(commandOf(id).enabled(ctxOf(fresh()), { trackId: 'nope' })).toBe(false)
    }
  })

  it('undoes and redoes only when the history has a step to go to', () => {
    expect(enabled('undo', fresh())).toBe(false)
    expect(enabled('redo', fresh())).toBe(false)
    const muted = run('mute', select(fresh(), 't-drums')).state
    expect(enabled('undo', muted)).toBe(true)
    expect(enabled('redo', undone(muted))).toBe(true)
  })

  it('exports only when nothing blocks it, and says what does', () => {
    const blocked = ctxOf(fresh(), { exportBlocked: 'Log in to export' })
    expect(commandOf('export').enabled(blocked)).toBe(false)
    expect(titleOf(commandOf('export'), blocked)).toBe('Log in to export')
    expect(enabled('export', fresh())).toBe(true)
    expect(titleOf(commandOf('export'), ctxOf(fresh()))).toBe(
      'Render, watermark and tag your remix',
    )
  })

  it('does nothing when run while off', () => {
    const s = fresh()
    expect(run('remove', s)).toEqual({ state: s, effect: null, ran: false })
  })
})

describe('what studio commands do, and their undo steps', () => {
  it('splits the region at the playhead as one undo step', () => {
    const { state } = run('split', drumsSelected(), { position: 3 })
    expect(drums(state).regions.map((r) => [r.start, r.duration])).toEqual([
      [0, 3],
      [3, 7],
    ])
    expect(state.history.past).toHaveLength(1)
    expect(drums(undone(state)).regions).toHaveLength(1)
  })

  it('duplicates the selected region after itself and selects the copy', () => {
    const { state } = run('duplicate', drumsSelected())
    const [, copy] = drums(state).regions
    expect(copy!.start).toBe(10)
    expect(state.selection).toEqual({ trackId: 't-drums', regionId: copy!.id })
    expect(state.history.past).toHaveLength(1)
    expect(drums(undone(state)).regions).toHaveLength(1)
  })

  it('deletes the selected region as one undo step', () => {
    const { state } = run('remove', drumsSelected())
    expect(drums(state).regions).toHaveLength(0)
    expect(drums(undone(state)).regions).toHaveLength(1)
  })

  it('nudges the selected region by a beat, or a quarter beat, each press one undo step', () => {
    let s = run('nudgeForward', drumsSelected()).state
    expect(drums(s).regions[0]!.start).toBeCloseTo(0.6, 9)
    s = run('nudgeForwardFine', s).state
    expect(drums(s).regions[0]!.start).toBeCloseTo(0.75, 9)
    s = run('nudgeBackFine', s).state
    expect(drums(s).regions[0]!.start).toBeCloseTo(0.6, 9)
    expect(s.history.past).toHaveLength(3)
    expect(drums(undone(s)).regions[0]!.start).toBeCloseTo(0.75, 9)
  })

  it('keeps a region at 0 when nudged back: no edit, no undo step', () => {
    const s = drumsSelected()
    expect(run('nudgeBack', s).state).toBe(s)
  })

  it('moves the playhead instead when no region is selected', () => {
    const s = select(fresh(), 't-drums')
    expect(run('nudgeBack', s, { position: 3 })).toMatchObject({
      state: s,
      effect: { type: 'seek', to: 2.4 },
    })
    expect(run('nudgeForwardFine', s, { position: 3 }).effect).toEqual({ type: 'seek', to: 3.15 })
  })

  it('toggles mute and solo on the selected track or the lane it is run from', () => {
    let s = run('mute', select(fresh(), 't-drums')).state
    expect(drums(s).muted).toBe(true)
    s = run('solo', s, {}, { trackId: 't-bass' }).state
    expect(recipeOf(s).tracks.map((t) => [t.id, t.muted, t.soloed])).toEqual([
      ['t-drums', true, false],
      ['t-bass', false, true],
    ])
    s = run('mute', s).state
    expect(drums(s).muted).toBe(false)
    expect(s.history.past).toHaveLength(3)
  })

  it('adds a four-bar region at the playhead, snapped, inside the stem, and selects it', () => {
    const empty = run('remove', drumsSelected()).state
    const { state } = run('addRegion', empty, { position: 3.1 }, { trackId: 't-drums' })
    const [added] = drums(state).regions
    // snapped to the beat at 3.0 s; four bars (9.6 s) would run past the 10 s stem
    expect(added).toMatchObject({ start: 3, offset: 3, duration: 7 })
    expect(state.selection).toEqual({ trackId: 't-drums', regionId: added!.id })
    expect(drums(undone(state)).regions).toHaveLength(0)
  })

  it('undoes and redoes through the history', () => {
    const muted = run('mute', select(fresh(), 't-drums')).state
    const back = run('undo', muted).state
    expect(drums(back).muted).toBe(false)
    expect(drums(run('redo', back).state).muted).toBe(true)
  })

  it('zooms by half again, with no undo step', () => {
    const s = fresh()
    const zoomed = run('zoomIn', s).state
    expect(zoomed.pxPerSecond).toBeCloseTo(s.pxPerSecond * 1.5, 9)
    expect(run('zoomOut', zoomed).state.pxPerSecond).toBeCloseTo(s.pxPerSecond, 9)
    expect(zoomed.history).toBe(s.history)
  })

  it('hands the engine, the export and the panels their effects', () => {
    expect(run('togglePlay', fresh()).effect).toEqual({ type: 'togglePlay' })
    expect(run('export', fresh()).effect).toEqual({ type: 'export' })
    expect(run('assistant', fresh()).effect).toEqual({ type: 'togglePanel', panel: 'assistant' })
    expect(run('artwork', fresh()).effect).toEqual({ type: 'togglePanel', panel: 'artwork' })
  })

  it('keeps each command to its undo capture', () => {
    // Every command on: a region at 1.2 s selected, the playhead inside it, undo and redo steps.
    let base = drumsSelected()
    for (const id of ['nudgeForward', 'nudgeForward', 'mute', 'undo'] as const)
      base = run(id, base).state
    for (const command of COMMANDS) {
      const { state, ran } = run(command.id, base, { position: 3 })
      expect(ran, command.id).toBe(true)
      if (command.id === 'undo' || command.id === 'redo') continue
      if (command.undo === 'none') expect(state.history, command.id).toBe(base.history)
      else {
        expect(state.history.past, command.id).toHaveLength(base.history.past.length + 1)
        expect(recipeOf(undone(state)), command.id).toBe(recipeOf(base))
      }
    }
  })
})

describe('the shortcut legend', () => {
  const withKeys = COMMANDS.filter((c) => c.keys.length > 0)

  it('lists exactly the commands that have keys, by their first key', () => {
    expect(LEGEND.map((e) => e.id)).toEqual(withKeys.map((c) => c.id))
    for (const c of withKeys)
      expect(LEGEND.find((e) => e.id === c.id)).toEqual({
        id: c.id,
        key: keyLabel(c.keys[0] as KeyBinding),
        label: c.label,
      })
  })

  it('shows each of them on screen with its key', () => {
    const html = renderToStaticMarkup(createElement(ShortcutLegend))
    const shown = [
      ...html.matchAll(/<span data-command="(\w+)"><kbd>([^<]+)<\/kbd> ([^<]+)<\/span>/g),
    ]
    expect(shown.map(([, id, key, label]) => ({ id, key, label }))).toEqual(
      LEGEND.map(({ id, key, label }) => ({ id, key, label })),
    )
  })

  it('titles buttons with the same keys as before', () => {
    const ctx = ctxOf(fresh())
    const titles = (
      [
        'togglePlay',
        'undo',
        'redo',
        'split',
        'duplicate',
        'remove',
        'artwork',
        'zoomOut',
        'zoomIn',
        'assistant',
      ] as const
    ).map((id) => titleOf(commandOf(id), ctx))
    expect(titles).toEqual([
      'Play/pause (Space)',
      'Undo (Ctrl+Z)',
      'Redo (Shift+Ctrl+Z)',
      'Split at playhead (S)',
      'Duplicate (Ctrl+D)',
      'Delete (Del)',
      'Artwork remix (C)',
      'Zoom out (−)',
      'Zoom in (+)',
      'Assistant (A)',
    ])
  })
})
