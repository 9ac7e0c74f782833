import { DurableObject } from 'cloudflare:workers'

/**
 * A fixed-window counter for one rate-limited key (a Durable Object per name and key), for windows
 * longer than the rate-limiting binding's 60 s. One call at a time, so count-then-decide is atomic.
 */
export class RateWindow extends DurableObject {
  /** Counts one request in the current window; answers whether it is within `limit`. */
  hit(limit: number, windowSeconds: number): { ok: boolean; retryAfter: number } {
    const now = Math.floor(Date.now() / 1000)
    const start = now - (now % windowSeconds)
    const kv = this.ctx.storage.kv
    const seen = kv.get<{ start: number; count: number }>('w')
    const count = seen?.start === start ? seen.count + 1 : 1
    kv.put('w', { start, count })
    return { ok: count <= limit, retryAfter: start + windowSeconds - now }
  }
}
