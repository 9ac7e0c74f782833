import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'

/**
 * The client's address as the platform reports it. Behind Cloudflare's edge `CF-Connecting-IP` is
 * set by Cloudflare itself and a client cannot forge it; a local run (wrangler dev, vite preview,
 * the worker tests) passes the header through as the client sent it — which is how the tests and
 * the benchmark play many addresses, and why nothing keyed on it holds off Cloudflare's edge.
 * Without it every request shares one bucket.
 */
export const clientAddress = (c: Context<AppEnv>): string =>
  c.req.header('CF-Connecting-IP') ?? 'unknown'
