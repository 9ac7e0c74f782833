import type { Seconds } from '../../core/units.ts'

/** How long parameter changes ramp, so that no change clicks. */
export const RAMP: Seconds = 0.015

/** How long a replaced part keeps sounding while it fades out: the ramp plus Tone's lookahead. */
const LINGER_MS = 300

/**
 * Disposes replaced parts of a running graph once their fade-out is over; `flush` disposes what is
 * still pending at once (when the whole graph goes).
 */
export class Retirer {
  private readonly pending = new Map<ReturnType<typeof setTimeout>, () => void>()

  later(dispose: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer)
      dispose()
    }, LINGER_MS)
    this.pending.set(timer, dispose)
  }

  flush(): void {
    for (const [timer, dispose] of this.pending) {
      clearTimeout(timer)
      dispose()
    }
    this.pending.clear()
  }
}
