import { useCallback, useEffect, useMemo } from 'react'
import type { Recipe } from '../../core/recipe/schema.ts'
import type { Seconds } from '../../core/units.ts'
import type { StudioEngine } from '../audio/engine.ts'
import { useAnimationFrame } from '../audio/hooks.ts'
import { framePlayhead } from './playhead.ts'

type Options = {
  /** The remix on screen. */
  recipe: Recipe
  /** A proposal auditioned in its place (the remix itself stays as it is), or null. */
  audition: { recipe: Recipe } | null
  loop: { start: Seconds; end: Seconds } | null
}

/**
 * Keeps the engine playing what the studio shows: the remix or an audition (which plays from the
 * top), the loop; stops at the end unless looping. Returns the playhead (read every frame by the
 * clock and the playhead line, not by this hook: the studio does not re-render while it plays) and
 * the transport.
 */
export function useEngineSync(engine: StudioEngine | null, { recipe, audition, loop }: Options) {
  const playhead = useMemo(() => framePlayhead(() => engine?.position ?? 0), [engine])
  const heard = audition?.recipe ?? recipe
  // Play works once every stem's first seconds are decoded; whole stems replace them as they come.
  const ready = engine?.playable ?? false
  useEffect(() => {
    if (engine && ready) engine.setRecipe(heard)
  }, [engine, ready, heard])
  useEffect(() => {
    if (!engine || !ready) return
    engine.seek(0)
    if (audition) void engine.play()
    else engine.pause()
  }, [engine, ready, audition])
  useEffect(() => engine?.setLoop(loop), [engine, loop])

  useAnimationFrame(() => {
    if (!engine) return
    if (engine.playing && !loop && engine.position >= heard.length) {
      engine.pause()
      engine.seek(0)
    }
  })

  const length = recipe.length
  const seek = useCallback(
    (t: Seconds) => engine?.seek(Math.max(0, Math.min(length, t))),
    [engine, length],
  )
  const togglePlay = useCallback(() => {
    if (!engine?.playable) return
    if (engine.playing) engine.pause()
    else void engine.play()
  }, [engine])
  return { playhead, playing: engine?.playing ?? false, ready, seek, togglePlay }
}
