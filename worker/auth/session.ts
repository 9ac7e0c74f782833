import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { DomainError } from '../../core/errors.ts'
import type { UserView } from '../../core/campaign/views.ts'
import type { AppEnv } from '../env.ts'
import { findUserById, publicUser } from '../db/users.ts'

const COOKIE = 'sf_session'
const MAX_AGE = 60 * 60 * 24 * 14

function secretOf(c: Context<AppEnv>): string {
  const secret = c.env.SESSION_SECRET
  if (!secret || secret.length < 32) throw new Error('SESSION_SECRET must be set (32+ characters)')
  return secret
}

/** Starts a session: a signed, HttpOnly, SameSite=Lax cookie holding the user id and expiry. */
export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const expires = Math.floor(Date.now() / 1000) + MAX_AGE
  await setSignedCookie(c, COOKIE, `${userId}.${expires}`, secretOf(c), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: MAX_AGE,
  })
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { path: '/' })
}

/** Middleware: puts the signed-in user (or null) on the context. */
export function session(): MiddlewareHandler<AppEnv> {
  return async function session(c, next) {
    c.set('user', null)
    const value = getCookie(c, COOKIE) && (await getSignedCookie(c, secretOf(c), COOKIE))
    if (value) {
      const [userId, expires] = value.split('.')
      if (userId && Number(expires) > Date.now() / 1000) {
        const user = await findUserById(c.env.DB, userId)
        if (user) c.set('user', publicUser(user))
      }
    }
    await next()
  }
}

/** Middleware: 401 without a session, 403 when the user's role is not one of `roles`. */
export function requireRole(...roles: UserView['role'][]): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const user = c.get('user')
    if (!user) throw new DomainError('unauthorized', 'Log in first.')
    if (roles.length > 0 && !roles.includes(user.role))
      throw new DomainError('forbidden', `This needs the ${roles.join(' or ')} role.`)
    await next()
  }
}
