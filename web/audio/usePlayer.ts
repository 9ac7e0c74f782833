import { useEffect, useReducer, useRef, useState } from 'react'
import type { Seconds } from '../../core/units.ts'
import { StemPlayer } from './player.ts'

/** One StemPlayer for the component's lifetime; re-renders on load and transport changes. */
export function usePlayer(stems: readonly { id: string; url: string }[]): StemPlayer | null {
  const [player, setPlayer] = useState<StemPlayer | null>(null)
  const [, bump] = useReducer((n: number) => n + 1, 0)
  const key = stems.map((s) => s.id).join()
  useEffect(() => {
    const p = new StemPlayer(stems)
    const off = p.on(bump)
    setPlayer(p)
    void p.load()
    return () => {
      off()
      p.dispose()
    }
    // The stems list is identified by its ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return player
}

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

/** The transport position, sampled once per frame. */
export function usePosition(player: StemPlayer | null): Seconds {
  const [position, setPosition] = useState(0)
  useAnimationFrame(() => {
    if (!player) return
    if (player.playing && player.position >= player.duration && player.duration > 0) {
      player.pause()
      player.seek(0)
    }
    setPosition(player.position)
  })
  return position
}
