import type { Seconds } from '../../core/units.ts'

/** m:ss.t for the transport. */
export function clockFrom(seconds: Seconds): string {
  const s = Math.max(0, seconds)
  const m = Math.floor(s / 60)
  const rest = s - m * 60
  return `${m}:${rest.toFixed(1).padStart(4, '0')}`
}
