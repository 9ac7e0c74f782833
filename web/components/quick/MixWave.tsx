import { useEffect, useMemo, useRef } from 'react'
import { mixEnvelope, powerFrames } from '../../../core/recipe/envelope.ts'
import type { Recipe } from '../../../core/recipe/schema.ts'
import type { StemBuffers } from '../../audio/graph.ts'

/** Seconds per column of the overview. */
const FRAME = 0.25
/** The quietest level drawn, in dBFS: quieter is a flat line. */
const FLOOR_DB = -60

/**
 * The shape of a quick remix: its level over time from the stems' decoded audio mapped through the
 * recipe (core's mixEnvelope), with the playhead. Drawn once per recipe; the playhead moves.
 */
export function MixWave(props: {
  recipe: Recipe
  buffers: StemBuffers
  playing: boolean
  positionOf: () => number
}) {
  const { recipe, buffers, playing, positionOf } = props
  const ref = useRef<HTMLCanvasElement>(null)
  const head = useRef<HTMLSpanElement>(null)
  const power = useMemo(() => {
    const out = new Map<string, Float32Array>()
    for (const [id, b] of buffers) {
      const channels = Array.from({ length: b.numberOfChannels }, (_, c) => b.getChannelData(c))
      out.set(id, powerFrames(channels, b.sampleRate, FRAME))
    }
    return out
  }, [buffers])
  const levels = useMemo(() => mixEnvelope(recipe, power, FRAME), [recipe, power])

  useEffect(() => {
    const canvas = ref.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx) return
    const { width, height } = canvas
    ctx.clearRect(0, 0, width, height)
    const style = getComputedStyle(canvas)
    ctx.fillStyle = style.getPropertyValue('--wave') || '#c77d2e'
    const column = width / Math.max(1, levels.length)
    levels.forEach((p, i) => {
      const db = 10 * Math.log10(p + 1e-12)
      const h = Math.max(1, (Math.max(0, db - FLOOR_DB) / -FLOOR_DB) * height)
      ctx.fillRect(i * column, (height - h) / 2, Math.max(1, column - 0.5), h)
    })
  }, [levels])

  // The playhead follows the transport every frame while it plays.
  useEffect(() => {
    const place = () => {
      const at = recipe.length > 0 ? Math.min(1, positionOf() / recipe.length) : 0
      if (head.current) head.current.style.left = `${at * 100}%`
    }
    place()
    if (!playing) return
    let frame = requestAnimationFrame(function tick() {
      place()
      frame = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(frame)
  }, [playing, positionOf, recipe.length])

  return (
    <div className="mix-wave" data-testid="quick-wave">
      <canvas
        ref={ref}
        width={720}
        height={96}
        role="img"
        aria-label="The remix’s level over time"
      />
      <span ref={head} className="playhead" aria-hidden="true" />
    </div>
  )
}
