import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { UserView } from '../../core/api/users.ts'
import { seedCampaign } from '../../worker/seed.ts'
import { ADMIN, seedUser } from '../support/users.ts'
import { ARTIST, FAN, manifest, seedInput } from './fixture.ts'
import { call, cookieOf, json, login } from './http.ts'

const SLUG = 'session-moons'
const VICTIM = seedUser('victim', 'fan')
const MOVER = seedUser('mover', 'fan')

const me = async (cookie: string) =>
  (
    (await (await call('/api/me', { headers: { Cookie: cookie } })).json()) as {
      user: UserView | null
    }
  ).user
const post = (
  path: string,
  body: unknown,
  cookie?: string,
  headers: Record<string, string> = {},
) => {
  const init = json(body, cookie)
  return call(path, { method: 'POST', ...init, headers: { ...init.headers, ...headers } })
}
const codeOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string } }).error.code

beforeAll(async () => {
  const input = await seedInput()
  await seedCampaign(env, {
    ...input,
    users: [...input.users, ADMIN, VICTIM, MOVER],
    manifest: { ...manifest, slug: SLUG },
  })
})

describe('sessions', () => {
  it('logout revokes the cookie at once: replayed, it is no session', async () => {
    const cookie = await login(FAN.email, FAN.password)
    expect((await me(cookie))?.email).toBe(FAN.email)
    const out = await call('/api/auth/logout', { method: 'POST', headers: { Cookie: cookie } })
    expect(out.status).toBe(204)
    expect(await me(cookie)).toBeNull()
    expect((await call('/api/exports', { headers: { Cookie: cookie } })).status).toBe(401)
  })

  it('a password change revokes every session and starts a new one', async () => {
    const a = await login(MOVER.email, MOVER.password)
    const b = await login(MOVER.email, MOVER.password)
    const wrong = await post('/api/auth/password', { current: 'nope', next: 'new-password-22' }, a)
    expect(wrong.status).toBe(401)
    const res = await post(
      '/api/auth/password',
      { current: MOVER.password, next: 'new-password-22' },
      a,
    )
    expect(res.status).toBe(204)
    expect(await me(a)).toBeNull()
    expect(await me(b)).toBeNull()
    expect((await me(cookieOf(res)))?.email).toBe(MOVER.email)
    expect(
      (await post('/api/auth/login', { email: MOVER.email, password: MOVER.password })).status,
    ).toBe(401)
    expect(await me(await login(MOVER.email, 'new-password-22'))).not.toBeNull()
  })

  it('an admin’s block logs the user out everywhere and keeps them out', async () => {
    const victim = await login(VICTIM.email, VICTIM.password)
    const admin = await login(ADMIN.email, ADMIN.password)
    const users = await env.DB.prepare('SELECT id FROM users WHERE email = ?1')
      .bind(VICTIM.email)
      .first<string>('id')
    const fan = await login(FAN.email, FAN.password)
    expect((await post(`/api/admin/users/${users}/block`, {}, fan)).status).toBe(403)
    expect((await post(`/api/admin/users/${users}/block`, {}, admin)).status).toBe(204)
    expect(await me(victim)).toBeNull()
    expect(
      (await post('/api/auth/login', { email: VICTIM.email, password: VICTIM.password })).status,
    ).toBe(401)
    expect((await post('/api/admin/users/nobody/block', {}, admin)).status).toBe(404)
  })

  it('ends a session idle for 3 days, and any 14 days after login', async () => {
    const idle = await login(FAN.email, FAN.password)
    const old = await login(FAN.email, FAN.password)
    expect(await me(idle)).not.toBeNull()
    const now = Math.floor(Date.now() / 1000)
    const rows = await env.DB.prepare(
      'SELECT id FROM sessions WHERE revoked_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 2',
    ).all<{ id: string }>()
    const [oldId, idleId] = rows.results.map((r) => r.id) as [string, string]
    await env.DB.prepare('UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1')
      .bind(idleId, now - 3 * 86_400 - 10)
      .run()
    await env.DB.prepare('UPDATE sessions SET expires_at = ?2 WHERE id = ?1')
      .bind(oldId, now - 1)
      .run()
    expect(await me(idle)).toBeNull()
    expect(await me(old)).toBeNull()
  })
})

