import { useRef, type PointerEvent } from 'react'

/**
 * Pointer drag in seconds: `onMove(dxSeconds, first)` on every move while the pointer is down.
 * `first` is true on the first move of a gesture, so the caller can open one undo step per drag.
 */
export function useDrag(pxPerSecond: number, onMove: (dx: number, first: boolean) => void) {
  const origin = useRef<{ x: number; moved: boolean } | null>(null)
  return {
    onPointerDown(e: PointerEvent<HTMLElement>) {
      // Touch goes to the timeline's own gestures (useTouchTimeline): long press, not a tap, drags.
      if (e.button !== 0 || e.pointerType === 'touch') return
      e.stopPropagation()
      e.currentTarget.setPointerCapture(e.pointerId)
      origin.current = { x: e.clientX, moved: false }
    },
    onPointerMove(e: PointerEvent<HTMLElement>) {
      const o = origin.current
      if (!o) return
      const dx = (e.clientX - o.x) / pxPerSecond
      if (!o.moved && Math.abs(e.clientX - o.x) < 3) return
      onMove(dx, !o.moved)
      o.moved = true
    },
    onPointerUp(e: PointerEvent<HTMLElement>) {
      origin.current = null
      if (e.currentTarget.hasPointerCapture(e.pointerId))
        e.currentTarget.releasePointerCapture(e.pointerId)
    },
  }
}

/**
 * One undo step per slider gesture: `next()` answers 'push' for the first change after `end()`
 * and 'amend' after that; call `end()` on pointer up / key up.
 */
export function useGesture() {
  const open = useRef(false)
  return {
    next(): 'push' | 'amend' {
      const g = open.current ? 'amend' : 'push'
      open.current = true
      return g
    },
    end() {
      open.current = false
    },
  }
}
