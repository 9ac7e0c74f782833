import { useCallback, useEffect, useReducer, useState, useSyncExternalStore } from 'react'
import { StudioEngine } from './engine.ts'

/** One StudioEngine for the page's lifetime; re-renders on load and transport changes. */
export function useEngine(stems: readonly { id: string; url: string }[]): StudioEngine | null {
  const [engine, setEngine] = useState<StudioEngine | null>(null)
  useEngineUpdates(engine)
  const key = stems.map((s) => s.id).join()
  useEffect(() => {
    const e = new StudioEngine(stems)
    setEngine(e)
    void e.load()
    return () => e.dispose()
    // The stems list is identified by its ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return engine
}

/** Re-renders on an engine's load and transport changes (an engine made and disposed elsewhere). */
export function useEngineUpdates(engine: StudioEngine | null): void {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    if (!engine) return
    bump() // whatever changed between the render and this subscription
    return engine.on(bump)
  }, [engine])
}

/**
 * `select(engine)`, re-rendering on an engine's changes only when its answer does (compared with
 * Object.is): a stem's download progress or a seek re-renders nothing that does not show them.
 */
export function useEngineState<T>(
  engine: StudioEngine | null,
  select: (engine: StudioEngine) => T,
) {
  const subscribe = useCallback(
    (onChange: () => void) => engine?.on(onChange) ?? (() => undefined),
    [engine],
  )
  return useSyncExternalStore(subscribe, () => (engine ? select(engine) : undefined))
}
