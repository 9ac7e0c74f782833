import { Hono } from 'hono'
import { z } from 'zod'
import { DomainError } from '../../core/errors.ts'
import type { AppEnv } from '../env.ts'
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/password.ts'
import { endSession, requireUser, startSession } from '../auth/session.ts'
import { changePassword } from '../db/sessions.ts'
import { findUserByEmail, findUserById, insertUser, publicUser } from '../db/users.ts'
import { valid } from '../validate.ts'

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('enter a valid email address'))

const SignupSchema = z.object({
  email,
  displayName: z.string().trim().min(1, 'enter a display name').max(80),
  password: z
    .string()
    .min(10, 'use at least 10 characters')
    .max(200)
    .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), 'mix letters with digits or symbols'),
  role: z.enum(['fan', 'artist']).default('fan'),
})

const LoginSchema = z.object({ email, password: z.string().min(1).max(200) })

const PasswordSchema = z.object({
  current: z.string().min(1).max(200),
  next: SignupSchema.shape.password,
})

/** Sign up, log in, log out. */
export const auth = new Hono<AppEnv>()
  .post('/signup', valid('json', SignupSchema), async (c) => {
    const body = c.req.valid('json')
    const user = {
      id: crypto.randomUUID(),
      email: body.email,
      displayName: body.displayName,
      role: body.role,
      passwordHash: await hashPassword(body.password),
    }
    if (!(await insertUser(c.env.DB, user)))
      throw new DomainError(
        'conflict',
        'An account with that email already exists. Log in instead.',
      )
    await startSession(c, user.id)
    return c.json({ user: publicUser(user) }, 201)
  })
  .post('/login', valid('json', LoginSchema), async (c) => {
    const { email, password } = c.req.valid('json')
    const user = await findUserByEmail(c.env.DB, email)
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
    if (!user || !ok) throw new DomainError('unauthorized', 'Wrong email or password.')
    await startSession(c, user.id)
    return c.json({ user: publicUser(user) })
  })
  .post('/logout', async (c) => {
    await endSession(c)
    return c.body(null, 204)
  })
  // A new password revokes every session of the user (this one too), then starts a fresh one.
  .post('/password', requireUser(), valid('json', PasswordSchema), async (c) => {
    const { current, next } = c.req.valid('json')
    const user = await findUserById(c.env.DB, c.var.user.id)
    if (!user || !(await verifyPassword(current, user.passwordHash)))
      throw new DomainError('unauthorized', 'The current password is wrong.')
    await changePassword(c.env.DB, user.id, await hashPassword(next), Math.floor(Date.now() / 1000))
    await startSession(c, user.id)
    return c.body(null, 204)
  })
