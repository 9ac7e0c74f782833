import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

describe('GET /api/health', () => {
  it('answers ok with a live D1', async () => {
    const res = await exports.default.fetch('http://x/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, db: true })
  })

  it('answers liveness alone to GET and POST /api/health/live', async () => {
    const get = await exports.default.fetch('http://x/api/health/live')
    expect(await get.json()).toEqual({ ok: true })
    const post = await exports.default.fetch('http://x/api/health/live', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket: 'anything' }),
    })
    expect(post.status).toBe(200)
    expect(await post.json()).toEqual({ ok: true })
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await exports.default.fetch('http://x/api/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
