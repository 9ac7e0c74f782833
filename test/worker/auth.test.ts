import { beforeAll, describe, expect, it } from 'vitest'
import { ARTIST, FAN, seed } from './fixture.ts'
import { call, cookieOf } from './http.ts'

const post = (path: string, body: unknown, cookie?: string) =>
  call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  })

beforeAll(async () => {
  await seed()
})

describe('sign up', () => {
  it('creates a fan, starts a session and shows them on /api/me', async () => {
    const res = await post('/api/auth/signup', {
      email: 'New.Fan@Example.test',
      displayName: 'New Fan',
      password: 'a-strong-pass-9',
    })
    expect(res.status).toBe(201)
    const setCookie = res.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const me = await call('/api/me', { headers: { Cookie: cookieOf(res) } })
    expect(me.status).toBe(200)
    expect(await me.json()).toEqual({
      user: {
        id: expect.any(String),
        email: 'new.fan@example.test',
        displayName: 'New Fan',
        role: 'fan',
      },
    })
  })

  it('refuses a taken email with 409, whatever its case', async () => {
    const res = await post('/api/auth/signup', {
      email: FAN.email.toUpperCase(),
      displayName: 'Again',
      password: 'another-pass-12',
    })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'conflict' } })
  })

  it('refuses weak passwords and bad emails with 400 and a clear message', async () => {
    for (const [body, words] of [
      [{ email: 'x@example.test', displayName: 'X', password: 'short1' }, /10 characters/],
      [
        { email: 'x@example.test', displayName: 'X', password: 'onlyletterslong' },
        /digits or symbols/,
      ],
      [{ email: 'not-an-email', displayName: 'X', password: 'a-strong-pass-9' }, /email/],
      [
        { email: 'x@example.test', displayName: 'X', password: 'a-strong-pass-9', role: 'admin' },
        /role/,
      ],
    ] as const) {
      const res = await post('/api/auth/signup', body)
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      expect(error.code).toBe('invalid_request')
      expect(error.message).toMatch(words)
    }
  })

  it('refuses a body that is not JSON with 400', async () => {
    const res = await call('/api/auth/signup', { method: 'POST', body: 'email=x' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: { code: 'bad_request', message: expect.stringMatching(/JSON/) },
    })
    const malformed = await call('/api/auth/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"email":',
    })
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ error: { code: expect.any(String) } })
  })
})

describe('log in and out', () => {
  it('logs the seeded artist in, and out again', async () => {
    const res = await post('/api/auth/login', { email: ARTIST.email, password: ARTIST.password })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ user: { role: 'artist', email: ARTIST.email } })
    const cookie = cookieOf(res)
    const me = await call('/api/me', { headers: { Cookie: cookie } })
    expect(await me.json()).toMatchObject({ user: { email: ARTIST.email } })
    const out = await post('/api/auth/logout', {}, cookie)
    expect(out.status).toBe(204)
    expect(out.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
  })

  it('answers a wrong password and an unknown email alike: 401, no hint', async () => {
    const wrong = await post('/api/auth/login', {
      email: FAN.email,
      password: 'not-the-password-1',
    })
    const unknown = await post('/api/auth/login', {
      email: 'ghost@example.test',
      password: 'whatever-1',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
  })

  it('ignores a forged or tampered session cookie', async () => {
    const res = await post('/api/auth/login', { email: FAN.email, password: FAN.password })
    const [name, value] = cookieOf(res).split('=') as [string, string]
    const forged = `${name}=${value.replace(/^[^.]+/, 'someone-else')}`
    const me = await call('/api/me', { headers: { Cookie: forged } })
    expect(await me.json()).toEqual({ user: null })
  })

  it('answers /api/me without a session with user null', async () => {
    const res = await call('/api/me')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
  })
})
