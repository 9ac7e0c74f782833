import { useEffect, useRef } from 'react'

/** Calls `onFrame` on every animation frame while mounted. */
export function useAnimationFrame(onFrame: () => void): void {
  const ref = useRef(onFrame)
  ref.current = onFrame
  useEffect(() => {
    let id = requestAnimationFrame(function tick() {
      ref.current()
      id = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(id)
  }, [])
}
