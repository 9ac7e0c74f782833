import { findRegion, type Edit } from '../../core/recipe/edits.ts'
import { secondsPerBar, snapTime } from '../../core/recipe/grid.ts'
import { canRedo, canUndo } from '../../core/recipe/history.ts'
import type { Recipe, Region, Track } from '../../core/recipe/schema.ts'
import type { Seconds } from '../../core/units.ts'
import { recipeOf, type StudioAction, type StudioState } from '../store/studio.ts'
import { keyLabel, type KeyBinding } from './keys.ts'

/** What a command sees: the studio's state, the playhead and the transport, all as values. */
export type CommandContext = {
  studio: StudioState
  position: Seconds
  /** The engine has every stem loaded and can play. */
  ready: boolean
  playing: boolean
  /** Why the remix cannot be exported now, or null when it can. */
  exportBlocked: string | null
  /** A fresh id for a region the command creates. */
  newId: (prefix: string) => string
}

/** The track a command acts on, when a control names one (a lane's buttons); else the selection's. */
export type CommandTarget = { trackId: string }

/** What a command does outside the studio's state: the engine, the export, the panels. */
export type CommandEffect =
  | { type: 'togglePlay' }
  | { type: 'seek'; to: Seconds }
  | { type: 'export' }
  | { type: 'togglePanel'; panel: 'assistant' | 'artwork' }

/**
 * How a command's edits enter the undo history. `step`: they are one undo step (the first pushes,
 * the rest amend it). `none`: it edits no recipe and adds no step (view, transport, panels, and
 * undo/redo themselves, which walk the history). Drags coalesce through their own gesture.
 */
export type UndoCapture = 'step' | 'none'

/** A command's result: recipe edits, then other studio actions, then an effect. */
export type CommandOutcome = {
  edits?: readonly Edit[]
  then?: readonly StudioAction[]
  effect?: CommandEffect
}

/** One thing the fan can do in the studio, with its keys; toolbar, keyboard and legend use it. */
export type StudioCommand = {
  id: string
  /** What it does, in a few words: the legend's text and the start of a button's tooltip. */
  label: string
  keys: readonly KeyBinding[]
  undo: UndoCapture
  enabled: (ctx: CommandContext, target?: CommandTarget) => boolean
  /** Why it is off, when there is more to say than "not now". */
  blockedBy?: (ctx: CommandContext) => string | null
  perform: (ctx: CommandContext, target?: CommandTarget) => CommandOutcome
}

/** The grid's beat: it follows the time signature (an eighth note in 6/8). */
export const beatOf = (recipe: Recipe): Seconds =>
  secondsPerBar(recipe.tempo, recipe.timeSignature) / recipe.timeSignature[0]

/** The track a command acts on: the target's, or the selected one. */
export function trackOf(studio: StudioState, target?: CommandTarget): Track | null {
  const id = target?.trackId ?? studio.selection?.trackId
  return recipeOf(studio).tracks.find((t) => t.id === id) ?? null
}

/** The selected region and its track's id, or null. */
export function selectedRegionOf(studio: StudioState): { trackId: string; region: Region } | null {
  const sel = studio.selection
  const region = sel?.regionId ? findRegion(recipeOf(studio), sel.trackId, sel.regionId) : null
  return sel && region ? { trackId: sel.trackId, region } : null
}

const inside = (r: Region, t: Seconds) => t > r.start && t < r.start + r.duration

/** The region split would cut: the selected one if the playhead is in it, else its track's. */
export function regionUnderPlayhead(ctx: CommandContext): { track: Track; region: Region } | null {
  const track = trackOf(ctx.studio)
  if (!track) return null
  const selected = selectedRegionOf(ctx.studio)?.region
  const region =
    selected && inside(selected, ctx.position)
      ? selected
      : track.regions.find((r) => inside(r, ctx.position))
  return region ? { track, region } : null
}

/** A new region at the playhead, snapped to the grid (a beat when snap is off), four bars long. */
function newRegion(ctx: CommandContext, track: Track, regionId: string): Edit {
  const { studio, position } = ctx
  const recipe = recipeOf(studio)
  const unit = studio.snap === 'off' ? 'beat' : studio.snap
  const start = snapTime(position, unit, recipe.tempo, recipe.timeSignature)
  const stemSeconds = studio.ctx.stemSeconds[track.stem] ?? 0
  const offset = Math.min(start, Math.max(0, stemSeconds - beatOf(recipe)))
  const bars = 4 * secondsPerBar(recipe.tempo, recipe.timeSignature)
  const duration = Math.min(bars, stemSeconds - offset)
  return { type: 'addRegion', trackId: track.id, regionId, start, offset, duration }
}

