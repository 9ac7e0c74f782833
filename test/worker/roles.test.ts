import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../worker/env.ts'
import { onError } from '../../worker/errors.ts'
import { requireRole, requireUser, session } from '../../worker/auth/session.ts'
import { app } from '../../worker/index.ts'
import { ARTIST, FAN, seed } from './fixture.ts'

// Routes guarded by requireRole/requireUser, mounted on the real session middleware and error
// handler. The handlers read c.var.user with no check: the middleware types it non-null.
const guarded = new Hono<AppEnv>()
  .use(session())
  .get('/artists-only', requireRole('artist', 'admin'), (c) => c.json({ ok: true }))
  .get('/whoami', requireUser(), (c) =>
    c.json({ name: c.var.user.displayName, role: c.get('user').role }),
  )
guarded.onError(onError)

async function login(email: string, password: string): Promise<string> {
  const res = await app.request(
    '/api/auth/login',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    },
    env,
  )
  return res.headers.get('Set-Cookie')!.split(';')[0]!
}

beforeAll(async () => {
  await seed()
})

describe('requireRole', () => {
  it('lets an artist through, turns a fan away with 403 and a stranger with 401', async () => {
    const artist = await login(ARTIST.email, ARTIST.password)
    const fan = await login(FAN.email, FAN.password)
    const req = (cookie?: string) =>
      guarded.request('/artists-only', { headers: cookie ? { Cookie: cookie } : {} }, env)
    expect((await req(artist)).status).toBe(200)
    const denied = await req(fan)
    expect(denied.status).toBe(403)
    expect(await denied.json()).toMatchObject({ error: { code: 'forbidden' } })
    expect((await req()).status).toBe(401)
  })
})

describe('requireUser', () => {
  it('hands any signed-in user to the handler and turns a stranger away with 401', async () => {
    const fan = await login(FAN.email, FAN.password)
    const req = (cookie?: string) =>
      guarded.request('/whoami', { headers: cookie ? { Cookie: cookie } : {} }, env)
    const mine = await req(fan)
    expect(mine.status).toBe(200)
    expect(await mine.json()).toEqual({ name: FAN.displayName, role: 'fan' })
    const stranger = await req()
    expect(stranger.status).toBe(401)
    expect(await stranger.json()).toMatchObject({
      error: { code: 'unauthorized', message: 'Log in first.' },
    })
  })
})
