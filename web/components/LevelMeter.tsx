import { useRef } from 'react'
import { useAnimationFrame } from '../audio/hooks.ts'

/** A vertical meter that reads `level()` (dBFS) every frame without re-rendering React. */
export function LevelMeter({ level, label }: { level: () => number; label: string }) {
  const fill = useRef<HTMLDivElement>(null)
  useAnimationFrame(() => {
    const el = fill.current
    if (!el) return
    const db = level()
    const fraction = Number.isFinite(db) ? Math.min(1, Math.max(0, (db + 60) / 60)) : 0
    el.style.transform = `scaleY(${fraction})`
    el.dataset.level = Number.isFinite(db) ? db.toFixed(1) : '-inf'
  })
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={-60} aria-valuemax={0}>
      <div ref={fill} className="meter-fill" data-testid="meter" />
    </div>
  )
}