/** Nudges the selected region by `beats`, or moves the playhead when no region is selected. */
function nudge(ctx: CommandContext, beats: number): CommandOutcome {
  const selected = selectedRegionOf(ctx.studio)
  const by = beats * beatOf(recipeOf(ctx.studio))
  if (!selected) return { effect: { type: 'seek', to: ctx.position + by } }
  const { trackId, region } = selected
  const start = Math.max(0, region.start + by)
  return { edits: [{ type: 'moveRegion', trackId, regionId: region.id, start }] }
}

function toggleTrack(flag: 'muted' | 'soloed'): StudioCommand['perform'] {
  return (ctx, target) => {
    const track = trackOf(ctx.studio, target)!
    return { edits: [{ type: 'setTrack', trackId: track.id, patch: { [flag]: !track[flag] } }] }
  }
}

const always = () => true
const hasRegion = (ctx: CommandContext) => selectedRegionOf(ctx.studio) !== null
const hasTrack = (ctx: CommandContext, target?: CommandTarget) =>
  trackOf(ctx.studio, target) !== null
const ZOOM = 1.5
const FINE = 1 / 4

/** Every studio command, in the order the legend lists them. */
export const COMMANDS = [
  {
    id: 'togglePlay',
    label: 'Play/pause',
    keys: [{ code: 'Space' }],
    undo: 'none',
    enabled: (ctx) => ctx.ready,
    perform: () => ({ effect: { type: 'togglePlay' } }),
  },
  {
    id: 'split',
    label: 'Split at playhead',
    // S splits (as in most DAWs); Shift+S solos.
    keys: [{ key: 's', shift: false }],
    undo: 'step',
    enabled: (ctx) => regionUnderPlayhead(ctx) !== null,
    perform: (ctx) => {
      const { track, region } = regionUnderPlayhead(ctx)!
      const at = ctx.position
      const newRegionId = ctx.newId('r')
      return {
        edits: [{ type: 'splitRegion', trackId: track.id, regionId: region.id, at, newRegionId }],
      }
    },
  },
  {
    id: 'duplicate',
    label: 'Duplicate',
    keys: [{ key: 'd', mod: true }],
    undo: 'step',
    enabled: hasRegion,
    perform: (ctx) => {
      const { trackId, region } = selectedRegionOf(ctx.studio)!
      const newRegionId = ctx.newId('r')
      return {
        edits: [{ type: 'duplicateRegion', trackId, regionId: region.id, newRegionId }],
        then: [{ type: 'select', selection: { trackId, regionId: newRegionId } }],
      }
    },
  },
  {
    id: 'remove',
    label: 'Delete',
    keys: [{ key: 'delete' }, { key: 'backspace' }],
    undo: 'step',
    enabled: hasRegion,
    perform: (ctx) => {
      const { trackId, region } = selectedRegionOf(ctx.studio)!
      return { edits: [{ type: 'deleteRegion', trackId, regionId: region.id }] }
    },
  },
  {
    id: 'nudgeBack',
    label: 'Nudge back a beat',
    keys: [{ key: 'arrowleft', shift: false }],
    undo: 'step',
    enabled: always,
    perform: (ctx) => nudge(ctx, -1),
  },
  {
    id: 'nudgeForward',
    label: 'Nudge forward a beat',
    keys: [{ key: 'arrowright', shift: false }],
    undo: 'step',
    enabled: always,
    perform: (ctx) => nudge(ctx, 1),
  },
  {
    id: 'nudgeBackFine',
    label: 'Nudge back a quarter beat',
    keys: [{ key: 'arrowleft', shift: true }],
    undo: 'step',
    enabled: always,
    perform: (ctx) => nudge(ctx, -FINE),
  },
  {
    id: 'nudgeForwardFine',
    label: 'Nudge forward a quarter beat',
    keys: [{ key: 'arrowright', shift: true }],
    undo: 'step',
    enabled: always,
    perform: (ctx) => nudge(ctx, FINE),
  },
  {
    id: 'zoomIn',
    label: 'Zoom in',
    keys: [{ key: '+' }, { key: '=' }],
    undo: 'none',
    enabled: always,
    perform: () => ({ then: [{ type: 'zoom', factor: ZOOM }] }),
  },
  {
    id: 'zoomOut',
    label: 'Zoom out',
    keys: [{ key: '-' }, { key: '_' }],
    undo: 'none',
    enabled: always,
    perform: () => ({ then: [{ type: 'zoom', factor: 1 / ZOOM }] }),
  },
  {
    id: 'mute',
    label: 'Mute',
    keys: [{ key: 'm' }],
    undo: 'step',
    enabled: hasTrack,
    perform: toggleTrack('muted'),
  },
  {
    id: 'solo',
    label: 'Solo',
    keys: [{ key: 's', shift: true }],
    undo: 'step',
    enabled: hasTrack,
    perform: toggleTrack('soloed'),
  },
  {
    id: 'undo',
    label: 'Undo',
    keys: [{ key: 'z', mod: true, shift: false }],
    undo: 'none',
    enabled: (ctx) => canUndo(ctx.studio.history),
    perform: () => ({ then: [{ type: 'undo' }] }),
  },
  {
    id: 'redo',
    label: 'Redo',
    keys: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true },
    ],
    undo: 'none',
    enabled: (ctx) => canRedo(ctx.studio.history),
    perform: () => ({ then: [{ type: 'redo' }] }),
  },
  {
    id: 'assistant',
    label: 'Assistant',
    keys: [{ key: 'a', shift: false }],
    undo: 'none',
    enabled: always,
    perform: () => ({ effect: { type: 'togglePanel', panel: 'assistant' } }),
  },
  {
    id: 'artwork',
    label: 'Artwork remix',
    // C for cover
    keys: [{ key: 'c', shift: false }],
    undo: 'none',
    enabled: always,
    perform: () => ({ effect: { type: 'togglePanel', panel: 'artwork' } }),
  },
  {
    id: 'export',
    label: 'Render, watermark and tag your remix',
    keys: [],
    undo: 'none',
    // The server renders the export from the saved remix: the stems need not be loaded here.
    enabled: (ctx) => ctx.exportBlocked === null,
    blockedBy: (ctx) => ctx.exportBlocked,
    perform: () => ({ effect: { type: 'export' } }),
  },
  {
    id: 'addRegion',
    label: 'Add region at playhead',
    keys: [],
    undo: 'step',
    enabled: hasTrack,
    perform: (ctx, target) => {
      const track = trackOf(ctx.studio, target)!
      const regionId = ctx.newId('r')
      return {
        edits: [newRegion(ctx, track, regionId)],
        then: [{ type: 'select', selection: { trackId: track.id, regionId } }],
      }
    },
  },
] as const satisfies readonly StudioCommand[]

