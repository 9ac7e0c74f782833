// A request the worker refuses without reading its body (401, 404, a CSRF 400/403) must not break
// the next request on the same keep-alive connection, as `npm start` serves it: vite preview, the
// Cloudflare plugin's proxy, miniflare's dispatch and workerd. Before the worker consumed unread
// bodies (worker/http/unread-body.ts), workerd reset the connection under such a request and
// miniflare's next dispatch on it (or the refusal itself) failed with "fetch failed": 20–50 %
// of these pairs in this file's conditions.
import { Agent, request } from 'node:http'
import { afterAll, describe, expect, inject, it } from 'vitest'

const baseUrl = inject('baseUrl')
const TRIES = 40
/** Larger than the socket buffers would swallow at once and than workerd drains by itself. */
const BODY = new Uint8Array(1 << 20)

/** One connection, kept alive: every request of a pair goes over the same socket. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
afterAll(() => agent.destroy())

type Outcome = { status: number } | { error: string }

function send(method: string, path: string, headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<Outcome>((resolve) => {
    const req = request(`${baseUrl}${path}`, { method, headers, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode! }))
      res.on('error', (err) => resolve({ error: err.message }))
    })
    req.on('error', (err) => resolve({ error: err.message }))
    req.end(body)
  })
}

const refusals = [
  { why: 'no session (401)', path: '/api/remixes', type: 'application/json', status: 401 },
  { why: 'no such route (404)', path: '/api/no-such-route', type: 'application/json', status: 404 },
  { why: 'not JSON (400)', path: '/api/remixes', type: 'application/octet-stream', status: 400 },
  {
    why: 'foreign origin (403)',
    path: '/api/remixes',
    type: 'application/json',
    status: 403,
    origin: 'https://elsewhere.example',
  },
]

describe('a refused request with an unread body', () => {
  for (const refusal of refusals) {
    it(`${refusal.why} leaves the connection working for the next request`, async () => {
      const refused: Outcome[] = []
      const next: Outcome[] = []
      for (let i = 0; i < TRIES; i++) {
        const headers = {
          'content-type': refusal.type,
          'content-length': String(BODY.length),
          origin: refusal.origin ?? baseUrl,
        }
        refused.push(await send('POST', refusal.path, headers, BODY))
        next.push(await send('GET', '/api/health/live', {}))
      }
      const failed = (outcomes: Outcome[], status: number) =>
        outcomes.filter((o) => !('status' in o) || o.status !== status)
      const failures = {
        refused: failed(refused, refusal.status),
        next: failed(next, 200),
      }
      console.log(
        `${refusal.why}: ${failures.refused.length}/${TRIES} refusals and ` +
          `${failures.next.length}/${TRIES} next requests failed`,
      )
      expect(failures).toEqual({ refused: [], next: [] })
    })
  }
})