describe('cross-site requests', () => {
  it('refuses a foreign Origin on every state-changing route, uploads included', async () => {
    const fan = await login(FAN.email, FAN.password)
    const evil = { Origin: 'https://evil.example' }
    for (const res of [
      await post('/api/auth/login', { email: FAN.email, password: FAN.password }, undefined, evil),
      await post('/api/remixes', { campaign: SLUG }, fan, evil),
      await call('/api/exports?remix=x&version=1', {
        method: 'POST',
        headers: { ...evil, Cookie: fan, 'Content-Type': 'audio/wav' },
        body: new Uint8Array(100),
      }),
      await call('/api/auth/logout', {
        method: 'POST',
        headers: { 'Sec-Fetch-Site': 'cross-site', Cookie: fan },
      }),
    ]) {
      expect(res.status).toBe(403)
      expect(await codeOf(res)).toBe('foreign_origin')
    }
    expect(await me(fan)).not.toBeNull() // the forged logout did nothing
    const own = await post(
      '/api/auth/login',
      { email: FAN.email, password: FAN.password },
      undefined,
      {
        Origin: 'http://x',
      },
    )
    expect(own.status).toBe(200)
  })

  it('refuses form and text bodies on JSON routes', async () => {
    const fan = await login(FAN.email, FAN.password)
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await call('/api/auth/logout', {
        method: 'POST',
        headers: { Cookie: fan, 'Content-Type': type },
        body: 'a=b',
      })
      expect(res.status, type).toBe(400)
    }
    expect(await me(fan)).not.toBeNull()
  })
})

describe('draft campaigns', () => {
  it('serve their stems only to the owner and admins, with nosniff', async () => {
    await env.DB.prepare("UPDATE campaigns SET status = 'draft' WHERE slug = ?1").bind(SLUG).run()
    const stem = `${SLUG}-drums`
    const fan = await login(FAN.email, FAN.password)
    for (const path of [`/api/stems/${stem}/audio`, `/api/stems/${stem}/peaks`]) {
      expect((await call(path)).status, path).toBe(404)
      expect((await call(path, { headers: { Cookie: fan } })).status, path).toBe(404)
      for (const who of [ARTIST, ADMIN]) {
        const res = await call(path, { headers: { Cookie: await login(who.email, who.password) } })
        expect(res.status, `${path} ${who.email}`).toBe(200)
        expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
        expect(res.headers.get('Cache-Control')).toBe('private, no-store')
        await res.arrayBuffer()
      }
    }
    await env.DB.prepare("UPDATE campaigns SET status = 'live' WHERE slug = ?1").bind(SLUG).run()
    const open = await call(`/api/stems/${stem}/audio`)
    expect(open.status).toBe(200)
    expect(open.headers.get('X-Content-Type-Options')).toBe('nosniff')
    await open.arrayBuffer()
  })

  it('keep their page, licence, artwork and remixes from everyone but the owner and admins', async () => {
    await env.DB.prepare("UPDATE campaigns SET status = 'draft' WHERE slug = ?1").bind(SLUG).run()
    const { id } = (await env.DB.prepare('SELECT id FROM campaigns WHERE slug = ?1')
      .bind(SLUG)
      .first<{ id: string }>())!
    const fan = await login(FAN.email, FAN.password)
    const listed = async (cookie?: string) => {
      const res = await call('/api/campaigns', cookie ? { headers: { Cookie: cookie } } : {})
      const body = (await res.json()) as { campaigns: { slug: string }[] }
      return body.campaigns.some((c) => c.slug === SLUG)
    }
    expect(await listed()).toBe(false)
    expect(await listed(fan)).toBe(false)
    for (const path of ['', '/artwork', '/remixes'].map((p) => `/api/campaigns/${SLUG}${p}`)) {
      for (const cookie of [undefined, fan]) {
        const res = await call(path, cookie ? { headers: { Cookie: cookie } } : {})
        expect(res.status, `${path} ${cookie ? 'fan' : 'anonymous'}`).toBe(404)
        expect(JSON.stringify(await res.json())).not.toMatch(/licence|policy/i)
      }
    }
    // The owner (and an admin) still reach the draft, its licence and its artwork.
    for (const who of [ARTIST, ADMIN]) {
      const cookie = await login(who.email, who.password)
      const res = await call(`/api/artist/campaigns/${id}`, { headers: { Cookie: cookie } })
      expect(res.status, who.email).toBe(200)
      const body = (await res.json()) as { campaign: { licence: unknown } }
      expect(body.campaign.licence, who.email).toBeTruthy()
      const art = await call(`/api/artist/campaigns/${id}/artwork`, { headers: { Cookie: cookie } })
      expect(art.status, who.email).toBe(200)
      expect(art.headers.get('Cache-Control')).toBe('private, no-cache')
      await art.arrayBuffer()
    }
    const stranger = await call(`/api/artist/campaigns/${id}`, { headers: { Cookie: fan } })
    expect(stranger.status).toBe(403)
    await stranger.arrayBuffer()
    await env.DB.prepare("UPDATE campaigns SET status = 'live' WHERE slug = ?1").bind(SLUG).run()
    expect(await listed()).toBe(true)
  })
})
