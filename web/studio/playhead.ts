import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { Seconds } from '../../core/units.ts'

/**
 * Where the engine's playhead is, read on every animation frame by whoever subscribes: the clock
 * and the playhead line write to the DOM themselves, and a component that only needs to know
 * whether something about the playhead changed (a command that works inside a region) re-renders
 * only when that answer does. The studio around them does not re-render while it plays.
 */
export type Playhead = {
  seconds: () => Seconds
  /** Calls `onFrame` on every animation frame until the returned function is called. */
  subscribe: (onFrame: () => void) => () => void
}

/** A playhead reading `seconds` once per animation frame, for all its subscribers at once. */
export function framePlayhead(seconds: () => Seconds): Playhead {
  const subscribers = new Set<() => void>()
  let frame = 0
  const tick = () => {
    for (const s of subscribers) s()
    frame = subscribers.size ? requestAnimationFrame(tick) : 0
  }
  return {
    seconds,
    subscribe(onFrame) {
      subscribers.add(onFrame)
      frame ||= requestAnimationFrame(tick)
      return () => {
        subscribers.delete(onFrame)
        if (subscribers.size === 0 && frame) frame = (cancelAnimationFrame(frame), 0)
      }
    },
  }
}

/** `select(seconds)`, re-rendering only when its answer changes (compared with Object.is). */
export function usePlayhead<T>(playhead: Playhead, select: (seconds: Seconds) => T): T {
  return useSyncExternalStore(playhead.subscribe, () => select(playhead.seconds()))
}

/** Calls `onFrame(seconds)` on every frame while mounted, for DOM writes that skip React. */
export function usePlayheadFrame(playhead: Playhead, onFrame: (seconds: Seconds) => void): void {
  const latest = useRef(onFrame)
  useEffect(() => {
    latest.current = onFrame
  })
  useEffect(() => {
    latest.current(playhead.seconds())
    return playhead.subscribe(() => latest.current(playhead.seconds()))
  }, [playhead])
}
