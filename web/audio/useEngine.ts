import { useEffect, useReducer, useState } from 'react'
import { StudioEngine } from './engine.ts'

/** One StudioEngine for the studio's lifetime; re-renders on load and transport changes. */
export function useEngine(stems: readonly { id: string; url: string }[]): StudioEngine | null {
  const [engine, setEngine] = useState<StudioEngine | null>(null)
  const [, bump] = useReducer((n: number) => n + 1, 0)
  const key = stems.map((s) => s.id).join()
  useEffect(() => {
    const e = new StudioEngine(stems)
    const off = e.on(bump)
    setEngine(e)
    void e.load()
    return () => {
      off()
      e.dispose()
    }
    // The stems list is identified by its ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return engine
}
