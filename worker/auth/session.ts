import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { DomainError } from '../../core/errors.ts'
import type { UserView } from '../../core/api/users.ts'
import { sha256Hex } from '../../core/lib/bytes.ts'
import { base64urlOf } from '../../core/lib/crypto.ts'
import type { AppEnv, RouteContext, SignedInEnv } from '../env.ts'
import { publicUser, userFrom } from '../db/users.ts'
import { findSessionUser, insertSession, revokeSession, touchSession } from '../db/sessions.ts'

const COOKIE = 'sf_session'
/** Absolute expiry: a session ends 14 days after login whatever happens. */
export const MAX_AGE = 60 * 60 * 24 * 14
/** Idle expiry: a session unused for 3 days ends. */
export const IDLE = 60 * 60 * 24 * 3
/** How often the idle clock is written (at most once an hour per session). */
const TOUCH_EVERY = 60 * 60

function secretOf(c: RouteContext): string {
  const secret = c.env.SESSION_SECRET
  if (!secret || secret.length < 32) throw new Error('SESSION_SECRET must be set (32+ characters)')
  return secret
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** The sessions row id of a token: its SHA-256, so a leaked table holds no usable cookie. */
function idOf(token: string): Promise<string> {
  return sha256Hex(token)
}

/** Starts a session: a row in `sessions` and a signed, HttpOnly, SameSite=Lax cookie with its token. */
export async function startSession(c: RouteContext, userId: string): Promise<void> {
  const token = base64urlOf(crypto.getRandomValues(new Uint8Array(32)))
  const now = nowSeconds()
  await insertSession(c.env.DB, { id: await idOf(token), userId, now, expiresAt: now + MAX_AGE })
  await setSignedCookie(c, COOKIE, token, secretOf(c), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: MAX_AGE,
  })
}

async function tokenOf(c: Context<AppEnv>): Promise<string | null> {
  if (!getCookie(c, COOKIE)) return null
  const value = await getSignedCookie(c, secretOf(c), COOKIE)
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null
}

/** Ends this session at once: the row is revoked, the cookie deleted. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = await tokenOf(c)
  if (token) await revokeSession(c.env.DB, await idOf(token), nowSeconds())
  deleteCookie(c, COOKIE, { path: '/' })
}

/** Middleware: puts the signed-in user (or null) on the context; a dead session is no session. */
export function session(): MiddlewareHandler<AppEnv> {
  return async function session(c, next) {
    c.set('user', null)
    const token = await tokenOf(c)
    if (token) {
      const id = await idOf(token)
      const now = nowSeconds()
      const row = await findSessionUser(c.env.DB, id, now, IDLE)
      if (row) {
        c.set('user', publicUser(userFrom(row)))
        if (row.last_seen_at <= now - TOUCH_EVERY)
          await touchSession(c.env.DB, id, now, TOUCH_EVERY)
      }
    }
    await next()
  }
}

/**
 * Middleware: 401 without a session, 403 when the user's role is not one of `roles` (any role when
 * none is named). What follows it sees the context as `SignedInEnv`: `c.var.user` is non-null.
 */
export function requireRole(...roles: UserView['role'][]): MiddlewareHandler<SignedInEnv> {
  return createMiddleware<SignedInEnv>(async function requireRole(c, next) {
    // session() ran first and left the user or null: until this check it may still be null.
    const user: UserView | null = c.get('user')
    if (!user) throw new DomainError('unauthorized', 'Log in first.')
    if (roles.length > 0 && !roles.includes(user.role))
      throw new DomainError('forbidden', `This needs the ${roles.join(' or ')} role.`)
    c.set('user', user)
    await next()
  })
}

/** Middleware: 401 without a session; any signed-in user passes. */
export const requireUser = (): MiddlewareHandler<SignedInEnv> => requireRole()
