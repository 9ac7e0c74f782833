import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { base64urlOf } from '../../core/lib/crypto.ts'
import type { AppEnv } from '../env.ts'
import { seal, unseal } from './hmac.ts'

/**
 * The anonymous listener: a random id the worker issues in an HttpOnly cookie and signs, so a
 * client cannot choose it (it can only drop it and be issued a new one — which is why the
 * per-address caps exist, worker/events/caps.ts).
 */
const COOKIE = 'sf_listener'
const PURPOSE = 'listener-cookie'
const MAX_AGE = 60 * 60 * 24 * 365

const LISTENER = /^[A-Za-z0-9_-]{22}$/

/** The listener id of a valid cookie, or null. */
export async function readListener(c: Context<AppEnv>): Promise<string | null> {
  const cookie = getCookie(c, COOKIE)
  if (!cookie) return null
  const id = await unseal(c.env.SESSION_SECRET, PURPOSE, cookie)
  return id && LISTENER.test(id) ? id : null
}

/** The listener id, issuing a new cookie on this response when the request has none. */
export async function ensureListener(c: Context<AppEnv>): Promise<string> {
  const known = await readListener(c)
  if (known) return known
  const id = base64urlOf(crypto.getRandomValues(new Uint8Array(16)))
  setCookie(c, COOKIE, await seal(c.env.SESSION_SECRET, PURPOSE, id), {
    path: '/api/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: MAX_AGE,
  })
  return id
}