/** A command's id. */
export type CommandId = (typeof COMMANDS)[number]['id']

const BY_ID = new Map<string, StudioCommand>(COMMANDS.map((c) => [c.id, c]))

/** The command with this id. */
export const commandOf = (id: CommandId): StudioCommand => BY_ID.get(id)!

/** The studio actions a command dispatches, in order, and its effect; null when it is off. */
export function resolveCommand(
  command: StudioCommand,
  ctx: CommandContext,
  target?: CommandTarget,
): { actions: StudioAction[]; effect: CommandEffect | null } | null {
  if (!command.enabled(ctx, target)) return null
  const { edits = [], then = [], effect = null } = command.perform(ctx, target)
  if (command.undo === 'none' && edits.length > 0)
    throw new Error(`${command.id} edits the recipe but records no undo step`)
  const actions: StudioAction[] = edits.map((edit, i) => ({
    type: 'edit',
    edit,
    gesture: i === 0 ? 'push' : 'amend',
  }))
  return { actions: [...actions, ...then], effect }
}

/** A command's tooltip: why it is off, or what it does and its key. */
export function titleOf(command: StudioCommand, ctx: CommandContext): string {
  const blocked = command.blockedBy?.(ctx)
  if (blocked) return blocked
  const key = command.keys[0]
  return key ? `${command.label} (${keyLabel(key)})` : command.label
}

/** The on-screen legend: each command that has a key, with the key it is shown by. */
export const LEGEND: readonly { id: CommandId; key: string; label: string }[] = COMMANDS.flatMap(
  (c) => {
    const [first]: readonly KeyBinding[] = c.keys
    return first ? [{ id: c.id, key: keyLabel(first), label: c.label }] : []
  },
)
