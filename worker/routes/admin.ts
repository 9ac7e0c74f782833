import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { DomainError } from '../../core/errors.ts'
import { requireRole } from '../auth/session.ts'
import type { AppEnv, SignedInEnv } from '../env.ts'
import {
  decideMatch,
  decideVerification,
  findMatch,
  findStanding,
  listConsentLog,
  listMatches,
  listVerificationQueue,
  requestOwner,
  setSuspension,
  stemOwner,
} from '../db/consent.ts'
import { blockUser } from '../db/sessions.ts'
import { matchViewOf, verificationCase } from '../views/consent.ts'
import { valid } from '../validate.ts'

const jsonLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: () => {
    throw new DomainError('payload_too_large', 'A request body can be at most 64 KiB.')
  },
})

const actor = (c: Context<SignedInEnv>) => ({ id: c.var.user.id, name: c.var.user.displayName })

const Reason = z.object({
  reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(2000),
})
const OptionalReason = z.object({
  reason: z.string().trim().max(2000).optional(),
})

const StateQuery = z.object({
  state: z.enum(['none', 'pending', 'more_info', 'verified', 'refused', 'all']).default('pending'),
})
const MatchQuery = z.object({
  status: z.enum(['open', 'cleared', 'refused', 'all']).default('open'),
})

function alreadyDecided(what: string): never {
  throw new DomainError('conflict', what)
}

/** The admin console: verification requests, fingerprint matches, suspensions, the consent log. */
export const admin = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .get('/verifications', valid('query', StateQuery), async (c) => {
    const { state } = c.req.valid('query')
    const queue = await listVerificationQueue(c.env.DB, state === 'all' ? null : state)
    return c.json({ queue })
  })
  .get('/artists/:userId', async (c) => {
    const found = await verificationCase(c.env.DB, c.req.param('userId'))
    if (!found) throw new DomainError('not_found', 'No such artist.')
    return c.json({ case: found })
  })
  .post('/verifications/:requestId/approve', jsonLimit, valid('json', OptionalReason), (c) =>
    decide(c, 'approve', c.req.valid('json').reason || null),
  )
  .post('/verifications/:requestId/more-info', jsonLimit, valid('json', Reason), (c) =>
    decide(c, 'more_info', c.req.valid('json').reason),
  )
  .post('/verifications/:requestId/refuse', jsonLimit, valid('json', Reason), (c) =>
    decide(c, 'refuse', c.req.valid('json').reason),
  )
  .post('/artists/:userId/suspend', jsonLimit, valid('json', Reason), (c) =>
    suspension(c, 'suspend', c.req.valid('json').reason),
  )
  .post('/artists/:userId/reinstate', jsonLimit, valid('json', OptionalReason), (c) =>
    suspension(c, 'reinstate', c.req.valid('json').reason || null),
  )
  .get('/matches', valid('query', MatchQuery), async (c) => {
    const { status } = c.req.valid('query')
    const matches = await listMatches(c.env.DB, {
      ownerId: null,
      status: status === 'all' ? null : status,
    })
    return c.json({ matches: matches.map(matchViewOf) })
  })
  .post('/matches/:stemId/:matchedStemId/clear', jsonLimit, valid('json', OptionalReason), (c) =>
    match(c, 'clear_match', c.req.valid('json').reason || null),
  )
  .post('/matches/:stemId/:matchedStemId/refuse', jsonLimit, valid('json', Reason), (c) =>
    match(c, 'refuse_match', c.req.valid('json').reason),
  )
  .get('/audit', async (c) => c.json({ entries: await listConsentLog(c.env.DB, null) }))
  // An admin blocks a user: they are logged out everywhere at once and cannot log in again.
  .post('/users/:id/block', requireRole('admin'), async (c) => {
    const id = c.req.param('id')
    if (id === c.var.user.id)
      throw new DomainError('bad_request', 'Admins cannot block themselves.')
    if (!(await blockUser(c.env.DB, id, Math.floor(Date.now() / 1000))))
      throw new DomainError('not_found', 'No such user.')
    return c.body(null, 204)
  })

async function decide(
  c: Context<SignedInEnv>,
  action: 'approve' | 'more_info' | 'refuse',
  reason: string | null,
) {
  const requestId = c.req.param('requestId') ?? ''
  const userId = await requestOwner(c.env.DB, requestId)
  if (!userId) throw new DomainError('not_found', 'No such verification request.')
  const done = await decideVerification(c.env.DB, {
    actor: actor(c),
    requestId,
    userId,
    action,
    reason,
  })
  if (!done)
    alreadyDecided(
      'This request is not awaiting a decision (decided already, or superseded by a newer one).',
    )
  return c.json({ case: await verificationCase(c.env.DB, userId) })
}

async function suspension(
  c: Context<SignedInEnv>,
  action: 'suspend' | 'reinstate',
  reason: string | null,
) {
  const userId = c.req.param('userId') ?? ''
  const standing = await findStanding(c.env.DB, userId)
  if (!standing || standing.role !== 'artist') throw new DomainError('not_found', 'No such artist.')
  if (!(await setSuspension(c.env.DB, { actor: actor(c), userId, action, reason })))
    alreadyDecided(
      action === 'suspend' ? 'This artist is already suspended.' : 'This artist is not suspended.',
    )
  return c.json({ case: await verificationCase(c.env.DB, userId) })
}

async function match(
  c: Context<SignedInEnv>,
  action: 'clear_match' | 'refuse_match',
  reason: string | null,
) {
  const stemId = c.req.param('stemId') ?? ''
  const matchedStemId = c.req.param('matchedStemId') ?? ''
  const [found, userId] = await Promise.all([
    findMatch(c.env.DB, stemId, matchedStemId),
    stemOwner(c.env.DB, stemId),
  ])
  if (!found || !userId) throw new DomainError('not_found', 'No such fingerprint match.')
  const done = await decideMatch(c.env.DB, {
    actor: actor(c),
    stemId,
    matchedStemId,
    userId,
    action,
    reason,
  })
  if (!done) alreadyDecided(`This match was already ${found.status}.`)
  const decided = await findMatch(c.env.DB, stemId, matchedStemId)
  return c.json({ match: decided && matchViewOf(decided) })
}
