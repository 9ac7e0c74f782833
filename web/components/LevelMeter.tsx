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
    // written only when they change: an unchanged meter costs no style or paint work
    const transform = `scaleY(${fraction.toFixed(3)})`
    const reading = Number.isFinite(db) ? db.toFixed(1) : '-inf'
    if (el.style.transform !== transform) el.style.transform = transform
    if (el.dataset.level !== reading) el.dataset.level = reading
  })
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={-60} aria-valuemax={0}>
      <div ref={fill} className="meter-fill" data-testid="meter" />
    </div>
  )
}
