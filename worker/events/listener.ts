import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { base64urlOf, bytesOfBase64url } from '../../core/lib/crypto.ts'
import type { AppEnv, Bindings } from '../env.ts'
import { seal, unseal } from '../lib/hmac.ts'

/**
 * The anonymous listener: a random id the worker issues in an HttpOnly cookie and signs, so a
 * client cannot choose it (it can only drop it and be issued a new one — which is why the
 * per-address caps exist, worker/events/caps.ts).
 */
const COOKIE = 'sf_listener'
const PURPOSE = 'listener-cookie'
const MAX_AGE = 60 * 60 * 24 * 365

const LISTENER = /^[A-Za-z0-9_-]{22}$/

/** How many ledger objects the listeners share (see ListenerLedger). */
export const LEDGER_BUCKETS = 256

/**
 * The ledger (worker/events/listener-ledger.ts) that keeps this listener's audio and tickets:
 * one of LEDGER_BUCKETS objects, picked by the id's first two bytes (ids are random).
 */
export function ledgerOf(env: Bindings, listener: string) {
  const id = bytesOfBase64url(listener)!
  const bucket = ((id[0]! << 8) | id[1]!) % LEDGER_BUCKETS
  return env.LISTENERS.get(env.LISTENERS.idFromName(`ledger-${bucket}`))
}

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
  // The player also runs in /embed/:id, an iframe of our own origin on another site: its requests
  // are same-origin (the CSRF check passes) but cross-site for cookies, so a Lax cookie would be
  // neither stored nor sent and no embedded play could be redeemed. Over HTTPS the cookie is
  // SameSite=None and Partitioned (CHIPS): each embedding site has its own listener, which a
  // third-party page cannot use to track anyone. This cookie identifies no account, and every
  // state-changing route refuses a foreign Origin (worker/http/csrf.ts) whatever the cookie.
  // Plain HTTP (local runs) cannot carry SameSite=None: it stays Lax there.
  const https = new URL(c.req.url).protocol === 'https:'
  const sealed = await seal(c.env.SESSION_SECRET, PURPOSE, id)
  if (https)
    setCookie(c, COOKIE, sealed, {
      path: '/api/',
      httpOnly: true,
      sameSite: 'None',
      secure: true,
      partitioned: true,
      maxAge: MAX_AGE,
    })
  else
    setCookie(c, COOKIE, sealed, {
      path: '/api/',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: MAX_AGE,
    })
  return id
}
