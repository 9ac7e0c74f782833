import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { audioBytesOf, AudioBodyHeaderSchema } from '../http/audio-body.ts'
import { rateLimit } from '../http/rate-limit.ts'
import { examineAudio } from '../verify/examine.ts'
import { valid } from '../validate.ts'

export { ANALYSED_SECONDS } from '../verify/examine.ts'

/** Verifications each address may ask for in a window. */
export const VERIFY_LIMIT = { limit: 20, windowSeconds: 60 }

/**
 * `POST /api/verify`: which Stemfair export an audio file comes from (its watermark), or which
 * campaign stems it uses without one (fingerprints), or nothing.
 */
export const verify = new Hono<AppEnv>().post(
  '/',
  rateLimit({ name: 'verify', ...VERIFY_LIMIT, binding: 'VERIFY_LIMITER' }),
  valid('header', AudioBodyHeaderSchema),
  async (c) => {
    const bytes = await audioBytesOf(c.req.raw, c.req.valid('header')['content-type'])
    return c.json(await examineAudio(c.env, bytes, c.req.url))
  },
)
