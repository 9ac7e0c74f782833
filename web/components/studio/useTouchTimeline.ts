import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'
import { MAX_PX_PER_SECOND, MIN_PX_PER_SECOND } from '../../store/studio.ts'
import { isRegionPart, type RegionPart } from './regionDrag.ts'

/** How long a finger rests on a region before it lifts it for a drag. */
export const LONG_PRESS_MS = 400
/** Movement (px) that turns a touch into a swipe before the long press fires. */
const SLOP = 8

const clampZoom = (px: number) => Math.min(MAX_PX_PER_SECOND, Math.max(MIN_PX_PER_SECOND, px))

type Handlers = {
  pxPerSecond: number
  /** A swipe ended having scrolled the view by `dx` px (positive: later in the song). */
  onSwipe: (dx: number) => void
  /** A quick tap at `seconds` on a lane (`trackId`) or the ruler (null). */
  onTap: (seconds: number, trackId: string | null) => void
  /**
   * A lifted region (part 'move'), or a trim or fade handle of the selected region, dragged by
   * `dx` seconds since the gesture began; `first` opens its undo step.
   */
  onRegionDrag: (
    trackId: string,
    regionId: string,
    part: RegionPart,
    dx: number,
    first: boolean,
  ) => void
  /** Two fingers asked for `factor` × the current zoom. */
  onZoom: (factor: number) => void
}

type Gesture =
  | { kind: 'none' }
  | {
      kind: 'pending' | 'swipe'
      x: number
      y: number
      scroll: number
      region: { trackId: string; regionId: string; el: HTMLElement } | null
      trackId: string | null
      timer: number
    }
  | {
      kind: 'drag'
      part: RegionPart
      x: number
      trackId: string
      regionId: string
      el: HTMLElement
      moved: boolean
    }
  | { kind: 'pinch'; distance: number; px: number; asked: number; seconds: number }

/**
 * Touch on the timeline, as on a phone: a swipe scrolls, a tap seeks, a long press lifts a region
 * to drag it, a finger on a trim or fade handle of the selected region drags that handle at once,
 * two fingers zoom around their midpoint. Mouse and pen keep their own handlers.
 */
