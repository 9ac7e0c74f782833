import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.ts'
import { errorBody } from '../errors.ts'

/** A fixed window: at most `limit` requests per key every `windowSeconds`. */
export type RateLimitOptions = {
  /** Names the counter, so two routes with the same key count apart. */
  name: string
  limit: number
  windowSeconds: number
  /** Whose requests count together; the client's address by default. */
  keyOf?: (c: Context<AppEnv>) => string
}

/** The client's address as Cloudflare reports it; one shared bucket when there is none. */
export const clientAddress = (c: Context<AppEnv>) => c.req.header('CF-Connecting-IP') ?? 'unknown'

/** Counts one request in the key's current window and answers the count so far. */
async function countRequest(
  db: D1Database,
  name: string,
  key: string,
  windowStart: number,
): Promise<number> {
  const [count] = await db.batch<{ count: number }>([
    db
      .prepare(
        `INSERT INTO rate_limits (name, key, window_start, count) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (name, key, window_start) DO UPDATE SET count = count + 1
         RETURNING count`,
      )
      .bind(name, key, windowStart),
    db
      .prepare('DELETE FROM rate_limits WHERE name = ?1 AND key = ?2 AND window_start < ?3')
      .bind(name, key, windowStart),
  ])
  return count?.results[0]?.count ?? 1
}

/**
 * Middleware that refuses a key's requests past `limit` in a fixed window with 429
 * `{ error: { code: 'rate_limited', message } }` and a `Retry-After` header. Counters live in D1,
 * so every isolate sees the same count.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { name, limit, windowSeconds, keyOf = clientAddress } = options
  return async function rateLimited(c, next) {
    const now = Math.floor(Date.now() / 1000)
    const windowStart = now - (now % windowSeconds)
    const count = await countRequest(c.env.DB, name, keyOf(c), windowStart)
    if (count > limit) {
      const retryAfter = windowStart + windowSeconds - now
      c.header('Retry-After', String(retryAfter))
      const minutes = Math.ceil(windowSeconds / 60)
      const message = `Too many requests: at most ${limit} every ${minutes === 1 ? 'minute' : `${minutes} minutes`}. Try again in ${retryAfter} s.`
      return c.json(errorBody('rate_limited', message), 429)
    }
    await next()
  }
}
