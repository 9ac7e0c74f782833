import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv, Bindings } from '../env.ts'
import { DomainError } from '../../core/errors.ts'
import { errorResponse } from '../errors.ts'
import { clientAddress } from './client-address.ts'

/** A fixed window: at most `limit` requests per key every `windowSeconds`. */
export type RateLimitOptions = {
  /** Names the counter, so two routes with the same key count apart. */
  name: string
  limit: number
  windowSeconds: number
  /**
   * A Cloudflare rate-limiting binding ([[ratelimits]] in wrangler.toml, whose `simple` limit and
   * period must be `limit` and `windowSeconds`: 10 or 60 s). Without one the window is a
   * Durable Object per key (worker/http/rate-window.ts), for longer windows.
   */
  binding?: 'VERIFY_LIMITER' | 'PLAY_LIMITER'
  /** Whose requests count together; the client's address (as the platform sets it) by default. */
  keyOf?: (c: Context<AppEnv>) => string
}

async function allowed(
  env: Bindings,
  o: RateLimitOptions,
  key: string,
): Promise<{ ok: boolean; retryAfter: number }> {
  if (o.binding) {
    const { success } = await env[o.binding].limit({ key: `${o.name}:${key}` })
    return { ok: success, retryAfter: o.windowSeconds }
  }
  const stub = env.WINDOWS.get(env.WINDOWS.idFromName(`${o.name}:${key}`))
  return stub.hit(o.limit, o.windowSeconds)
}

/**
 * Middleware that refuses a key's requests past the limit with 429
 * `{ error: { code: 'rate_limited', message, retryAfter } }` and a `Retry-After` header. Nothing is written to
 * D1: the binding or the Durable Object keeps the count, so every isolate sees the same one.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limit, windowSeconds, keyOf = clientAddress } = options
  return async function rateLimited(c, next) {
    const { ok, retryAfter } = await allowed(c.env, options, keyOf(c))
    if (!ok) {
      const minutes = Math.ceil(windowSeconds / 60)
      const message = `Too many requests: at most ${limit} every ${minutes === 1 ? 'minute' : `${minutes} minutes`}. Try again in ${retryAfter} s.`
      return errorResponse(c, new DomainError('rate_limited', message, { retryAfter }), {
        'Retry-After': String(retryAfter),
      })
    }
    await next()
  }
}
