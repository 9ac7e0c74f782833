import { useCallback, useEffect, useRef, type Dispatch } from 'react'
import { typingInto } from '../store/keyTarget.ts'
import type { StudioAction } from '../store/studio.ts'
import {
  COMMANDS,
  commandOf,
  resolveCommand,
  titleOf,
  type CommandContext,
  type CommandEffect,
  type CommandId,
  type CommandTarget,
} from './commands.ts'
import { boundTo, targetKeeps } from './keys.ts'
import { usePlayhead, type Playhead } from './playhead.ts'

/** The registry bound to the studio on screen: what buttons and lanes call. */
export type BoundCommands = {
  run: (id: CommandId, target?: CommandTarget) => void
  enabled: (id: CommandId, target?: CommandTarget) => boolean
  title: (id: CommandId) => string
}

/**
 * Runs studio commands against the current context and the playhead where it is when they run:
 * their actions go to `dispatch`, their effects to `onEffect`. Re-renders when a command's being
 * enabled changes with the playhead (Split, inside a region or not), not on every frame. Binds
 * every command's keys on window, leaving alone keys typed into fields and the keys a focused
 * control keeps for itself.
 */
export function useStudioCommands(
  context: Omit<CommandContext, 'position'>,
  playhead: Playhead,
  dispatch: Dispatch<StudioAction>,
  onEffect: (effect: CommandEffect) => void,
): BoundCommands {
  usePlayhead(playhead, (position) =>
    COMMANDS.map((c) => (c.enabled({ ...context, position }) ? 1 : 0)).join(''),
  )
  const ctx: CommandContext = { ...context, position: playhead.seconds() }
  const latest = useRef({ context, playhead, dispatch, onEffect })
  latest.current = { context, playhead, dispatch, onEffect }

  const run = useCallback((id: CommandId, target?: CommandTarget) => {
    const { context, playhead, dispatch, onEffect } = latest.current
    const ctx = { ...context, position: playhead.seconds() }
    const resolved = resolveCommand(commandOf(id), ctx, target)
    if (!resolved) return
    for (const action of resolved.actions) dispatch(action)
    if (resolved.effect) onEffect(resolved.effect)
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target)) return
      const command = boundTo(COMMANDS, e)
      if (!command || targetKeeps(e)) return
      e.preventDefault()
      run(command.id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [run])

  return {
    run,
    enabled: (id, target) => commandOf(id).enabled(ctx, target),
    title: (id) => titleOf(commandOf(id), ctx),
  }
}