export function useTouchTimeline(scroller: RefObject<HTMLDivElement | null>, handlers: Handlers) {
  const latest = useRef(handlers)
  latest.current = handlers
  // The time kept under the pinch midpoint while the zoom re-renders the lanes.
  const anchor = useRef<{ seconds: number; x: number } | null>(null)

  useLayoutEffect(() => {
    const box = scroller.current
    const a = anchor.current
    if (box && a) box.scrollLeft = a.seconds * handlers.pxPerSecond - a.x
  }, [scroller, handlers.pxPerSecond])

  useEffect(() => {
    const box = scroller.current
    if (!box) return
    const fingers = new Map<number, { x: number; y: number }>()
    let g: Gesture = { kind: 'none' }

    const end = () => {
      if (g.kind === 'pending' || g.kind === 'swipe') window.clearTimeout(g.timer)
      if (g.kind === 'drag') g.el.classList.remove('lifted')
      if (g.kind === 'pinch') anchor.current = null
      g = { kind: 'none' }
    }
    const spread = () => {
      const [a, b] = [...fingers.values()]
      return { distance: Math.hypot(a!.x - b!.x, a!.y - b!.y), mid: (a!.x + b!.x) / 2 }
    }
    const secondsAt = (clientX: number) =>
      Math.max(
        0,
        (clientX - box.getBoundingClientRect().left + box.scrollLeft) / latest.current.pxPerSecond,
      )

    const down = (e: PointerEvent) => {
      if (e.pointerType !== 'touch') return
      fingers.set(e.pointerId, { x: e.clientX, y: e.clientY })
      if (fingers.size === 2) {
        end()
        anchor.current = null
        const px = latest.current.pxPerSecond
        const { distance, mid } = spread()
        const seconds = (mid - box.getBoundingClientRect().left + box.scrollLeft) / px
        g = { kind: 'pinch', distance, px, asked: px, seconds }
        return
      }
      if (fingers.size > 2) return end()
      const target = e.target as HTMLElement
      const el = target.closest<HTMLElement>('[data-region]')
      const trackId = target.closest<HTMLElement>('[data-track]')?.dataset.track ?? null
      const region = el && trackId ? { trackId, regionId: el.dataset.region!, el } : null
      // A selected region shows its handles: a finger on one takes it without the long press.
      const part = target.closest<HTMLElement>('[data-part]')?.dataset.part
      if (region && isRegionPart(part) && el!.getAttribute('aria-pressed') === 'true') {
        g = { kind: 'drag', part, x: e.clientX, ...region, moved: false }
        return
      }
      const timer = window.setTimeout(() => {
        if (g.kind !== 'pending' || !g.region) return
        g.region.el.classList.add('lifted')
        g = { kind: 'drag', part: 'move', x: g.x, ...g.region, moved: false }
      }, LONG_PRESS_MS)
      g = {
        kind: 'pending',
        x: e.clientX,
        y: e.clientY,
        scroll: box.scrollLeft,
        region,
        trackId,
        timer,
      }
    }

    const move = (e: PointerEvent) => {
      if (!fingers.has(e.pointerId)) return
      fingers.set(e.pointerId, { x: e.clientX, y: e.clientY })
      const h = latest.current
      if (g.kind === 'pinch' && fingers.size === 2) {
        const { distance, mid } = spread()
        const x = mid - box.getBoundingClientRect().left
        anchor.current = { seconds: g.seconds, x }
        // Relative to the zoom last asked for: renders may lag behind the fingers.
        const target = clampZoom((g.px * distance) / g.distance)
        h.onZoom(target / g.asked)
        g.asked = target
      } else if (g.kind === 'pending') {
        const dx = e.clientX - g.x
        const dy = e.clientY - g.y
        if (Math.abs(dx) < SLOP && Math.abs(dy) < SLOP) return
        window.clearTimeout(g.timer)
        // A vertical move belongs to the page (touch-action: pan-y); it cancels this pointer.
        if (Math.abs(dx) >= Math.abs(dy)) g = { ...g, kind: 'swipe' }
        else end()
      }
      if (g.kind === 'swipe') box.scrollLeft = g.scroll - (e.clientX - g.x)
      else if (g.kind === 'drag') {
        const dx = (e.clientX - g.x) / h.pxPerSecond
        if (!g.moved && Math.abs(e.clientX - g.x) < 3) return
        h.onRegionDrag(g.trackId, g.regionId, g.part, dx, !g.moved)
        g.moved = true
      }
    }

    const up = (e: PointerEvent) => {
      if (!fingers.delete(e.pointerId)) return
      const h = latest.current
      if (g.kind === 'swipe') h.onSwipe(box.scrollLeft - g.scroll)
      else if (g.kind === 'pending' && !g.region && e.type === 'pointerup')
        h.onTap(secondsAt(e.clientX), g.trackId)
      if (g.kind !== 'pinch' || fingers.size === 0) end()
    }

    // Once a gesture is ours, the browser must neither pan nor zoom the page under it.
    const touchMove = (e: TouchEvent) => {
      if (g.kind === 'swipe' || g.kind === 'drag' || g.kind === 'pinch') e.preventDefault()
    }

    box.addEventListener('pointerdown', down)
    box.addEventListener('pointermove', move)
    box.addEventListener('pointerup', up)
    box.addEventListener('pointercancel', up)
    box.addEventListener('touchmove', touchMove, { passive: false })
    return () => {
      end()
      box.removeEventListener('pointerdown', down)
      box.removeEventListener('pointermove', move)
      box.removeEventListener('pointerup', up)
      box.removeEventListener('pointercancel', up)
      box.removeEventListener('touchmove', touchMove)
    }
  }, [scroller])
}
