import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { VerificationSubmissionSchema } from '../../core/consent/verification.ts'
import { DomainError } from '../../core/errors.ts'
import { requireRole } from '../auth/session.ts'
import type { AppEnv } from '../env.ts'
import { artistVerification, submitVerification } from '../db/consent.ts'
import { valid } from '../validate.ts'

const jsonLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: () => {
    throw new DomainError('payload_too_large', 'A request body can be at most 64 KiB.')
  },
})

function alreadyDecided(what: string): never {
  throw new DomainError('conflict', what)
}

/** The signed-in artist's own verification: read the state and reason, submit evidence. */
export const artistVerificationRoute = new Hono<AppEnv>()
  .use(requireRole('artist'))
  .get('/', async (c) =>
    c.json({ verification: await artistVerification(c.env.DB, c.var.user.id) }),
  )
  .post('/', jsonLimit, valid('json', VerificationSubmissionSchema), async (c) => {
    const me = c.var.user
    const id = await submitVerification(
      c.env.DB,
      { id: me.id, name: me.displayName },
      c.req.valid('json'),
    )
    if (!id) {
      const { state } = await artistVerification(c.env.DB, me.id)
      alreadyDecided(
        state === 'verified'
          ? 'Your account is already verified.'
          : 'Your verification request is being reviewed; you can submit again if an admin asks for more.',
      )
    }
    return c.json({ verification: await artistVerification(c.env.DB, me.id) }, 201)
  })
